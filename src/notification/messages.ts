import type { Catalog } from '../platform/i18n.ts';

/**
 * Strings of the inbox and of notification mail. The notifications' own texts (`${kind}.subject`,
 * `${kind}.body`) belong to the modules that send them.
 */
export const notificationMessages: Catalog = {
  'notification.nav': { fr: 'Notifications', en: 'Notifications' },
  'notification.title': { fr: 'Notifications', en: 'Notifications' },
  'notification.intro': {
    fr: 'Les messages qui vous sont adressés : les plus récents d’abord. Ceux que vous n’avez pas encore lus sont marqués « Nouveau ».',
    en: 'The messages addressed to you, newest first. Those you have not read yet are marked “New”.',
  },
  'notification.unread_none': {
    fr: 'Vous n’avez aucune notification non lue.',
    en: 'You have no unread notification.',
  },
  'notification.unread_one': {
    fr: 'Vous avez une notification non lue.',
    en: 'You have one unread notification.',
  },
  'notification.unread_many': {
    fr: 'Vous avez {count} notifications non lues.',
    en: 'You have {count} unread notifications.',
  },
  'notification.empty': { fr: 'Vous n’avez aucune notification.', en: 'You have no notification.' },
  'notification.page_empty': {
    fr: 'Aucune notification sur cette page.',
    en: 'No notification on this page.',
  },
  'notification.list_label': {
    fr: 'Vos notifications, page {page} sur {pages}',
    en: 'Your notifications, page {page} of {pages}',
  },
  'notification.new': { fr: 'Nouveau', en: 'New' },
  'notification.received': { fr: 'Reçue le {date}', en: 'Received on {date}' },
  'notification.read_at': { fr: 'lue le {date}', en: 'read on {date}' },
  'notification.mark_read': { fr: 'Marquer comme lu', en: 'Mark as read' },
  'notification.mark_all_read': { fr: 'Tout marquer comme lu', en: 'Mark all as read' },
  'notification.flash.read': { fr: 'Notification marquée comme lue.', en: 'Notification marked as read.' },
  'notification.flash.all_read': {
    fr: 'Toutes vos notifications sont marquées comme lues.',
    en: 'All your notifications are marked as read.',
  },
  'notification.pagination': { fr: 'Pagination', en: 'Pagination' },
  'notification.mail.link': { fr: 'Pour le consulter : {url}', en: 'To see it: {url}' },
  'notification.mail.footer': {
    fr: 'Toutes vos notifications : {url}',
    en: 'All your notifications: {url}',
  },
};
