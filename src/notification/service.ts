import {
  type Actor,
  accountsForNotification,
  citizensForNotification,
  type NotificationAccount,
  type NotificationAccountGroup,
} from '../identity/index.ts';
import { newId } from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';
import { notFound, unauthenticated } from '../platform/errors.ts';
import { type Catalog, translator } from '../platform/i18n.ts';
import { queueMail } from '../platform/mail.ts';
import { notificationMessages } from './messages.ts';
import {
  type InboxOwner,
  inboxOwnerOf,
  inputProblem,
  type Notification,
  type NotificationInput,
  type Notifier,
  notificationSubject,
  notificationText,
  PAGE_SIZE,
  pageCount,
} from './model.ts';
import * as store from './store.ts';

// ── sending ─────────────────────────────────────────────────────────────────

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The people an input names, each once: accounts (with their mail address and language) and citizens. */
async function resolveRecipients(
  trx: Db,
  input: NotificationInput,
): Promise<{ accounts: NotificationAccount[]; citizenIds: string[] }> {
  const accountIds: string[] = [];
  const citizenIds: string[] = [];
  const groups: NotificationAccountGroup[] = [];
  for (const recipient of input.recipients) {
    if ('accountId' in recipient) accountIds.push(recipient.accountId);
    else if ('citizenId' in recipient) citizenIds.push(recipient.citizenId);
    else groups.push(recipient);
  }
  if (accountIds.length > 0) groups.unshift({ accountIds });
  // Keyed by id: someone named directly, through an organisation and through a staff role is one person.
  const accounts = new Map<string, NotificationAccount>();
  for (const group of groups) {
    for (const account of await accountsForNotification(trx, group)) {
      if (!accounts.has(account.accountId)) accounts.set(account.accountId, account);
    }
  }
  const citizens = new Set<string>();
  for (const id of await citizensForNotification(trx, citizenIds)) citizens.add(id);
  return { accounts: [...accounts.values()], citizenIds: [...citizens] };
}

/**
 * The notifier other modules call with the transaction of their change, so a notification exists exactly
 * when the change does: inbox rows for every person named (once each, however many times they are named),
 * and, unless `email` is false, a mail for each account through the outbox, in the account's language with
 * the absolute link. Citizens get inbox rows only. A kind the catalog lacks throws: it is a bug, not an
 * input problem.
 */
export function createNotifier(catalog: Catalog, publicUrl: string): Notifier {
  // The mail's own lines come from this module's messages, whatever catalog the caller gives.
  const messages: Catalog = { ...notificationMessages, ...catalog };
  const base = publicUrl.replace(/\/+$/, '');
  const translators = { fr: translator(messages, 'fr'), en: translator(messages, 'en') };
  return {
    async notify(trx, input) {
      const problem = inputProblem(messages, input);
      if (problem) throw new Error(problem);
      const params = input.params ?? {};
      const link = input.link ?? null;
      const { accounts, citizenIds } = await resolveRecipients(trx, input);
      const written = await store.insertNotifications(trx, [
        ...accounts.map((a) => ({
          id: newId(),
          owner: { accountId: a.accountId },
          kind: input.kind,
          params,
          link,
        })),
        ...citizenIds.map((citizenId) => ({
          id: newId(),
          owner: { citizenId },
          kind: input.kind,
          params,
          link,
        })),
      ]);
      if (input.email !== false) {
        for (const account of accounts) {
          const t = translators[account.locale] ?? translators.fr;
          const lines = [notificationText(t, { kind: input.kind, params })];
          if (link) lines.push('', t('notification.mail.link', { url: `${base}${link}` }));
          lines.push('', '—', t('notification.mail.footer', { url: `${base}/notifications` }));
          await queueMail(trx, {
            to: account.email,
            subject: notificationSubject(t, { kind: input.kind, params }),
            text: lines.join('\n'),
          });
        }
      }
      return written;
    },
  };
}

// ── the inbox ───────────────────────────────────────────────────────────────

function ownerOf(actor: Actor): InboxOwner {
  const owner = inboxOwnerOf(actor);
  if (!owner) throw unauthenticated();
  return owner;
}

export interface InboxPage {
  items: Notification[];
  /** Unread notifications in the whole inbox. */
  unread: number;
  page: number;
  pages: number;
}

/** A page of the actor's own notifications, newest first (only the unread ones when asked). */
export async function listInbox(
  db: Db,
  actor: Actor,
  options: { page: number; unreadOnly?: boolean },
): Promise<InboxPage> {
  const owner = ownerOf(actor);
  const unreadOnly = options.unreadOnly === true;
  const counts = await store.countNotifications(db, owner);
  const items = await store.listNotifications(db, owner, {
    unreadOnly,
    offset: (options.page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  return {
    items,
    unread: counts.unread,
    page: options.page,
    pages: pageCount(unreadOnly ? counts.unread : counts.total),
  };
}

/** Marks one of the actor's notifications read; someone else's (or an unknown id) is not found. */
export async function markNotificationRead(db: Db, actor: Actor, id: string): Promise<Notification> {
  const owner = ownerOf(actor);
  if (!UUID.test(id)) throw notFound();
  const notification = await store.markRead(db, owner, id);
  if (!notification) throw notFound();
  return notification;
}

/** Marks all the actor's notifications read; returns how many were unread. */
export function markAllNotificationsRead(db: Db, actor: Actor): Promise<number> {
  return store.markAllRead(db, ownerOf(actor));
}
