import { LoggerService } from '@backstage/backend-plugin-api';
import {
  NotificationRecipients,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { entityRouteParams } from '@berth/plugin-images-common';

/** The Images tab of an entity, where a notification's reader decides or looks. */
export function imagesTabPath(entityRef: string): string {
  const { kind, namespace, name } = entityRouteParams(entityRef);
  return `/catalog/${namespace}/${kind}/${name}/images`;
}

/** What a notification says: title, description, link, severity, topic, scope. */
export type NotificationPayload = Parameters<
  NotificationService['send']
>[0]['payload'];

/**
 * Sends a Backstage notification when the notifications backend runs. A notification that cannot be sent is logged
 * (its name, not the backend's answer); it never fails what it tells of.
 */
export async function sendNotification(
  options: { notifications?: NotificationService; logger: LoggerService },
  recipients: NotificationRecipients,
  payload: NotificationPayload,
): Promise<void> {
  if (!options.notifications) return;
  try {
    await options.notifications.send({ recipients, payload });
  } catch (error) {
    options.logger.warn(
      `Could not send the notification "${payload.title}" (${
        (error as Error).name
      })`,
    );
  }
}
