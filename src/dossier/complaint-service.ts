/**
 * Use cases of citizens' reports (plaintes) and audits of referenced services: a citizen reports a problem on
 * a referenced service; instructors take it, answer it, close it, open an audit from it or suspend the
 * service through the file's state machine (`act`). Audits have a scope, a deadline and findings with their
 * own deadlines, and a conclusion. Every change names the row version it read (stale: a conflict with the row
 * as it stands, nothing written) and writes its audit event and notifications in its transaction.
 *
 * Privacy: a report's citizen is never shown to the publisher, and its message never goes to the audit log
 * (it may hold health data); the publisher hears of audits only, never of who reported.
 */

import { appendAuditEvent } from '../audit/index.ts';
import type { Actor } from '../identity/index.ts';
import { accountNames, organisationNames } from '../identity/index.ts';
import type { Notifier } from '../notification/index.ts';
import { newId } from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';
import {
  AppError,
  forbidden,
  notFound,
  tooManyRequests,
  unauthenticated,
  validationFailed,
} from '../platform/errors.ts';
import { getProduct } from '../product/index.ts';
import { loadComplaintCategories } from './complaint-categories.ts';
import {
  ANSWER_MAX,
  type AuditStatus,
  addFindings,
  type ComplaintCategory,
  type ComplaintMove,
  type ComplaintStatus,
  closingProblems,
  complaintMovesFrom,
  complaintReference,
  defaultReportLimits,
  dueDateOf,
  type Finding,
  type FindingInput,
  limitReached,
  mayAuditOn,
  mayChangeAudit,
  mayReportOn,
  nextComplaintStatus,
  openFindings,
  openingProblems,
  REASONS_MAX,
  type ReportLimits,
  referencePrefix,
  reportProblems,
  resolveFinding,
  staffRights,
  textProblem,
} from './complaint-model.ts';
import * as cstore from './complaint-store.ts';
import type { CatalogueStatus, DossierRole } from './model.ts';
import { actIn, type DossierDeps, rolesOn } from './service.ts';
import * as store from './store.ts';

export interface ComplaintDeps extends Omit<DossierDeps, 'notifier'> {
  /** The notification module's entry (`ctx.notifier`): it reaches citizens too. */
  notifier?: Notifier;
  categories: ComplaintCategory[];
  limits?: ReportLimits;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const nowOf = (deps: Pick<ComplaintDeps, 'now'>) => (deps.now ? deps.now() : new Date());
const PAGE = 50;
/** No organisation: `rolesOn` then gives the actor's staff roles only. */
const NO_ORGANISATION = '00000000-0000-0000-0000-000000000000';

// ── errors ──────────────────────────────────────────────────────────────────

/** A change to a report based on a version that is no longer current: `current` is the report as it stands. */
export class ComplaintConflict extends AppError {
  readonly current: cstore.ComplaintRow;
  constructor(current: cstore.ComplaintRow) {
    super('conflict', 409, 'complaint.conflict', { version: current.rowVersion });
    this.current = current;
  }
}

/** A change to an audit based on a version that is no longer current. */
export class AuditConflict extends AppError {
  readonly current: cstore.ServiceAuditRow;
  constructor(current: cstore.ServiceAuditRow) {
    super('conflict', 409, 'complaint.audit.conflict', { version: current.rowVersion });
    this.current = current;
  }
}

/** A move the report's status does not allow (taking an answered report, answering a new one…). */
export class ComplaintStatusError extends AppError {
  constructor(status: ComplaintStatus, move: string) {
    super('illegal_transition', 409, 'complaint.error.status', { status, move });
  }
}

// ── who is acting ───────────────────────────────────────────────────────────

function citizenOf(actor: Actor): string {
  if (actor.kind === 'citizen') return actor.citizenId;
  if (actor.kind === 'anonymous') throw unauthenticated();
  throw forbidden();
}

function staffRolesOf(actor: Actor): DossierRole[] {
  return rolesOn(actor, NO_ORGANISATION).filter(
    (r) => r === 'instructeur' || r === 'commission' || r === 'decideur',
  );
}

/** Staff who read reports and audits; anyone else is refused (a publisher never sees a report). */
function reader(actor: Actor): { roles: DossierRole[]; handle: boolean; accountId: string } {
  const roles = staffRolesOf(actor);
  const rights = staffRights(roles);
  if (!rights.read || actor.kind !== 'account') throw forbidden();
  return { roles, handle: rights.handle, accountId: actor.accountId };
}

/** Instructors handle reports and audits; other staff read them. */
function handler(actor: Actor): { accountId: string } {
  const r = reader(actor);
  if (!r.handle) throw forbidden('complaint.error.instructor_only');
  return { accountId: r.accountId };
}

async function audit(
  trx: Db,
  actor: Actor,
  action: string,
  subject: { type: 'complaint' | 'service_audit'; id: string },
  data: Record<string, unknown>,
): Promise<void> {
  await appendAuditEvent(trx, {
    actorType: actor.kind === 'account' ? 'account' : actor.kind === 'citizen' ? 'citizen' : 'system',
    actorId: actor.kind === 'account' ? actor.accountId : actor.kind === 'citizen' ? actor.citizenId : null,
    action,
    subjectType: subject.type,
    subjectId: subject.id,
    data,
  });
}

// ── the service reported on ─────────────────────────────────────────────────

/** A referenced service as reports and audits show it. */
export interface ServiceRef {
  dossierId: string;
  number: string | null;
  productId: string;
  productName: string;
  organisationId: string;
  organisationName: string;
  catalogueStatus: CatalogueStatus | null;
  rowVersion: number;
}

async function serviceRef(db: Db, row: store.DossierRow): Promise<ServiceRef> {
  const [product, orgs] = await Promise.all([
    getProduct(db, row.productId),
    organisationNames(db, [row.organisationId]),
  ]);
  return {
    dossierId: row.id,
    number: row.number,
    productId: row.productId,
    productName: product?.displayName ?? '',
    organisationId: row.organisationId,
    organisationName: orgs.get(row.organisationId)?.legalName ?? '',
    catalogueStatus: row.catalogueStatus,
    rowVersion: row.rowVersion,
  };
}

async function dossierRow(db: Db, dossierId: string): Promise<store.DossierRow> {
  const row = UUID.test(dossierId) ? await store.findDossier(db, dossierId) : undefined;
  if (!row) throw notFound();
  return row;
}

/** The service a citizen may report on (a published file shown, or once shown, in the catalogue), or 404. */
export async function reportTarget(deps: Pick<ComplaintDeps, 'db'>, dossierId: string): Promise<ServiceRef> {
  const row = await dossierRow(deps.db, dossierId);
  if (!mayReportOn(row)) throw notFound();
  return serviceRef(deps.db, row);
}

// ── citizens ────────────────────────────────────────────────────────────────

/** A report as its citizen sees it: no word of who handled it. */
export interface CitizenComplaintView {
  id: string;
  reference: string;
  dossierId: string;
  productName: string;
  category: string;
  message: string;
  status: ComplaintStatus;
  answer: string | null;
  answeredAt: Date | null;
  createdAt: Date;
}

async function citizenViews(db: Db, rows: cstore.ComplaintRow[]): Promise<CitizenComplaintView[]> {
  const names = new Map<string, string>();
  for (const dossierId of new Set(rows.map((r) => r.dossierId))) {
    const row = await store.findDossier(db, dossierId);
    const product = row ? await getProduct(db, row.productId) : undefined;
    names.set(dossierId, product?.displayName ?? '');
  }
  return rows.map((r) => ({
    id: r.id,
    reference: complaintReference(r.id),
    dossierId: r.dossierId,
    productName: names.get(r.dossierId) ?? '',
    category: r.category,
    message: r.message,
    status: r.status,
    // The answer is the citizen's once given (a report closed without one shows none).
    answer: r.status === 'answered' || r.status === 'closed' ? r.answer : null,
    answeredAt: r.answeredAt,
    createdAt: r.createdAt,
  }));
}

/**
 * A signed-in citizen reports a problem on a referenced service: a known category, a message of 20 to 5000
 * characters, within the limits (open reports on the service, reports per day). Instructors are notified.
 */
export async function fileComplaint(
  deps: ComplaintDeps,
  actor: Actor,
  dossierId: string,
  input: { category: string; message: string },
): Promise<CitizenComplaintView> {
  const citizenId = citizenOf(actor);
  const target = await reportTarget(deps, dossierId);
  const problems = reportProblems(input, deps.categories);
  if (Object.keys(problems).length > 0) throw validationFailed(problems);
  const now = nowOf(deps);
  const id = newId();
  const message = input.message.trim();
  await deps.db.transaction().execute(async (trx) => {
    await cstore.lockCitizenFilings(trx, citizenId);
    const counts = await cstore.filingCounts(trx, citizenId, dossierId, new Date(now.getTime() - 86_400_000));
    const limits = deps.limits ?? defaultReportLimits;
    const limit = limitReached(counts, limits);
    if (limit) throw tooManyRequests(limit, { open: limits.openPerService, day: limits.perDay });
    await cstore.insertComplaint(trx, {
      id,
      dossierId,
      citizenId,
      category: input.category,
      message,
      at: now,
    });
    await audit(
      trx,
      actor,
      'complaint.filed',
      { type: 'complaint', id },
      { dossierId, category: input.category },
    );
    await deps.notifier?.notify(trx, {
      recipients: [{ staffRole: 'instructeur' }],
      kind: 'dossier.notify.complaint_filed',
      params: { product: target.productName, reference: complaintReference(id), category: input.category },
      link: complaintPage(id),
    });
  });
  return citizenComplaint(deps, actor, id);
}

/** The citizen's own reports, newest first. */
export async function citizenComplaints(
  deps: Pick<ComplaintDeps, 'db'>,
  actor: Actor,
): Promise<CitizenComplaintView[]> {
  const citizenId = citizenOf(actor);
  return citizenViews(deps.db, await cstore.complaintsOfCitizen(deps.db, citizenId));
}

/** One of the citizen's own reports (anyone else's is not found). */
export async function citizenComplaint(
  deps: Pick<ComplaintDeps, 'db'>,
  actor: Actor,
  id: string,
): Promise<CitizenComplaintView> {
  const citizenId = citizenOf(actor);
  const row = UUID.test(id) ? await cstore.findComplaint(deps.db, id) : undefined;
  if (!row || row.citizenId !== citizenId) throw notFound();
  return (await citizenViews(deps.db, [row]))[0] as CitizenComplaintView;
}

// ── the instruction: reports ────────────────────────────────────────────────

export const complaintPage = (id: string) => `/instruction/plaintes/${id}`;
export const auditPage = (id: string) => `/instruction/audits/${id}`;
export const publisherDossierPage = (dossierId: string) => `/editeur/dossiers/${dossierId}`;

export interface AuditSummary {
  id: string;
  dossierId: string;
  complaintId: string | null;
  scope: string;
  status: AuditStatus;
  dueAt: Date;
  openedAt: Date;
  closedAt: Date | null;
  findings: number;
  openFindings: number;
}

const auditSummary = (a: cstore.ServiceAuditRow): AuditSummary => ({
  id: a.id,
  dossierId: a.dossierId,
  complaintId: a.complaintId,
  scope: a.scope,
  status: a.status,
  dueAt: a.dueAt,
  openedAt: a.openedAt,
  closedAt: a.closedAt,
  findings: a.findings.length,
  openFindings: openFindings(a.findings).length,
});

/** A report as staff see it: the service, who handles it, the other reports on the service, its audits. */
export interface ComplaintView {
  id: string;
  reference: string;
  service: ServiceRef;
  category: string;
  message: string;
  status: ComplaintStatus;
  answer: string | null;
  answeredAt: Date | null;
  handledBy: { id: string; name: string } | null;
  /** The reporting citizen (pseudonymous id), for staff only; null once their account is gone. */
  citizenId: string | null;
  createdAt: Date;
  updatedAt: Date;
  rowVersion: number;
  /** Reports on the same service, this one aside, by status. */
  otherComplaints: Record<ComplaintStatus, number>;
  audits: AuditSummary[];
  /** What the viewer may do now. */
  moves: ComplaintMove[];
  mayOpenAudit: boolean;
  maySuspend: boolean;
}

async function complaintView(
  deps: ComplaintDeps,
  row: cstore.ComplaintRow,
  handle: boolean,
): Promise<ComplaintView> {
  const dossier = await dossierRow(deps.db, row.dossierId);
  const [service, counts, audits, names] = await Promise.all([
    serviceRef(deps.db, dossier),
    cstore.complaintCountsOfDossier(deps.db, row.dossierId),
    cstore.listAudits(deps.db, { complaintId: row.id, limit: 50 }),
    accountNames(deps.db, row.handledBy ? [row.handledBy] : []),
  ]);
  counts[row.status] -= 1;
  return {
    id: row.id,
    reference: complaintReference(row.id),
    service,
    category: row.category,
    message: row.message,
    status: row.status,
    answer: row.answer,
    answeredAt: row.answeredAt,
    handledBy: row.handledBy ? { id: row.handledBy, name: names.get(row.handledBy) ?? '' } : null,
    citizenId: row.citizenId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    rowVersion: row.rowVersion,
    otherComplaints: counts,
    audits: audits.map(auditSummary),
    moves: handle ? complaintMovesFrom(row.status) : [],
    mayOpenAudit: handle && row.status !== 'closed' && mayAuditOn(dossier),
    maySuspend:
      handle &&
      row.status !== 'closed' &&
      dossier.state === 'published' &&
      dossier.catalogueStatus !== null &&
      ['EN_LIGNE', 'HORS_LIGNE', 'PRESERIE'].includes(dossier.catalogueStatus),
  };
}

/** One report, for staff (instructors, commission, deciders); a publisher is refused. */
export async function getComplaint(deps: ComplaintDeps, actor: Actor, id: string): Promise<ComplaintView> {
  const { handle } = reader(actor);
  const row = UUID.test(id) ? await cstore.findComplaint(deps.db, id) : undefined;
  if (!row) throw notFound();
  return complaintView(deps, row, handle);
}

export interface ComplaintListItem {
  id: string;
  reference: string;
  dossierId: string;
  productName: string;
  category: string;
  status: ComplaintStatus;
  createdAt: Date;
  updatedAt: Date;
  rowVersion: number;
}

export interface ComplaintQueue {
  items: ComplaintListItem[];
  total: number;
  page: number;
  pages: number;
  /** The status and the service filtered on, if any. */
  status?: ComplaintStatus;
  dossierId?: string;
  /** A report found by its reference (`SIG-…`). */
  found?: string;
}

/** The instruction's queue: new first, then in review, answered, closed; oldest first within each. */
export async function complaintQueue(
  deps: ComplaintDeps,
  actor: Actor,
  filter: { status?: ComplaintStatus; page?: number; dossierId?: string; reference?: string },
): Promise<ComplaintQueue> {
  reader(actor);
  const page = Math.max(1, Math.floor(filter.page ?? 1));
  const prefix = filter.reference ? referencePrefix(filter.reference) : undefined;
  const found = prefix ? await cstore.findComplaintByPrefix(deps.db, prefix) : undefined;
  const dossierId = filter.dossierId && UUID.test(filter.dossierId) ? filter.dossierId : undefined;
  const { rows, total } = await cstore.listComplaints(deps.db, {
    status: filter.status,
    dossierId,
    limit: PAGE,
    offset: (page - 1) * PAGE,
  });
  const products = new Map<string, string>();
  for (const dossierId of new Set(rows.map((r) => r.dossierId))) {
    const d = await store.findDossier(deps.db, dossierId);
    products.set(dossierId, d ? ((await getProduct(deps.db, d.productId))?.displayName ?? '') : '');
  }
  return {
    items: rows.map((r) => ({
      id: r.id,
      reference: complaintReference(r.id),
      dossierId: r.dossierId,
      productName: products.get(r.dossierId) ?? '',
      category: r.category,
      status: r.status,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      rowVersion: r.rowVersion,
    })),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE)),
    status: filter.status,
    dossierId,
    found: found?.id,
  };
}

/**
 * A step of a report: « Prendre en charge » (new → in review), « Répondre » (in review → answered, with the
 * answer the citizen reads; they are notified), « Clore » (answered → closed).
 */
export async function moveComplaint(
  deps: ComplaintDeps,
  actor: Actor,
  id: string,
  rowVersion: number,
  move: ComplaintMove,
  answer = '',
): Promise<ComplaintView> {
  if (!UUID.test(id) || !(await cstore.findComplaint(deps.db, id))) throw notFound();
  const { accountId } = handler(actor);
  if (move === 'answer') {
    const problem = textProblem(answer, ANSWER_MAX);
    if (problem) throw validationFailed({ answer: problem });
  }
  const now = nowOf(deps);
  await deps.db.transaction().execute(async (trx) => {
    const row = UUID.test(id) ? await cstore.findComplaint(trx, id) : undefined;
    if (!row) throw notFound();
    if (row.rowVersion !== rowVersion) throw new ComplaintConflict(row);
    const to = nextComplaintStatus(row.status, move);
    if (!to) throw new ComplaintStatusError(row.status, move);
    const changes: cstore.ComplaintChanges = { status: to };
    if (move === 'take') changes.handledBy = accountId;
    if (move === 'answer') {
      changes.answer = answer.trim();
      changes.answeredAt = now;
      changes.handledBy = row.handledBy ?? accountId;
    }
    if (!(await cstore.updateComplaint(trx, id, rowVersion, changes, now)))
      throw new ComplaintConflict((await cstore.findComplaint(trx, id)) as cstore.ComplaintRow);
    await audit(
      trx,
      actor,
      `complaint.${move === 'take' ? 'taken' : move === 'answer' ? 'answered' : 'closed'}`,
      {
        type: 'complaint',
        id,
      },
      { from: row.status, to, rowVersion: rowVersion + 1 },
    );
    if (move === 'answer' && row.citizenId) {
      const dossier = await store.findDossier(trx, row.dossierId);
      const product = dossier ? await getProduct(trx, dossier.productId) : undefined;
      await deps.notifier?.notify(trx, {
        recipients: [{ citizenId: row.citizenId }],
        kind: 'dossier.notify.complaint_answered',
        params: { product: product?.displayName ?? '', reference: complaintReference(id) },
        link: `/usager/signalements/${id}`,
      });
    }
  });
  return getComplaint(deps, actor, id);
}

/**
 * « Suspendre le service » from a report: the file's state machine decides (`act`, step `suspend`, with the
 * reasons the publisher reads), then the report records it. `rowVersion` is the report's, `dossierRowVersion`
 * the file's: either stale is a conflict. The file's step and the report's record are two transactions
 * (`act` keeps its own): if the report changed in between, the suspension stands and is still recorded.
 */
export async function suspendFromComplaint(
  deps: ComplaintDeps,
  actor: Actor,
  id: string,
  rowVersion: number,
  dossierRowVersion: number,
  reasons: string,
): Promise<ComplaintView> {
  const row = UUID.test(id) ? await cstore.findComplaint(deps.db, id) : undefined;
  if (!row) throw notFound();
  const { accountId } = handler(actor);
  const problem = textProblem(reasons, REASONS_MAX);
  if (problem) throw validationFailed({ reasons: problem });
  if (row.rowVersion !== rowVersion) throw new ComplaintConflict(row);
  if (row.status === 'closed') throw new ComplaintStatusError(row.status, 'suspend');
  const now = nowOf(deps);
  // The suspension and the complaint's change are written together, or neither is.
  await deps.db.transaction().execute(async (trx) => {
    const before = await dossierRow(trx, row.dossierId);
    await actIn(deps as DossierDeps, trx, actor, row.dossierId, dossierRowVersion, {
      type: 'suspend',
      reasons: reasons.trim(),
    });
    const changes: cstore.ComplaintChanges =
      row.status === 'new' ? { status: 'in_review', handledBy: accountId } : {};
    const written = await cstore.updateComplaint(trx, id, rowVersion, changes, now);
    if (!written) throw new ComplaintConflict((await cstore.findComplaint(trx, id)) ?? row);
    await audit(
      trx,
      actor,
      'complaint.service_suspended',
      { type: 'complaint', id },
      {
        dossierId: row.dossierId,
        catalogueFrom: before.catalogueStatus,
        catalogueTo: 'SUSPENDUE',
        ...(changes.status ? { from: row.status, to: changes.status } : {}),
      },
    );
  });
  return getComplaint(deps, actor, id);
}

// ── the instruction: audits ─────────────────────────────────────────────────

export interface AuditView {
  id: string;
  service: ServiceRef;
  /** The report the audit was opened from (staff only; null for the publisher). */
  complaintId: string | null;
  complaintReference: string | null;
  scope: string;
  status: AuditStatus;
  findings: Finding[];
  dueAt: Date;
  conclusion: string | null;
  openedBy: { id: string; name: string } | null;
  openedAt: Date;
  closedAt: Date | null;
  rowVersion: number;
  /** The viewer may add findings, mark them corrected and close the audit. */
  mayChange: boolean;
}

type AuditViewer = { kind: 'staff'; handle: boolean } | { kind: 'publisher' };

/** Staff read every audit; a member of the service's organisation reads its audits (not which report led to them). */
function auditViewer(actor: Actor, organisationId: string): AuditViewer {
  const roles = rolesOn(actor, organisationId);
  const rights = staffRights(roles);
  if (rights.read) return { kind: 'staff', handle: rights.handle };
  if (roles.includes('publisher')) return { kind: 'publisher' };
  throw notFound();
}

async function auditView(
  deps: ComplaintDeps,
  a: cstore.ServiceAuditRow,
  viewer: AuditViewer,
): Promise<AuditView> {
  const dossier = await dossierRow(deps.db, a.dossierId);
  const staff = viewer.kind === 'staff';
  const names = staff && a.openedBy ? await accountNames(deps.db, [a.openedBy]) : new Map<string, string>();
  return {
    id: a.id,
    service: await serviceRef(deps.db, dossier),
    complaintId: staff ? a.complaintId : null,
    complaintReference: staff && a.complaintId ? complaintReference(a.complaintId) : null,
    scope: a.scope,
    status: a.status,
    findings: a.findings,
    dueAt: a.dueAt,
    conclusion: a.conclusion,
    openedBy: staff && a.openedBy ? { id: a.openedBy, name: names.get(a.openedBy) ?? '' } : null,
    openedAt: a.openedAt,
    closedAt: a.closedAt,
    rowVersion: a.rowVersion,
    mayChange: viewer.kind === 'staff' && viewer.handle && mayChangeAudit(a.status),
  };
}

async function auditRow(db: Db, id: string): Promise<cstore.ServiceAuditRow> {
  const row = UUID.test(id) ? await cstore.findAudit(db, id) : undefined;
  if (!row) throw notFound();
  return row;
}

/** One audit: staff, or a member of the service's organisation. */
export async function getAudit(deps: ComplaintDeps, actor: Actor, id: string): Promise<AuditView> {
  const row = await auditRow(deps.db, id);
  const dossier = await dossierRow(deps.db, row.dossierId);
  return auditView(deps, row, auditViewer(actor, dossier.organisationId));
}

/** The audits of a service (its file): staff, or the organisation's members. */
export async function auditsOfDossier(
  deps: ComplaintDeps,
  actor: Actor,
  dossierId: string,
): Promise<AuditView[]> {
  const dossier = await dossierRow(deps.db, dossierId);
  const viewer = auditViewer(actor, dossier.organisationId);
  const rows = await cstore.listAudits(deps.db, { dossierId, limit: 200 });
  return Promise.all(rows.map((a) => auditView(deps, a, viewer)));
}

export interface AuditListItem extends AuditSummary {
  productName: string;
  overdue: boolean;
}

/** Every audit for staff: open first (nearest deadline first), then closed. */
export async function auditList(
  deps: ComplaintDeps,
  actor: Actor,
  filter: { status?: AuditStatus },
): Promise<AuditListItem[]> {
  reader(actor);
  const rows = await cstore.listAudits(deps.db, { status: filter.status, limit: 500 });
  const now = nowOf(deps);
  const products = new Map<string, string>();
  for (const dossierId of new Set(rows.map((r) => r.dossierId))) {
    const d = await store.findDossier(deps.db, dossierId);
    products.set(dossierId, d ? ((await getProduct(deps.db, d.productId))?.displayName ?? '') : '');
  }
  return rows.map((a) => ({
    ...auditSummary(a),
    productName: products.get(a.dossierId) ?? '',
    overdue: a.status === 'open' && a.dueAt.getTime() < now.getTime(),
  }));
}

/** The service an audit is opened on from its file (instructors), or a refusal when it is not referenced. */
export async function auditTarget(deps: ComplaintDeps, actor: Actor, dossierId: string): Promise<ServiceRef> {
  const row = await dossierRow(deps.db, dossierId);
  handler(actor);
  if (!mayAuditOn(row)) throw new AppError('illegal_transition', 409, 'complaint.audit.not_referenced');
  return serviceRef(deps.db, row);
}

export interface AuditOpening {
  scope: string;
  dueAt: string;
  findings: FindingInput[];
  /** The report the audit comes from, at the version read (the report is then in review). */
  complaint?: { id: string; rowVersion: number };
}

/**
 * Opens an audit of a referenced service (instructors), from a report or from the file. The organisation's
 * members are told of its scope and deadline, never of a report or its author.
 */
export async function openAudit(
  deps: ComplaintDeps,
  actor: Actor,
  dossierId: string,
  input: AuditOpening,
): Promise<AuditView> {
  const dossier = await dossierRow(deps.db, dossierId);
  const { accountId } = handler(actor);
  if (!mayAuditOn(dossier)) throw new AppError('illegal_transition', 409, 'complaint.audit.not_referenced');
  const now = nowOf(deps);
  const problems = openingProblems(input, now);
  if (Object.keys(problems).length > 0) throw validationFailed(problems);
  const added = addFindings(
    [],
    input.findings,
    input.findings.map(() => newId()),
    now,
  );
  if (!added.ok) throw validationFailed(added.problems);
  const dueAt = dueDateOf(input.dueAt) as Date;
  const id = newId();
  const service = await serviceRef(deps.db, dossier);
  await deps.db.transaction().execute(async (trx) => {
    if (input.complaint) {
      const c = UUID.test(input.complaint.id)
        ? await cstore.findComplaint(trx, input.complaint.id)
        : undefined;
      if (!c || c.dossierId !== dossierId) throw notFound();
      if (c.rowVersion !== input.complaint.rowVersion) throw new ComplaintConflict(c);
      if (c.status === 'closed') throw new ComplaintStatusError(c.status, 'audit');
      const changes: cstore.ComplaintChanges =
        c.status === 'new' ? { status: 'in_review', handledBy: accountId } : {};
      if (!(await cstore.updateComplaint(trx, c.id, c.rowVersion, changes, now)))
        throw new ComplaintConflict((await cstore.findComplaint(trx, c.id)) as cstore.ComplaintRow);
      await audit(
        trx,
        actor,
        'complaint.audit_opened',
        { type: 'complaint', id: c.id },
        {
          auditId: id,
          ...(changes.status ? { from: c.status, to: changes.status } : {}),
        },
      );
    }
    await cstore.insertAudit(trx, {
      id,
      dossierId,
      complaintId: input.complaint?.id ?? null,
      scope: input.scope.trim(),
      findings: added.findings,
      dueAt,
      openedBy: accountId,
      at: now,
    });
    await audit(
      trx,
      actor,
      'service_audit.opened',
      { type: 'service_audit', id },
      {
        dossierId,
        complaintId: input.complaint?.id ?? null,
        dueAt: dueAt.toISOString(),
        findings: added.findings.map((f) => f.id),
      },
    );
    await store.insertEvent(trx, {
      dossierId,
      actorAccountId: accountId,
      actorRole: 'instructeur',
      type: 'audit_opened',
      data: { auditId: id, dueAt: dueAt.toISOString() },
      at: now,
    });
    await deps.notifier?.notify(trx, {
      recipients: [{ organisationId: dossier.organisationId }],
      kind: 'dossier.notify.audit_opened',
      params: {
        product: service.productName,
        dueAt: dueAt.toISOString().slice(0, 10),
        scope: input.scope.trim(),
        findings: added.findings.length,
      },
      link: publisherDossierPage(dossierId),
    });
  });
  return getAudit(deps, actor, id);
}

export interface AuditChange {
  addFindings?: FindingInput[];
  resolveFindings?: string[];
  /** Closes the audit with this conclusion. */
  close?: { conclusion: string };
}

/**
 * Changes an open audit (instructors): adds findings (the organisation is told of each, with its deadline),
 * marks findings corrected, closes it with a conclusion (the organisation is told). All or nothing.
 */
export async function changeAudit(
  deps: ComplaintDeps,
  actor: Actor,
  id: string,
  rowVersion: number,
  change: AuditChange,
): Promise<AuditView> {
  await auditRow(deps.db, id);
  handler(actor);
  const now = nowOf(deps);
  await deps.db.transaction().execute(async (trx) => {
    const row = await auditRow(trx, id);
    if (row.rowVersion !== rowVersion) throw new AuditConflict(row);
    if (!mayChangeAudit(row.status)) throw new AppError('illegal_transition', 409, 'complaint.audit.closed');
    let findings = row.findings;
    const newIds: string[] = [];
    if (change.addFindings && change.addFindings.length > 0) {
      const ids = change.addFindings.map(() => newId());
      const added = addFindings(findings, change.addFindings, ids, now);
      if (!added.ok) throw validationFailed(added.problems);
      newIds.push(...added.findings.slice(findings.length).map((f) => f.id));
      findings = added.findings;
    }
    const resolved: string[] = [];
    for (const findingId of change.resolveFindings ?? []) {
      const r = resolveFinding(findings, findingId, now);
      if (!r.ok) throw validationFailed({ findingId: r.key }, r.key);
      findings = r.findings;
      resolved.push(findingId);
    }
    const changes: cstore.AuditChanges = { findings };
    if (change.close) {
      const problems = closingProblems(change.close.conclusion);
      if (Object.keys(problems).length > 0) throw validationFailed(problems);
      changes.status = 'closed';
      changes.conclusion = change.close.conclusion.trim();
      changes.closedAt = now;
    }
    if (newIds.length === 0 && resolved.length === 0 && !change.close)
      throw validationFailed({ change: 'complaint.audit.nothing' }, 'complaint.audit.nothing');
    if (!(await cstore.updateAudit(trx, id, rowVersion, changes)))
      throw new AuditConflict((await cstore.findAudit(trx, id)) as cstore.ServiceAuditRow);
    const subject = { type: 'service_audit' as const, id };
    const dossier = await dossierRow(trx, row.dossierId);
    const product = (await getProduct(trx, dossier.productId))?.displayName ?? '';
    const link = publisherDossierPage(row.dossierId);
    for (const f of findings.filter((x) => newIds.includes(x.id))) {
      await audit(trx, actor, 'service_audit.finding_added', subject, { findingId: f.id, dueAt: f.dueAt });
      await deps.notifier?.notify(trx, {
        recipients: [{ organisationId: dossier.organisationId }],
        kind: 'dossier.notify.audit_finding',
        params: { product, finding: f.text, dueAt: f.dueAt.slice(0, 10) },
        link,
      });
    }
    for (const findingId of resolved) {
      await audit(trx, actor, 'service_audit.finding_resolved', subject, { findingId });
    }
    if (newIds.length > 0)
      await store.insertEvent(trx, {
        dossierId: row.dossierId,
        actorAccountId: actor.kind === 'account' ? actor.accountId : null,
        actorRole: 'instructeur',
        type: 'audit_finding',
        data: { auditId: id, findings: newIds.length },
        at: now,
      });
    if (change.close) {
      const open = openFindings(findings).length;
      await audit(trx, actor, 'service_audit.closed', subject, { openFindings: open });
      await store.insertEvent(trx, {
        dossierId: row.dossierId,
        actorAccountId: actor.kind === 'account' ? actor.accountId : null,
        actorRole: 'instructeur',
        type: 'audit_closed',
        data: { auditId: id, openFindings: open },
        at: now,
      });
      await deps.notifier?.notify(trx, {
        recipients: [{ organisationId: dossier.organisationId }],
        kind: 'dossier.notify.audit_closed',
        params: { product, conclusion: changes.conclusion as string, open },
        link,
      });
    }
  });
  return getAudit(deps, actor, id);
}

// ── deps, demo ──────────────────────────────────────────────────────────────

/** The reports' use cases from the file's deps, the notifier that reaches citizens, and the categories. */
export function complaintDeps(
  deps: DossierDeps,
  notifier: Notifier | undefined,
  categories: ComplaintCategory[] = loadComplaintCategories(),
): ComplaintDeps {
  return { ...deps, notifier, categories };
}

/**
 * The sandbox's demo: one new report of a citizen on a published service. Does nothing when the citizen has
 * already reported on it. Instructors are notified as for any report.
 */
export async function seedDemoComplaint(
  db: Db,
  deps: DossierDeps,
  dossierId: string,
  citizenId: string,
): Promise<string | undefined> {
  const cdeps = complaintDeps({ ...deps, db }, deps.notifier as Notifier | undefined);
  const existing = await cstore.complaintsOfCitizen(db, citizenId);
  if (existing.some((c) => c.dossierId === dossierId)) return undefined;
  const citizen: Actor = { kind: 'citizen', citizenId, displayName: 'demo' };
  const filed = await fileComplaint(cdeps, citizen, dossierId, {
    category: 'donnees-personnelles',
    message:
      'Le service me demande mon numéro de sécurité sociale pour créer un compte, alors que sa politique de confidentialité ne le mentionne pas (démonstration).',
  });
  return filed.id;
}
