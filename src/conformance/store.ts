/**
 * SQL of connection-test sessions (tests d'accrochage): the sessions, the calls their clients made and the
 * platform-side actions. A call is recorded in one statement that finds its open session by client id.
 */
import { sql } from 'kysely';
import type { Db } from '../platform/db/index.ts';
import type { RecordedAction, RecordedCall } from './model.ts';

/** What the session declared: like a dossier's convention (`code` of each data category). */
export interface SessionCategories {
  finalites: string[];
  categories: Array<{ code: string; read: boolean; write: boolean }>;
}

export interface SessionRow {
  id: string;
  organisationId: string;
  productId: string;
  productName: string;
  productVersion: string;
  siren: string;
  oid: string;
  clientId: string;
  categories: SessionCategories;
  plans: string[];
  status: 'open' | 'closed';
  refuseNextPush: boolean;
  createdBy: string | null;
  createdAt: Date;
  closedAt: Date | null;
  rowVersion: number;
}

const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const asJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** The next test service OID under the deployment's root: `<root>.99.<n>`. */
export async function nextTestOid(trx: Db, oidRoot: string): Promise<string> {
  const result = await sql<{ n: string | number }>`select nextval('conformance_oid_seq') as n`.execute(trx);
  return `${oidRoot}.99.${Number(result.rows[0].n)}`;
}

export async function insertSession(
  trx: Db,
  s: Omit<SessionRow, 'status' | 'refuseNextPush' | 'createdAt' | 'closedAt' | 'rowVersion'>,
): Promise<void> {
  await trx
    .insertInto('conformance_sessions')
    .values({
      id: s.id,
      organisation_id: s.organisationId,
      product_id: s.productId,
      product_name: s.productName,
      product_version: s.productVersion,
      siren: s.siren,
      oid: s.oid,
      client_id: s.clientId,
      categories: JSON.stringify(s.categories),
      plans: JSON.stringify(s.plans),
      status: 'open',
      created_by: s.createdBy,
    })
    .execute();
}

type SessionSqlRow = {
  id: string;
  organisation_id: string;
  product_id: string;
  product_name: string;
  product_version: string;
  siren: string;
  oid: string;
  client_id: string;
  categories: unknown;
  plans: unknown;
  status: 'open' | 'closed';
  refuse_next_push: boolean;
  created_by: string | null;
  created_at: unknown;
  closed_at: unknown;
  row_version: number | string;
};

function toSession(r: SessionSqlRow): SessionRow {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    productId: r.product_id,
    productName: r.product_name,
    productVersion: r.product_version,
    siren: r.siren,
    oid: r.oid,
    clientId: r.client_id,
    categories: asJson<SessionCategories>(r.categories),
    plans: asJson<string[]>(r.plans),
    status: r.status,
    refuseNextPush: Boolean(r.refuse_next_push),
    createdBy: r.created_by,
    createdAt: asDate(r.created_at),
    closedAt: r.closed_at === null || r.closed_at === undefined ? null : asDate(r.closed_at),
    rowVersion: Number(r.row_version),
  };
}

export async function findSession(db: Db, id: string): Promise<SessionRow | undefined> {
  const row = await db.selectFrom('conformance_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toSession(row as unknown as SessionSqlRow);
}

/** Finds a session and locks it for a change (the caller's transaction holds it until commit). */
export async function lockSession(trx: Db, id: string): Promise<SessionRow | undefined> {
  const row = await trx
    .selectFrom('conformance_sessions')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row && toSession(row as unknown as SessionSqlRow);
}

/** An organisation's sessions, newest first. */
/** The sessions of one organisation or one service, newest first. */
async function sessionsBy(
  db: Db,
  column: 'organisation_id' | 'product_id',
  id: string,
  limit: number,
): Promise<SessionRow[]> {
  const rows = await db
    .selectFrom('conformance_sessions')
    .selectAll()
    .where(column, '=', id)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => toSession(r as unknown as SessionSqlRow));
}

/** A service's sessions, newest first. */
export const sessionsOfProduct = (db: Db, productId: string, limit: number) =>
  sessionsBy(db, 'product_id', productId, limit);

export const sessionsOf = (db: Db, organisationId: string, limit = 100) =>
  sessionsBy(db, 'organisation_id', organisationId, limit);

export async function closeSession(trx: Db, id: string, at: Date): Promise<void> {
  await trx
    .updateTable('conformance_sessions')
    .set({ status: 'closed', closed_at: at, refuse_next_push: false, row_version: sql`row_version + 1` })
    .where('id', '=', id)
    .execute();
}

export async function setRefuseNextPush(trx: Db, id: string): Promise<void> {
  await trx
    .updateTable('conformance_sessions')
    .set({ refuse_next_push: true, row_version: sql`row_version + 1` })
    .where('id', '=', id)
    .execute();
}

/** Whether the open session of this client has a push refusal pending (one indexed read). */
export async function refusalPending(db: Db, clientId: string): Promise<boolean> {
  const row = await db
    .selectFrom('conformance_sessions')
    .select('id')
    .where('client_id', '=', clientId)
    .where('status', '=', 'open')
    .where('refuse_next_push', '=', true)
    .executeTakeFirst();
  return row !== undefined;
}

/** Takes the pending push refusal of this client's open session: true for the one call that took it. */
export async function takeRefusal(db: Db, clientId: string): Promise<boolean> {
  const result = await db
    .updateTable('conformance_sessions')
    .set({ refuse_next_push: false })
    .where('client_id', '=', clientId)
    .where('status', '=', 'open')
    .where('refuse_next_push', '=', true)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ── calls and actions ───────────────────────────────────────────────────────

export interface NewCall {
  clientId: string;
  at: Date;
  kind: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  facts: Record<string, unknown>;
}

/** Records a call of a client in its open session, if it has one: one INSERT … SELECT. */
export async function insertCall(db: Db, c: NewCall): Promise<void> {
  await sql`
    insert into conformance_calls (session_id, at, kind, method, path, status, ms, facts)
    select s.id, ${c.at}, ${c.kind}, ${c.method}, ${c.path}, ${c.status}, ${c.ms}, cast(${JSON.stringify(c.facts)} as jsonb)
    from conformance_sessions s
    where s.client_id = ${c.clientId} and s.status = 'open'`.execute(db);
}

export async function callsOf(db: Db, sessionId: string, limit = 5000): Promise<RecordedCall[]> {
  const rows = await db
    .selectFrom('conformance_calls')
    .select(['id', 'at', 'kind', 'method', 'path', 'status', 'ms', 'facts'])
    .where('session_id', '=', sessionId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: asDate(r.at).toISOString(),
    kind: r.kind,
    method: r.method,
    path: r.path,
    status: Number(r.status),
    ms: Number(r.ms),
    facts: asJson<Record<string, unknown>>(r.facts),
  }));
}

export async function insertAction(
  trx: Db,
  a: {
    sessionId: string;
    at: Date;
    action: RecordedAction['action'];
    detail: Record<string, unknown>;
    actor: string | null;
  },
): Promise<number> {
  const row = await trx
    .insertInto('conformance_actions')
    .values({
      session_id: a.sessionId,
      at: a.at,
      action: a.action as 'unpair',
      detail: JSON.stringify(a.detail),
      actor: a.actor,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function actionsOf(db: Db, sessionId: string): Promise<RecordedAction[]> {
  const rows = await db
    .selectFrom('conformance_actions')
    .select(['id', 'at', 'action', 'detail'])
    .where('session_id', '=', sessionId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: asDate(r.at).toISOString(),
    action: r.action,
    detail: asJson<Record<string, unknown>>(r.detail),
  }));
}
