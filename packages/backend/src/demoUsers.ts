import { createBackendModule } from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The header the demo's sign-in page sends the chosen user in. */
const USER_HEADER = 'x-berth-demo-user';

/**
 * Demo only: sign in as one of the users in `auth.providers.demo.users` (catalog users), chosen on the demo's
 * sign-in page, so that a promotion one asks for can be approved by the other in the browser. A real app signs in
 * through its identity provider instead; nothing here checks who the person is.
 */
export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'berth-demo-users',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'demo',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async (result: { user: string }) => ({
                profile: { displayName: result.user },
              }),
              initialize({ config }) {
                return { users: config.getStringArray('users') };
              },
              async authenticate({ req }, { users }) {
                const user = req.header(USER_HEADER);
                if (!user || !users.includes(user)) {
                  throw new AuthenticationError(
                    `Choose one of the demo users: ${users.join(', ')}`,
                  );
                }
                return { result: { user } };
              },
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: { name: result.user } }),
          }),
        });
      },
    });
  },
});
