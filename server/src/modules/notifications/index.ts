import type { App } from '../../platform/http.js';
import { createNotificationsRepo } from './notifications.repo.js';
import { registerNotificationRoutes } from './notifications.routes.js';
import { createNotificationsService } from './notifications.service.js';

export { DEFAULT_DELIVERY_OPTIONS, type NotificationsService, type SettledDelivery } from './notifications.service.js';
export { createSecretBox, loadSecretsKey } from './secret-box.js';

/** What the notifications module is created from: its service's narrow dependencies, less its own repo. */
export type NotificationsModuleDeps = Omit<Parameters<typeof createNotificationsService>[0], 'notificationsRepo'>;

/**
 * Linkage notifications (联动通知): webhooks, e-mail and SMS through a durable outbox. Other
 * modules are handed `notificationsService` (`enqueueIn`, `onSettled`); `app.ts` runs its worker.
 */
export function createNotificationsModule(deps: NotificationsModuleDeps) {
  const notificationsService = createNotificationsService({ ...deps, notificationsRepo: createNotificationsRepo() });
  return {
    name: 'notifications',
    notificationsService,
    registerRoutes: (app: App) => registerNotificationRoutes(app, { notificationsService }),
  };
}
