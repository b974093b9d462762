/** What other modules may use of the notification module: the notifier, called in their transactions. */

export { notificationMessages } from './messages.ts';
export type { NotificationInput, Notifier, Recipient } from './model.ts';
export { notificationPlugin } from './plugin.ts';
export { createNotifier } from './service.ts';
