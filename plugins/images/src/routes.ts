import { createRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'images' });

export const fleetRouteRef = createRouteRef({ id: 'images-fleet' });
