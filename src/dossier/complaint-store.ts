/**
 * Citizens' reports (`complaints`) and audits of referenced services (`service_audits`) in SQL. Every write
 * names the row version it was based on and bumps it; false means someone changed the row in between.
 */
import { type Selectable, sql } from 'kysely';
import type { Db } from '../platform/db/index.ts';
import type { ComplaintTable, ServiceAuditTable } from '../platform/db/schema.ts';
import type { AuditStatus, ComplaintStatus, Finding } from './complaint-model.ts';

const date = (value: Date | string) => new Date(value);
const maybeDate = (value: Date | string | null) => (value === null ? null : new Date(value));

// ── complaints ──────────────────────────────────────────────────────────────

export interface ComplaintRow {
  id: string;
  dossierId: string;
  /** Null once the citizen's account is gone. */
  citizenId: string | null;
  category: string;
  message: string;
  status: ComplaintStatus;
  answer: string | null;
  handledBy: string | null;
  answeredAt: Date | null;
  rowVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

function toComplaint(r: Selectable<ComplaintTable>): ComplaintRow {
  return {
    id: r.id,
    dossierId: r.dossier_id,
    citizenId: r.citizen_id,
    category: r.category,
    message: r.message,
    status: r.status,
    answer: r.answer,
    handledBy: r.handled_by,
    answeredAt: maybeDate(r.answered_at),
    rowVersion: r.row_version,
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
  };
}

export async function insertComplaint(
  db: Db,
  c: { id: string; dossierId: string; citizenId: string; category: string; message: string; at: Date },
): Promise<void> {
  await db
    .insertInto('complaints')
    .values({
      id: c.id,
      dossier_id: c.dossierId,
      citizen_id: c.citizenId,
      category: c.category,
      message: c.message,
      status: 'new',
      answer: null,
      handled_by: null,
      answered_at: null,
      created_at: c.at,
      updated_at: c.at,
    })
    .execute();
}

export async function findComplaint(db: Db, id: string): Promise<ComplaintRow | undefined> {
  const row = await db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toComplaint(row) : undefined;
}

/** The report whose id starts with this prefix (a citizen's reference), when there is exactly one. */
export async function findComplaintByPrefix(db: Db, prefix: string): Promise<ComplaintRow | undefined> {
  const rows = await db
    .selectFrom('complaints')
    .selectAll()
    .where(sql<string>`replace(id::text, '-', '')`, 'like', `${prefix}%`)
    .limit(2)
    .execute();
  return rows.length === 1 ? toComplaint(rows[0] as Selectable<ComplaintTable>) : undefined;
}

export interface ComplaintChanges {
  status?: ComplaintStatus;
  answer?: string;
  handledBy?: string | null;
  answeredAt?: Date;
}

/** Writes a change if the report is still at `rowVersion`, and bumps it. */
export async function updateComplaint(
  db: Db,
  id: string,
  rowVersion: number,
  changes: ComplaintChanges,
  at: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('complaints')
    .set({
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      ...(changes.answer !== undefined ? { answer: changes.answer } : {}),
      ...(changes.handledBy !== undefined ? { handled_by: changes.handledBy } : {}),
      ...(changes.answeredAt !== undefined ? { answered_at: changes.answeredAt } : {}),
      updated_at: at,
      row_version: sql<number>`row_version + 1`,
    })
    .where('id', '=', id)
    .where('row_version', '=', rowVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface ComplaintFilter {
  status?: ComplaintStatus;
  dossierId?: string;
  limit: number;
  offset: number;
}

/** The instruction's queue: new first, then in review, answered, closed; oldest first within each. */
export async function listComplaints(
  db: Db,
  f: ComplaintFilter,
): Promise<{ rows: ComplaintRow[]; total: number }> {
  let query = db.selectFrom('complaints');
  if (f.status) query = query.where('status', '=', f.status);
  if (f.dossierId) query = query.where('dossier_id', '=', f.dossierId);
  const [rows, total] = await Promise.all([
    query
      .selectAll()
      .orderBy(
        sql`case status when 'new' then 0 when 'in_review' then 1 when 'answered' then 2 else 3 end`,
        'asc',
      )
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(toComplaint), total: Number(total.n) };
}

/** A citizen's reports, newest first. */
export async function complaintsOfCitizen(db: Db, citizenId: string): Promise<ComplaintRow[]> {
  const rows = await db
    .selectFrom('complaints')
    .selectAll()
    .where('citizen_id', '=', citizenId)
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  return rows.map(toComplaint);
}

/** Reports per status on one service. */
export async function complaintCountsOfDossier(
  db: Db,
  dossierId: string,
): Promise<Record<ComplaintStatus, number>> {
  const rows = await db
    .selectFrom('complaints')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('dossier_id', '=', dossierId)
    .groupBy('status')
    .execute();
  const counts: Record<ComplaintStatus, number> = { new: 0, in_review: 0, answered: 0, closed: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/**
 * Serialises one citizen's filings for the rest of the transaction (a transaction-scoped advisory lock), so
 * that two reports sent at once cannot both pass the limits.
 */
export async function lockCitizenFilings(db: Db, citizenId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`complaints:${citizenId}`}, 0))`.execute(db);
}

/** What the limits count: the citizen's open reports on the service, and their reports since `since`. */
export async function filingCounts(
  db: Db,
  citizenId: string,
  dossierId: string,
  since: Date,
): Promise<{ openOnService: number; lastDay: number }> {
  const row = await db
    .selectFrom('complaints')
    .select([
      sql<string>`count(*) filter (where dossier_id = ${dossierId} and status in ('new', 'in_review'))`.as(
        'open',
      ),
      sql<string>`count(*) filter (where created_at >= ${since})`.as('day'),
    ])
    .where('citizen_id', '=', citizenId)
    .executeTakeFirstOrThrow();
  return { openOnService: Number(row.open), lastDay: Number(row.day) };
}

/** How many reports are new: the instruction's badge. */
export async function newComplaintCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('complaints')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'new')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ── audits ──────────────────────────────────────────────────────────────────

export interface ServiceAuditRow {
  id: string;
  dossierId: string;
  complaintId: string | null;
  scope: string;
  status: AuditStatus;
  findings: Finding[];
  dueAt: Date;
  conclusion: string | null;
  openedBy: string | null;
  openedAt: Date;
  closedAt: Date | null;
  rowVersion: number;
}

function toAudit(r: Selectable<ServiceAuditTable>): ServiceAuditRow {
  const findings = (typeof r.findings === 'string' ? JSON.parse(r.findings) : r.findings) as Finding[];
  return {
    id: r.id,
    dossierId: r.dossier_id,
    complaintId: r.complaint_id,
    scope: r.scope,
    status: r.status,
    findings,
    dueAt: date(r.due_at),
    conclusion: r.conclusion,
    openedBy: r.opened_by,
    openedAt: date(r.opened_at),
    closedAt: maybeDate(r.closed_at),
    rowVersion: r.row_version,
  };
}

export async function insertAudit(
  db: Db,
  a: {
    id: string;
    dossierId: string;
    complaintId: string | null;
    scope: string;
    findings: Finding[];
    dueAt: Date;
    openedBy: string | null;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('service_audits')
    .values({
      id: a.id,
      dossier_id: a.dossierId,
      complaint_id: a.complaintId,
      scope: a.scope,
      status: 'open',
      findings: JSON.stringify(a.findings),
      due_at: a.dueAt,
      conclusion: null,
      opened_by: a.openedBy,
      opened_at: a.at,
      closed_at: null,
    })
    .execute();
}

export async function findAudit(db: Db, id: string): Promise<ServiceAuditRow | undefined> {
  const row = await db.selectFrom('service_audits').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAudit(row) : undefined;
}

export interface AuditChanges {
  findings?: Finding[];
  status?: AuditStatus;
  conclusion?: string;
  closedAt?: Date;
}

/** Writes a change if the audit is still at `rowVersion`, and bumps it. */
export async function updateAudit(
  db: Db,
  id: string,
  rowVersion: number,
  changes: AuditChanges,
): Promise<boolean> {
  const result = await db
    .updateTable('service_audits')
    .set({
      ...(changes.findings !== undefined ? { findings: JSON.stringify(changes.findings) } : {}),
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      ...(changes.conclusion !== undefined ? { conclusion: changes.conclusion } : {}),
      ...(changes.closedAt !== undefined ? { closed_at: changes.closedAt } : {}),
      row_version: sql<number>`row_version + 1`,
    })
    .where('id', '=', id)
    .where('row_version', '=', rowVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Audits, open first (nearest deadline first), then closed (most recent first). */
export async function listAudits(
  db: Db,
  f: { status?: AuditStatus; dossierId?: string; complaintId?: string; limit: number },
): Promise<ServiceAuditRow[]> {
  let query = db.selectFrom('service_audits').selectAll();
  if (f.status) query = query.where('status', '=', f.status);
  if (f.dossierId) query = query.where('dossier_id', '=', f.dossierId);
  if (f.complaintId) query = query.where('complaint_id', '=', f.complaintId);
  const rows = await query
    .orderBy(sql`case status when 'open' then 0 else 1 end`, 'asc')
    .orderBy(sql`case status when 'open' then due_at end`, 'asc')
    .orderBy('opened_at', 'desc')
    .limit(f.limit)
    .execute();
  return rows.map(toAudit);
}
