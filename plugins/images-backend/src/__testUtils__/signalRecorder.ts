import { createBackendModule } from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';

/** Records the signals the images plugin publishes, as Backstage's signals backend receives them (events bus). */
export function signalRecorder(signals: unknown[]) {
  return createBackendModule({
    pluginId: 'images',
    moduleId: 'signal-recorder',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          await events.subscribe({
            id: 'signal-recorder',
            topics: ['signals'],
            onEvent: async event => {
              signals.push(event.eventPayload);
            },
          });
        },
      });
    },
  });
}
