import { CompoundEntityRef } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ImagesApi, imagesApiRef } from '../api';
import { EntityImagesContent } from '../components/EntityImagesContent';
import { GrantedPermissions, userApis } from './apis';
import { entity, fakeImagesApi } from './fixtures';

/**
 * Renders the Images tab of an onboarded entity for a signed-in user holding the granted permissions (all unless
 * told otherwise).
 */
export async function renderImagesTab(
  options: {
    api?: jest.Mocked<ImagesApi>;
    granted?: GrantedPermissions;
    userEntityRef?: string;
  } = {},
): Promise<{ api: jest.Mocked<ImagesApi>; entityRef: CompoundEntityRef }> {
  const { api = fakeImagesApi(), granted = {}, userEntityRef } = options;
  // usePermission caches each answer (SWR) for the whole test file, keyed by permission and entity: a test that
  // withholds a permission asks about an entity of its own, or it would be given the previous test's answer.
  const withheld = Object.entries(granted)
    .filter(([, allowed]) => allowed === false)
    .map(([permission]) => permission)
    .sort();
  const name = withheld.length
    ? `dotca-without-${withheld.join('-')}`
    : 'dotca';
  await renderInTestApp(
    <TestApiProvider
      apis={[[imagesApiRef, api], ...userApis({ granted, userEntityRef })]}
    >
      <EntityProvider
        entity={entity({ 'berth.dev/images': 'ghcr.io/bxtech/dotca' }, name)}
      >
        <EntityImagesContent />
      </EntityProvider>
    </TestApiProvider>,
  );
  return {
    api,
    entityRef: { kind: 'Component', namespace: 'default', name },
  };
}
