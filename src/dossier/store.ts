/** SQL of the referencing files, nothing else. */
import { type Selectable, sql } from 'kysely';
import type { Db } from '../platform/db/index.ts';
import type { DossierTable } from '../platform/db/schema.ts';
import type {
  CatalogueStatus,
  DossierKind,
  DossierState,
  OpinionKind,
  RequestContent,
  Reservation,
  Typology,
  Verdict,
} from './model.ts';

export type DossierRowRaw = Selectable<DossierTable>;

export interface DossierRow {
  id: string;
  number: string | null;
  kind: DossierKind;
  parentId: string | null;
  organisationId: string;
  productId: string;
  productVersion: string;
  typology: Typology;
  referentialVersion: string;
  assessmentId: string | null;
  state: DossierState;
  stateSince: Date;
  catalogueStatus: CatalogueStatus | null;
  request: RequestContent;
  snapshot: Record<string, unknown> | null;
  touchedCriteria: string[] | null;
  opinion: OpinionRecord | null;
  reservations: Reservation[];
  decision: DecisionRecord | null;
  convention: Record<string, unknown> | null;
  infoReturnState: DossierState | null;
  phaseDueAt: Date | null;
  pausedAt: Date | null;
  pausedPhaseDueAt: Date | null;
  overdueNotifiedState: string | null;
  assignedTo: string | null;
  oid: string | null;
  referencedUntil: Date | null;
  renewalRequested: boolean;
  remindersSent: number[];
  updateDueAt: Date | null;
  submittedAt: Date | null;
  publishedAt: Date | null;
  createdBy: string | null;
  rowVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface OpinionRecord {
  kind: OpinionKind;
  reasons: string;
  sitting: Array<{ id: string; role: { fr: string; en: string }; holder: string }>;
  finalites: string[];
  at: string;
  by: string | null;
}

export interface DecisionRecord {
  decision: 'referenced' | 'refused';
  reasons: string;
  at: string;
  by: string | null;
}

const date = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

export function toRow(r: DossierRowRaw): DossierRow {
  return {
    id: r.id,
    number: r.number,
    kind: r.kind,
    parentId: r.parent_id,
    organisationId: r.organisation_id,
    productId: r.product_id,
    productVersion: r.product_version,
    typology: r.typology,
    referentialVersion: r.referential_version,
    assessmentId: r.assessment_id,
    state: r.state as DossierState,
    stateSince: new Date(r.state_since),
    catalogueStatus: r.catalogue_status as CatalogueStatus | null,
    request: (r.request ?? {}) as RequestContent,
    snapshot: r.snapshot,
    touchedCriteria: r.touched_criteria,
    opinion: r.opinion as unknown as OpinionRecord | null,
    reservations: (r.reservations ?? []) as unknown as Reservation[],
    decision: r.decision as unknown as DecisionRecord | null,
    convention: r.convention,
    infoReturnState: r.info_return_state as DossierState | null,
    phaseDueAt: date(r.phase_due_at),
    pausedAt: date(r.paused_at),
    pausedPhaseDueAt: date(r.paused_phase_due_at),
    overdueNotifiedState: r.overdue_notified_state,
    assignedTo: r.assigned_to,
    oid: r.oid,
    referencedUntil: date(r.referenced_until),
    renewalRequested: r.renewal_requested,
    remindersSent: (r.reminders_sent ?? []) as number[],
    updateDueAt: date(r.update_due_at),
    submittedAt: date(r.submitted_at),
    publishedAt: date(r.published_at),
    createdBy: r.created_by,
    rowVersion: r.row_version,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

export async function findDossier(db: Db, id: string): Promise<DossierRow | undefined> {
  const row = await db.selectFrom('dossiers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRow(row) : undefined;
}

export async function findByNumber(db: Db, number: string): Promise<DossierRow | undefined> {
  const row = await db.selectFrom('dossiers').selectAll().where('number', '=', number).executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/** The file's row, locked for the rest of the transaction. */
export async function lockDossier(db: Db, id: string): Promise<DossierRow | undefined> {
  const row = await db.selectFrom('dossiers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? toRow(row) : undefined;
}

export async function dossiersOfOrganisation(db: Db, organisationId: string): Promise<DossierRow[]> {
  const rows = await db
    .selectFrom('dossiers')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toRow);
}

export async function dossiersOfProduct(db: Db, productId: string): Promise<DossierRow[]> {
  const rows = await db
    .selectFrom('dossiers')
    .selectAll()
    .where('product_id', '=', productId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toRow);
}

export interface NewDossier {
  id: string;
  kind: DossierKind;
  parentId: string | null;
  organisationId: string;
  productId: string;
  productVersion: string;
  typology: Typology;
  referentialVersion: string;
  assessmentId: string | null;
  request: RequestContent;
  touchedCriteria: string[] | null;
  createdBy: string | null;
  phaseDueAt: Date | null;
  createdAt?: Date;
}

export async function insertDossier(db: Db, d: NewDossier): Promise<void> {
  await db
    .insertInto('dossiers')
    .values({
      id: d.id,
      kind: d.kind,
      parent_id: d.parentId,
      organisation_id: d.organisationId,
      product_id: d.productId,
      product_version: d.productVersion,
      typology: d.typology,
      referential_version: d.referentialVersion,
      assessment_id: d.assessmentId,
      state: 'draft',
      state_since: d.createdAt ?? new Date(),
      created_at: d.createdAt ?? new Date(),
      request: JSON.stringify(d.request),
      touched_criteria: d.touchedCriteria ? JSON.stringify(d.touchedCriteria) : null,
      reservations: '[]',
      reminders_sent: '[]',
      created_by: d.createdBy,
      phase_due_at: d.phaseDueAt,
      updated_at: d.createdAt ?? new Date(),
    })
    .execute();
}

/** The columns a change may set, in the row's own terms. */
export interface DossierUpdate {
  number?: string;
  state?: DossierState;
  catalogueStatus?: CatalogueStatus | null;
  request?: RequestContent;
  snapshot?: Record<string, unknown>;
  opinion?: OpinionRecord;
  reservations?: Reservation[];
  decision?: DecisionRecord;
  convention?: Record<string, unknown>;
  infoReturnState?: DossierState | null;
  phaseDueAt?: Date | null;
  pausedAt?: Date | null;
  pausedPhaseDueAt?: Date | null;
  overdueNotifiedState?: string | null;
  assignedTo?: string | null;
  oid?: string;
  referencedUntil?: Date | null;
  renewalRequested?: boolean;
  remindersSent?: number[];
  updateDueAt?: Date | null;
  submittedAt?: Date;
  publishedAt?: Date;
  productVersion?: string;
  /** When the change happens (the clock of the service; now by default). */
  at?: Date;
}

/**
 * Writes a change if the row is still at `rowVersion`, and bumps it; false when someone changed the file in
 * between (nothing is written then).
 */
export async function updateDossier(
  db: Db,
  id: string,
  rowVersion: number,
  u: DossierUpdate,
): Promise<boolean> {
  const now = u.at ?? new Date();
  const set: Record<string, unknown> = { updated_at: now, row_version: sql`row_version + 1` };
  const json = (v: unknown) => JSON.stringify(v);
  if (u.number !== undefined) set.number = u.number;
  if (u.state !== undefined) {
    set.state = u.state;
    set.state_since = now;
    set.overdue_notified_state = null;
  }
  if (u.catalogueStatus !== undefined) set.catalogue_status = u.catalogueStatus;
  if (u.request !== undefined) set.request = json(u.request);
  if (u.snapshot !== undefined) set.snapshot = json(u.snapshot);
  if (u.opinion !== undefined) set.opinion = json(u.opinion);
  if (u.reservations !== undefined) set.reservations = json(u.reservations);
  if (u.decision !== undefined) set.decision = json(u.decision);
  if (u.convention !== undefined) set.convention = json(u.convention);
  if (u.infoReturnState !== undefined) set.info_return_state = u.infoReturnState;
  if (u.phaseDueAt !== undefined) set.phase_due_at = u.phaseDueAt;
  if (u.pausedAt !== undefined) set.paused_at = u.pausedAt;
  if (u.pausedPhaseDueAt !== undefined) set.paused_phase_due_at = u.pausedPhaseDueAt;
  if (u.overdueNotifiedState !== undefined) set.overdue_notified_state = u.overdueNotifiedState;
  if (u.assignedTo !== undefined) set.assigned_to = u.assignedTo;
  if (u.oid !== undefined) set.oid = u.oid;
  if (u.referencedUntil !== undefined) set.referenced_until = u.referencedUntil;
  if (u.renewalRequested !== undefined) set.renewal_requested = u.renewalRequested;
  if (u.remindersSent !== undefined) set.reminders_sent = json(u.remindersSent);
  if (u.updateDueAt !== undefined) set.update_due_at = u.updateDueAt;
  if (u.submittedAt !== undefined) set.submitted_at = u.submittedAt;
  if (u.publishedAt !== undefined) set.published_at = u.publishedAt;
  if (u.productVersion !== undefined) set.product_version = u.productVersion;
  const result = await db
    .updateTable('dossiers')
    .set(set)
    .where('id', '=', id)
    .where('row_version', '=', rowVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The next value of a counter (evaluation numbers per year, OIDs), taken in the caller's transaction. */
export async function nextCounter(db: Db, name: string): Promise<number> {
  const row = await db
    .insertInto('dossier_counters')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`dossier_counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

// ── events ──────────────────────────────────────────────────────────────────

export interface NewEvent {
  dossierId: string;
  actorAccountId: string | null;
  actorRole: string;
  type: string;
  fromState?: DossierState | null;
  toState?: DossierState | null;
  catalogueFrom?: CatalogueStatus | null;
  catalogueTo?: CatalogueStatus | null;
  data?: Record<string, unknown>;
  at?: Date;
}

export async function insertEvent(db: Db, e: NewEvent): Promise<void> {
  await db
    .insertInto('dossier_events')
    .values({
      dossier_id: e.dossierId,
      at: e.at ?? new Date(),
      actor_account_id: e.actorAccountId,
      actor_role: e.actorRole,
      type: e.type,
      from_state: e.fromState ?? null,
      to_state: e.toState ?? null,
      catalogue_from: e.catalogueFrom ?? null,
      catalogue_to: e.catalogueTo ?? null,
      data: JSON.stringify(e.data ?? {}),
    })
    .execute();
}

export interface EventRow {
  id: number;
  at: Date;
  actorAccountId: string | null;
  actorRole: string;
  type: string;
  fromState: DossierState | null;
  toState: DossierState | null;
  catalogueFrom: CatalogueStatus | null;
  catalogueTo: CatalogueStatus | null;
  data: Record<string, unknown>;
}

export async function eventsOf(db: Db, dossierId: string): Promise<EventRow[]> {
  const rows = await db
    .selectFrom('dossier_events')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.at),
    actorAccountId: r.actor_account_id,
    actorRole: r.actor_role,
    type: r.type,
    fromState: r.from_state as DossierState | null,
    toState: r.to_state as DossierState | null,
    catalogueFrom: r.catalogue_from as CatalogueStatus | null,
    catalogueTo: r.catalogue_to as CatalogueStatus | null,
    data: r.data ?? {},
  }));
}

/**
 * Median days spent per state by the passages that ended within the window: each transition's time to the
 * file's next one (a window function over the timelines), then the median per state, in the database.
 */
export async function medianDaysPerState(
  db: Db,
  since: Date,
): Promise<Array<{ state: DossierState; days: number; count: number }>> {
  const rows = await sql<{ state: string; seconds: number | string; n: number | string }>`
    with passages as (
      select to_state, at,
             lead(at) over (partition by dossier_id order by id) as left_at
      from dossier_events
      where to_state is not null
        and dossier_id in (select dossier_id from dossier_events where to_state is not null and at >= ${since})
    )
    select to_state as state,
           percentile_cont(0.5) within group (order by extract(epoch from left_at - at)) as seconds,
           count(*) as n
    from passages
    where left_at is not null and left_at >= ${since}
    group by to_state
  `.execute(db);
  return rows.rows.map((r) => ({
    state: r.state as DossierState,
    days: Math.round((Number(r.seconds) / 86_400) * 10) / 10,
    count: Number(r.n),
  }));
}

// ── verdicts ────────────────────────────────────────────────────────────────

export interface VerdictRow {
  criterionId: string;
  verdict: Verdict;
  comment: string;
  rowVersion: number;
  decidedBy: string | null;
  decidedAt: Date;
}

export async function verdictsOf(db: Db, dossierId: string): Promise<VerdictRow[]> {
  const rows = await db
    .selectFrom('dossier_verdicts')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .execute();
  return rows.map((r) => ({
    criterionId: r.criterion_id,
    verdict: r.verdict,
    comment: r.comment,
    rowVersion: r.row_version,
    decidedBy: r.decided_by,
    decidedAt: new Date(r.decided_at),
  }));
}

/**
 * Records a verdict if the criterion's verdict is still at `rowVersion` (0: none yet); false when a
 * colleague recorded one in between.
 */
export async function writeVerdict(
  db: Db,
  dossierId: string,
  criterionId: string,
  rowVersion: number,
  v: { verdict: Verdict; comment: string; by: string },
): Promise<boolean> {
  if (rowVersion === 0) {
    const inserted = await db
      .insertInto('dossier_verdicts')
      .values({
        dossier_id: dossierId,
        criterion_id: criterionId,
        verdict: v.verdict,
        comment: v.comment,
        decided_by: v.by,
        decided_at: new Date(),
      })
      .onConflict((oc) => oc.columns(['dossier_id', 'criterion_id']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const updated = await db
    .updateTable('dossier_verdicts')
    .set({
      verdict: v.verdict,
      comment: v.comment,
      decided_by: v.by,
      decided_at: new Date(),
      row_version: sql`row_version + 1`,
    })
    .where('dossier_id', '=', dossierId)
    .where('criterion_id', '=', criterionId)
    .where('row_version', '=', rowVersion)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** « conforme » on several criteria at once (none of them has a verdict yet). */
export async function insertConformeVerdicts(
  db: Db,
  dossierId: string,
  criterionIds: string[],
  by: string,
  at: Date,
): Promise<void> {
  await db
    .insertInto('dossier_verdicts')
    .values(
      criterionIds.map((criterion_id) => ({
        dossier_id: dossierId,
        criterion_id,
        verdict: 'conforme' as const,
        comment: '',
        decided_by: by,
        decided_at: at,
      })),
    )
    .onConflict((oc) => oc.columns(['dossier_id', 'criterion_id']).doNothing())
    .execute();
}

// ── requests for information ────────────────────────────────────────────────

export interface InfoRequestRow {
  id: string;
  message: string;
  criteria: string[];
  dueAt: Date;
  askedBy: string | null;
  askedAt: Date;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: Date | null;
}

export async function infoRequestsOf(db: Db, dossierId: string): Promise<InfoRequestRow[]> {
  const rows = await db
    .selectFrom('dossier_info_requests')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('asked_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    message: r.message,
    criteria: r.criteria ?? [],
    dueAt: new Date(r.due_at),
    askedBy: r.asked_by,
    askedAt: new Date(r.asked_at),
    answer: r.answer,
    answeredBy: r.answered_by,
    answeredAt: date(r.answered_at),
  }));
}

export async function insertInfoRequest(
  db: Db,
  r: {
    id: string;
    dossierId: string;
    message: string;
    criteria: string[];
    dueAt: Date;
    askedBy: string | null;
  },
): Promise<void> {
  await db
    .insertInto('dossier_info_requests')
    .values({
      id: r.id,
      dossier_id: r.dossierId,
      message: r.message,
      criteria: JSON.stringify(r.criteria),
      due_at: r.dueAt,
      asked_by: r.askedBy,
      asked_at: new Date(),
    })
    .execute();
}

/** Answers the open request for information of a file; its id, or undefined when none is open. */
export async function answerOpenInfoRequest(
  db: Db,
  dossierId: string,
  answer: string,
  by: string | null,
): Promise<string | undefined> {
  const row = await db
    .updateTable('dossier_info_requests')
    .set({ answer, answered_by: by, answered_at: new Date() })
    .where('dossier_id', '=', dossierId)
    .where('answered_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

// ── documents ───────────────────────────────────────────────────────────────

export interface DocumentRow {
  id: string;
  kind: string;
  criterionId: string | null;
  infoRequestId: string | null;
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
  uploadedBy: string | null;
  uploadedAt: Date;
}

export async function documentsOf(db: Db, dossierId: string): Promise<DocumentRow[]> {
  const rows = await db
    .selectFrom('dossier_documents')
    .select([
      'id',
      'kind',
      'criterion_id',
      'info_request_id',
      'name',
      'media_type',
      'size',
      'sha256',
      'uploaded_by',
      'uploaded_at',
    ])
    .where('dossier_id', '=', dossierId)
    .orderBy('uploaded_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    criterionId: r.criterion_id,
    infoRequestId: r.info_request_id,
    name: r.name,
    mediaType: r.media_type,
    size: Number(r.size),
    sha256: r.sha256,
    uploadedBy: r.uploaded_by,
    uploadedAt: new Date(r.uploaded_at),
  }));
}

export async function insertDocument(
  db: Db,
  d: {
    id: string;
    dossierId: string;
    kind: string;
    criterionId?: string | null;
    infoRequestId?: string | null;
    name: string;
    mediaType: string;
    size: number;
    sha256: string;
    content: Buffer;
    uploadedBy: string | null;
  },
): Promise<void> {
  await db
    .insertInto('dossier_documents')
    .values({
      id: d.id,
      dossier_id: d.dossierId,
      kind: d.kind,
      criterion_id: d.criterionId ?? null,
      info_request_id: d.infoRequestId ?? null,
      name: d.name,
      media_type: d.mediaType,
      size: d.size,
      sha256: d.sha256,
      content: d.content,
      uploaded_by: d.uploadedBy,
      uploaded_at: new Date(),
    })
    .execute();
}

export async function documentContent(
  db: Db,
  dossierId: string,
  documentId: string,
): Promise<{ name: string; mediaType: string; content: Buffer; kind: string } | undefined> {
  const row = await db
    .selectFrom('dossier_documents')
    .select(['name', 'media_type', 'content', 'kind'])
    .where('id', '=', documentId)
    .where('dossier_id', '=', dossierId)
    .executeTakeFirst();
  return row
    ? { name: row.name, mediaType: row.media_type, content: Buffer.from(row.content), kind: row.kind }
    : undefined;
}

export async function deleteDocument(db: Db, dossierId: string, documentId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('dossier_documents')
    .where('id', '=', documentId)
    .where('dossier_id', '=', dossierId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

// ── connection-test reports ─────────────────────────────────────────────────

export interface TestReportRow {
  id: string;
  origin: 'local' | 'sandbox';
  issuer: string;
  kid: string;
  passed: boolean;
  plans: Array<Record<string, unknown>>;
  subject: Record<string, unknown>;
  issuedAt: Date;
  recordedBy: string | null;
  recordedAt: Date;
}

export async function testReportsOf(db: Db, dossierId: string): Promise<TestReportRow[]> {
  const rows = await db
    .selectFrom('connection_test_reports')
    .select([
      'id',
      'origin',
      'issuer',
      'kid',
      'passed',
      'plans',
      'subject',
      'issued_at',
      'recorded_by',
      'recorded_at',
    ])
    .where('dossier_id', '=', dossierId)
    .orderBy('recorded_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    origin: r.origin,
    issuer: r.issuer,
    kid: r.kid,
    passed: r.passed,
    plans: r.plans,
    subject: r.subject,
    issuedAt: new Date(r.issued_at),
    recordedBy: r.recorded_by,
    recordedAt: new Date(r.recorded_at),
  }));
}

export async function insertTestReport(
  db: Db,
  r: Omit<TestReportRow, 'recordedAt'> & { dossierId: string; jws: string },
): Promise<void> {
  await db
    .insertInto('connection_test_reports')
    .values({
      id: r.id,
      dossier_id: r.dossierId,
      origin: r.origin,
      issuer: r.issuer,
      kid: r.kid,
      passed: r.passed,
      plans: JSON.stringify(r.plans),
      subject: JSON.stringify(r.subject),
      issued_at: r.issuedAt,
      jws: r.jws,
      recorded_by: r.recordedBy,
      recorded_at: new Date(),
    })
    .execute();
}

// ── the dashboard ───────────────────────────────────────────────────────────

export interface QueueFilter {
  states?: DossierState[];
  assignedTo?: string | null;
  overdueAt?: Date;
  search?: string;
  limit: number;
  offset: number;
}

/** Files of the queue, the nearest deadline first (those without a deadline last), and how many match. */
export async function queue(db: Db, f: QueueFilter): Promise<{ rows: DossierRow[]; total: number }> {
  let q = db.selectFrom('dossiers');
  if (f.states && f.states.length > 0) q = q.where('state', 'in', f.states);
  if (f.assignedTo !== undefined)
    q =
      f.assignedTo === null ? q.where('assigned_to', 'is', null) : q.where('assigned_to', '=', f.assignedTo);
  if (f.overdueAt) q = q.where('phase_due_at', '<', f.overdueAt);
  if (f.search) q = q.where('number', 'like', `%${f.search.replace(/[%_\\]/g, '')}%`);
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy(sql`phase_due_at asc nulls last`)
      .orderBy('id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(toRow), total: Number(count.n) };
}

/** Files per state; and per instructor, those in progress and those overdue. */
export async function counts(
  db: Db,
  openStates: DossierState[],
  overdueStates: DossierState[],
  now: Date,
): Promise<{
  byState: Record<string, number>;
  workload: Array<{ accountId: string; open: number; overdue: number }>;
  overdue: number;
}> {
  const [byState, workload, overdue] = await Promise.all([
    db
      .selectFrom('dossiers')
      .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('state')
      .execute(),
    db
      .selectFrom('dossiers')
      .select([
        'assigned_to',
        (eb) => eb.fn.countAll<string>().as('open'),
        sql<string>`count(*) filter (where phase_due_at < ${now} and state in (${sql.join(overdueStates)}))`.as(
          'overdue',
        ),
      ])
      .where('assigned_to', 'is not', null)
      .where('state', 'in', openStates)
      .groupBy('assigned_to')
      .execute(),
    db
      .selectFrom('dossiers')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('state', 'in', overdueStates)
      .where('phase_due_at', '<', now)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    byState: Object.fromEntries(byState.map((r) => [r.state, Number(r.n)])),
    workload: workload.map((r) => ({
      accountId: r.assigned_to as string,
      open: Number(r.open),
      overdue: Number(r.overdue),
    })),
    overdue: Number(overdue.n),
  };
}

// ── the clock ───────────────────────────────────────────────────────────────

/** Published files whose referencing ends within `days`, or has ended while still online. */
export async function publishedEndingBefore(db: Db, until: Date): Promise<DossierRow[]> {
  const rows = await db
    .selectFrom('dossiers')
    .selectAll()
    .where('state', '=', 'published')
    .where('catalogue_status', '!=', 'DEREFERENCEE')
    .where('referenced_until', '<=', until)
    .execute();
  return rows.map(toRow);
}

/** Files held by the administration past their deadline and not yet reported overdue in that state. */
export async function overdueNotNotified(db: Db, states: DossierState[], now: Date): Promise<DossierRow[]> {
  const rows = await db
    .selectFrom('dossiers')
    .selectAll()
    .where('state', 'in', states)
    .where('phase_due_at', '<', now)
    .where((eb) =>
      eb.or([eb('overdue_notified_state', 'is', null), eb('overdue_notified_state', '!=', eb.ref('state'))]),
    )
    .limit(500)
    .execute();
  return rows.map(toRow);
}

/** Requests for information whose answer is late. */
export async function infoRequestedPastDue(db: Db, now: Date): Promise<DossierRow[]> {
  const rows = await db
    .selectFrom('dossiers')
    .selectAll()
    .where('state', '=', 'info_requested')
    .where('phase_due_at', '<', now)
    .where((eb) =>
      eb.or([eb('overdue_notified_state', 'is', null), eb('overdue_notified_state', '!=', eb.ref('state'))]),
    )
    .limit(500)
    .execute();
  return rows.map(toRow);
}
