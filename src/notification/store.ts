import { sql } from 'kysely';
import type { Db } from '../platform/db/index.ts';
import type { InboxOwner, Notification } from './model.ts';

export interface NewNotificationRow {
  id: string;
  owner: InboxOwner;
  kind: string;
  params: Record<string, string | number>;
  link: string | null;
}

export async function insertNotifications(db: Db, rows: NewNotificationRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  await db
    .insertInto('notifications')
    .values(
      rows.map((r) => ({
        id: r.id,
        recipient_account_id: 'accountId' in r.owner ? r.owner.accountId : null,
        recipient_citizen_id: 'citizenId' in r.owner ? r.owner.citizenId : null,
        kind: r.kind,
        params: JSON.stringify(r.params),
        link: r.link,
        read_at: null,
      })),
    )
    .execute();
  return rows.length;
}

/** The owner's rows only: every query of an inbox goes through this. */
function ownedBy(db: Db, owner: InboxOwner) {
  const query = db.selectFrom('notifications');
  return 'accountId' in owner
    ? query.where('recipient_account_id', '=', owner.accountId)
    : query.where('recipient_citizen_id', '=', owner.citizenId);
}

type Row = {
  id: string;
  kind: string;
  params: Record<string, string | number>;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
};

function notificationOf(r: Row): Notification {
  return {
    id: r.id,
    kind: r.kind,
    params: r.params ?? {},
    link: r.link,
    createdAt: new Date(r.created_at),
    readAt: r.read_at ? new Date(r.read_at) : null,
  };
}

const columns = ['id', 'kind', 'params', 'link', 'created_at', 'read_at'] as const;

/** A page of the owner's notifications, newest first. */
export async function listNotifications(
  db: Db,
  owner: InboxOwner,
  options: { unreadOnly: boolean; offset: number; limit: number },
): Promise<Notification[]> {
  let query = ownedBy(db, owner).select(columns);
  if (options.unreadOnly) query = query.where('read_at', 'is', null);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .offset(options.offset)
    .limit(options.limit)
    .execute();
  return rows.map(notificationOf);
}

/** How many notifications the owner has, and how many of them are unread. */
export async function countNotifications(
  db: Db,
  owner: InboxOwner,
): Promise<{ total: number; unread: number }> {
  const row = await ownedBy(db, owner)
    .select([
      sql<number>`count(*)::int`.as('total'),
      sql<number>`(count(*) filter (where read_at is null))::int`.as('unread'),
    ])
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), unread: Number(row.unread) };
}

/** Marks one of the owner's notifications read (it keeps its first reading time); undefined when not theirs. */
export async function markRead(db: Db, owner: InboxOwner, id: string): Promise<Notification | undefined> {
  let query = db
    .updateTable('notifications')
    .set({ read_at: sql<Date>`coalesce(read_at, now())` })
    .where('id', '=', id);
  query =
    'accountId' in owner
      ? query.where('recipient_account_id', '=', owner.accountId)
      : query.where('recipient_citizen_id', '=', owner.citizenId);
  const row = await query.returning(columns).executeTakeFirst();
  return row ? notificationOf(row) : undefined;
}

/** Marks every unread notification of the owner read; returns how many were. */
export async function markAllRead(db: Db, owner: InboxOwner): Promise<number> {
  let query = db.updateTable('notifications').set({ read_at: sql<Date>`now()` }).where('read_at', 'is', null);
  query =
    'accountId' in owner
      ? query.where('recipient_account_id', '=', owner.accountId)
      : query.where('recipient_citizen_id', '=', owner.citizenId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
