import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth: guest sign-in for the demo (see https://backstage.io/docs/auth/guest/provider)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// Demo only: sign in as one of two demo users, so that one's promotion can be approved by the other
backend.add(import('./demoUsers'));

// catalog, with the Template kind the scaffolder needs
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// scaffolder, with Berth's images:promote, images:rollback and images:verify actions
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@berth/plugin-scaffolder-backend-module-images'));

// permissions, decided by our own policy module (swap it for your organisation's)
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissionPolicy'));

// Berth
backend.add(import('@berth/plugin-images-backend'));

// Kubernetes: Berth asks it what the entity's pods run (on behalf of the user; Berth holds no cluster credentials)
backend.add(import('@backstage/plugin-kubernetes-backend'));
// Demo only: a code host with the-shop's deployment files and a replayed cluster for support-email (berthDemo)
backend.add(import('./demoDeployments'));

// MCP: agents call the actions of the plugins in backend.actions.pluginSources (Berth's images:* actions)
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.add(import('@backstage/plugin-user-settings-backend'));

// Signals: open Images tabs learn of pushes (registry events) and promotions without a reload
backend.add(import('@backstage/plugin-signals-backend'));
// Notifications: approvers learn that a promotion waits for them, requesters how it was decided
backend.add(import('@backstage/plugin-notifications-backend'));

backend.start();
