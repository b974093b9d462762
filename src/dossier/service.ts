/**
 * Use cases of the referencing file: creating and preparing a request, filing it (the assessment frozen),
 * every step of the instruction through `act` (the state machine of `model.ts` decides), verdicts, requests
 * for information, connection-test reports, versions, renewal, the dashboard and the clock. Every change
 * is written with its timeline event, its audit event and its notifications in one transaction, and names
 * the row version it was based on: a stale one is refused with the file as it now stands.
 */
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JWK } from 'jose';
import type { AppContext } from '../app.ts';
import { freezeAssessment, getAssessment, listAssessments } from '../assessment/index.ts';
import { appendAuditEvent } from '../audit/index.ts';
import type { ConnectionTestReport } from '../conformance/index.ts';
import { notifyNewVersion } from '../consent/index.ts';
import { eth32Evidence } from '../ecoscore/index.ts';
import {
  type Actor,
  accountNames,
  getOrganisation,
  organisationNames,
  staffWithRole,
} from '../identity/index.ts';
import type { OrganisationRole } from '../identity/model.ts';
import { registerServiceClient, setServiceClientStatus } from '../oauth/index.ts';
import { newId, sha256 } from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';
import { AppError, forbidden, notFound, validationFailed } from '../platform/errors.ts';
import { getProduct, getProducts, type Product } from '../product/index.ts';
import type { ReferentialVersion } from '../referential/index.ts';
import { isAdminFileValidated } from './admin-file-service.ts';
import {
  type CatalogueStatus,
  type DataExchangeDeclaration,
  type DocumentKind,
  type DossierAction,
  type DossierActionType,
  type DossierFacts,
  type DossierRole,
  type DossierState,
  decide,
  evaluationNumber,
  expectedFrom,
  finalStates,
  isOverdue,
  mayEditRequest,
  mayRecordVerdict,
  type OpinionKind,
  opinionKinds as opinionKindsList,
  phaseDeadline,
  possibleActions,
  type RequestContent,
  remindersDue,
  requestProblems,
  requiredTestPlans,
  serviceOid,
  staffPhases,
  type Typology,
  type Verdict,
  verdicts,
} from './model.ts';
import { type ProcessFile, processRules } from './process.ts';
import * as store from './store.ts';

export interface DossierDeps {
  db: Db;
  config: AppContext['config'];
  referentials: AppContext['referentials'];
  keys: AppContext['keys'];
  process: ProcessFile;
  notifier?: {
    notify(
      trx: Db,
      input: {
        recipients: Array<
          | { accountId: string }
          | { organisationId: string; roles?: OrganisationRole[] }
          | { staffRole: 'instructeur' | 'commission' | 'decideur' | 'admin' }
        >;
        kind: string;
        params?: Record<string, string | number>;
        link?: string;
      },
    ): Promise<number>;
  };
  /** The clock (tests move it). */
  now?: () => Date;
  /** What this app keeps between requests: the processing-time figures, a minute. */
  cache?: {
    medians?: { at: number; value: Partial<Record<DossierState, { days: number; count: number }>> };
    computing?: Promise<Partial<Record<DossierState, { days: number; count: number }>>>;
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const nowOf = (deps: DossierDeps) => (deps.now ? deps.now() : new Date());

// ── errors ──────────────────────────────────────────────────────────────────

/** A change based on a version of the file that is no longer current: `current` is the file as it stands. */
export class DossierConflict extends AppError {
  readonly current: { state: DossierState; catalogueStatus: CatalogueStatus | null; rowVersion: number };
  constructor(row: store.DossierRow) {
    super('conflict', 409, 'dossier.conflict', { version: row.rowVersion });
    this.current = { state: row.state, catalogueStatus: row.catalogueStatus, rowVersion: row.rowVersion };
  }
}

/** A move the state machine does not allow from where the file is. */
export class IllegalTransition extends AppError {
  constructor(key: string, params: Record<string, string | number>) {
    super('illegal_transition', 409, key, params);
  }
}

/** A verdict recorded by a colleague since it was read. */
export class VerdictConflict extends AppError {
  readonly current: store.VerdictRow | undefined;
  constructor(current: store.VerdictRow | undefined) {
    super('conflict', 409, 'dossier.verdict_conflict');
    this.current = current;
  }
}

// ── who is acting ───────────────────────────────────────────────────────────

/** The roles an actor holds on a file of `organisationId` (empty: the file is not theirs to see). */
export function rolesOn(actor: Actor, organisationId: string): DossierRole[] {
  if (actor.kind !== 'account') return [];
  const roles: DossierRole[] = [];
  const tokenOk = !actor.apiTokenOrganisationId || actor.apiTokenOrganisationId === organisationId;
  const m = tokenOk ? actor.memberships.find((x) => x.organisationId === organisationId) : undefined;
  if (m) {
    roles.push('publisher');
    if (m.role === 'mandataire' || m.role === 'representant') roles.push('publisher_manager');
  }
  if (actor.apiTokenOrganisationId === undefined && actor.secondFactorOk) {
    for (const r of actor.staffRoles) if (r !== 'admin') roles.push(r);
  }
  return roles;
}

const isStaffRole = (r: DossierRole) => r === 'instructeur' || r === 'commission' || r === 'decideur';

function actorId(actor: Actor): string | null {
  return actor.kind === 'account' ? actor.accountId : null;
}

// ── views ───────────────────────────────────────────────────────────────────

export interface DocumentView {
  id: string;
  kind: string;
  criterionId: string | null;
  infoRequestId: string | null;
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
  uploadedAt: Date;
}

export interface InfoRequestView extends store.InfoRequestRow {
  askedByName?: string;
  answeredByName?: string;
}

export interface DossierView {
  id: string;
  number: string | null;
  kind: store.DossierRow['kind'];
  parentId: string | null;
  organisation: { id: string; legalName: string; siren: string };
  product: Product;
  productVersion: string;
  typology: Typology;
  referentialVersion: string;
  assessmentId: string | null;
  state: DossierState;
  stateSince: Date;
  catalogueStatus: CatalogueStatus | null;
  request: RequestContent;
  /** The assessment as filed (JSON report) and the écoscore evidence at submission. */
  snapshot: store.DossierRow['snapshot'];
  touchedCriteria: string[] | null;
  opinion: store.OpinionRecord | null;
  reservations: store.DossierRow['reservations'];
  decision: store.DecisionRecord | null;
  convention: store.DossierRow['convention'];
  phaseDueAt: Date | null;
  paused: boolean;
  overdue: boolean;
  expectedFrom: ReturnType<typeof expectedFrom>;
  assignedTo: { id: string; name: string } | null;
  oid: string | null;
  referencedUntil: Date | null;
  renewalRequested: boolean;
  updateDueAt: Date | null;
  submittedAt: Date | null;
  publishedAt: Date | null;
  rowVersion: number;
  createdAt: Date;
  updatedAt: Date;
  documents: DocumentView[];
  infoRequests: InfoRequestView[];
  testReports: store.TestReportRow[];
  /** What still stops the submission (field → message key). */
  requestProblems: Record<string, string>;
  /** The viewer's roles on this file, and the actions those roles could take now. */
  roles: DossierRole[];
  actions: DossierActionType[];
  mayEditRequest: boolean;
  mayRecordVerdicts: boolean;
}

async function visibleRow(
  deps: DossierDeps,
  actor: Actor,
  id: string,
): Promise<{ row: store.DossierRow; roles: DossierRole[] }> {
  if (!UUID.test(id)) throw notFound();
  const row = await store.findDossier(deps.db, id);
  if (!row) throw notFound();
  const roles = rolesOn(actor, row.organisationId);
  if (roles.length === 0) throw notFound();
  // A draft is the publisher's work in progress: the administration sees a request once it is filed.
  if (row.state === 'draft' && !roles.includes('publisher')) throw notFound();
  return { row, roles };
}

function versionOf(
  deps: DossierDeps,
  row: Pick<store.DossierRow, 'referentialVersion'>,
): ReferentialVersion | undefined {
  return deps.referentials.get(row.referentialVersion);
}

function problemsOf(
  deps: DossierDeps,
  row: store.DossierRow,
  documents: readonly { kind: string }[],
): Record<string, string> {
  const version = versionOf(deps, row);
  return requestProblems(
    row.typology,
    row.request,
    documents.map((d) => d.kind as DocumentKind),
    {
      finalites: version?.finalites.map((f) => f.code) ?? [],
      categories: version?.dataCategories.map((c) => c.code) ?? [],
    },
  );
}

/** The criteria a file's experts must give a verdict on: those the frozen assessment applies (or the touched ones). */
export function criteriaToEvaluate(row: store.DossierRow): string[] {
  if (row.kind === 'update' && row.touchedCriteria) return row.touchedCriteria;
  const report = row.snapshot?.assessment as
    | { criteria?: Array<{ id: string; applicable?: boolean }> }
    | undefined;
  return (report?.criteria ?? []).filter((c) => c.applicable !== false).map((c) => c.id);
}

async function factsOf(deps: DossierDeps, db: Db, row: store.DossierRow): Promise<DossierFacts> {
  const [documents, verdictRows, reports, adminOk] = await Promise.all([
    store.documentsOf(db, row.id),
    store.verdictsOf(db, row.id),
    store.testReportsOf(db, row.id),
    row.state === 'draft' ? isAdminFileValidated(db, row.organisationId) : Promise.resolve(true),
  ]);
  let assessmentReady = false;
  if (row.state === 'draft' && row.assessmentId) {
    const listed = await listAssessmentsReady(deps, db, row);
    assessmentReady = listed;
  }
  const toEvaluate = criteriaToEvaluate(row);
  const byCriterion = new Map(verdictRows.map((v) => [v.criterionId, v]));
  const allowed = (row.convention?.categories as Array<{ code: string }> | undefined) ?? [];
  const plans = requiredTestPlans(allowed);
  return {
    kind: row.kind,
    state: row.state,
    catalogueStatus: row.catalogueStatus,
    dataExchange: row.typology === 'avec-echange',
    requestProblems: row.state === 'draft' ? problemsOf(deps, row, documents) : {},
    adminFileValidated: adminOk,
    assessmentReady,
    verdictsMissing: toEvaluate.filter((id) => !byCriterion.has(id)).length,
    verdictsToComplete: toEvaluate.filter((id) => byCriterion.get(id)?.verdict === 'a_completer').length,
    infoReturnState: row.infoReturnState,
    opinion: row.opinion?.kind ?? null,
    reservations: row.reservations,
    connectionTestsPassed: reports.some(
      (r) => r.passed && plans.every((p) => r.plans.some((x) => x.id === p && x.status === 'passed')),
    ),
    referencedUntil: row.referencedUntil?.toISOString() ?? null,
    renewalRequested: row.renewalRequested,
    phaseDueAt: row.phaseDueAt?.toISOString() ?? null,
    pausedAt: row.pausedAt?.toISOString() ?? null,
    pausedPhaseDueAt: row.pausedPhaseDueAt?.toISOString() ?? null,
  };
}

/** Whether the file's assessment is ready (no blocking gap), read with the rights of the system. */
async function listAssessmentsReady(deps: DossierDeps, db: Db, row: store.DossierRow): Promise<boolean> {
  if (!row.assessmentId) return false;
  const view = await getAssessment(
    { db, config: deps.config, referentials: deps.referentials },
    SYSTEM_READER(row.organisationId),
    row.assessmentId,
  ).catch(() => undefined);
  return view?.evaluation.ready ?? false;
}

/**
 * The system reads a publisher's assessment as a member of its organisation would (no person is behind it):
 * used for the submission guard and the freeze, after the dossier module has decided the actor's rights.
 */
function SYSTEM_READER(organisationId: string): Actor {
  return {
    kind: 'account',
    accountId: '00000000-0000-0000-0000-000000000000',
    email: 'system@mesref',
    displayName: 'mesref',
    staffRoles: [],
    memberships: [{ organisationId, role: 'salarie' }],
    secondFactorOk: true,
    totpEnabled: false,
  };
}

async function viewOf(deps: DossierDeps, row: store.DossierRow, roles: DossierRole[]): Promise<DossierView> {
  const db = deps.db;
  const [product, orgs, documents, infoRequests, testReports, facts] = await Promise.all([
    getProduct(db, row.productId),
    organisationNames(db, [row.organisationId]),
    store.documentsOf(db, row.id),
    store.infoRequestsOf(db, row.id),
    store.testReportsOf(db, row.id),
    factsOf(deps, db, row),
  ]);
  const names = await accountNames(db, [
    ...(row.assignedTo ? [row.assignedTo] : []),
    ...infoRequests.flatMap((r) => [r.askedBy, r.answeredBy].filter((x): x is string => x !== null)),
  ]);
  const now = nowOf(deps);
  const org = orgs.get(row.organisationId) ?? { legalName: '', siren: '' };
  return {
    id: row.id,
    number: row.number,
    kind: row.kind,
    parentId: row.parentId,
    organisation: { id: row.organisationId, ...org },
    product: product as Product,
    productVersion: row.productVersion,
    typology: row.typology,
    referentialVersion: row.referentialVersion,
    assessmentId: row.assessmentId,
    state: row.state,
    stateSince: row.stateSince,
    catalogueStatus: row.catalogueStatus,
    request: row.request,
    snapshot: row.snapshot,
    touchedCriteria: row.touchedCriteria,
    opinion: row.opinion,
    reservations: row.reservations,
    decision: row.decision,
    convention: row.convention,
    phaseDueAt: row.phaseDueAt,
    paused: row.pausedAt !== null,
    overdue: isOverdue(row.state, row.phaseDueAt, now),
    expectedFrom: expectedFrom(row.state, row.catalogueStatus),
    assignedTo: row.assignedTo ? { id: row.assignedTo, name: names.get(row.assignedTo) ?? '' } : null,
    oid: row.oid,
    referencedUntil: row.referencedUntil,
    renewalRequested: row.renewalRequested,
    updateDueAt: row.updateDueAt,
    submittedAt: row.submittedAt,
    publishedAt: row.publishedAt,
    rowVersion: row.rowVersion,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    documents: documents.map(({ uploadedBy: _u, ...d }) => d),
    infoRequests: infoRequests.map((r) => ({
      ...r,
      askedByName: r.askedBy ? names.get(r.askedBy) : undefined,
      answeredByName: r.answeredBy ? names.get(r.answeredBy) : undefined,
    })),
    testReports,
    requestProblems: facts.requestProblems,
    roles,
    actions: possibleActions(facts, roles),
    mayEditRequest: mayEditRequest(row.state) && roles.includes('publisher'),
    mayRecordVerdicts: mayRecordVerdict(row.state) && roles.includes('instructeur'),
  };
}

export async function getDossier(deps: DossierDeps, actor: Actor, id: string): Promise<DossierView> {
  const { row, roles } = await visibleRow(deps, actor, id);
  return viewOf(deps, row, roles);
}

export interface DossierSummary {
  id: string;
  number: string | null;
  kind: store.DossierRow['kind'];
  productId: string;
  productName: string;
  state: DossierState;
  catalogueStatus: CatalogueStatus | null;
  phaseDueAt: Date | null;
  overdue: boolean;
  expectedFrom: ReturnType<typeof expectedFrom>;
  referencedUntil: Date | null;
  updatedAt: Date;
}

/** An organisation's files, newest first (its members, and staff). */
export async function listDossiersOfOrganisation(
  deps: DossierDeps,
  actor: Actor,
  organisationId: string,
): Promise<DossierSummary[]> {
  if (!UUID.test(organisationId) || rolesOn(actor, organisationId).length === 0) throw notFound();
  const rows = await store.dossiersOfOrganisation(deps.db, organisationId);
  const products = await getProducts(
    deps.db,
    rows.map((r) => r.productId),
  );
  const now = nowOf(deps);
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    kind: r.kind,
    productId: r.productId,
    productName: products.get(r.productId)?.displayName ?? '',
    state: r.state,
    catalogueStatus: r.catalogueStatus,
    phaseDueAt: r.phaseDueAt,
    overdue: isOverdue(r.state, r.phaseDueAt, now),
    expectedFrom: expectedFrom(r.state, r.catalogueStatus),
    referencedUntil: r.referencedUntil,
    updatedAt: r.updatedAt,
  }));
}

// ── creating and preparing a request ────────────────────────────────────────

/**
 * Starts a request for a service (a draft): the typology is the service's, the version the newest the
 * service has an assessment on. A service has one file in progress at a time.
 */
export async function createDossier(
  deps: DossierDeps,
  actor: Actor,
  input: { productId: string; assessmentId?: string },
): Promise<DossierView> {
  const product = UUID.test(input.productId) ? await getProduct(deps.db, input.productId) : undefined;
  if (!product) throw notFound();
  const roles = rolesOn(actor, product.organisationId);
  if (!roles.includes('publisher')) throw roles.length > 0 ? forbidden() : notFound();
  const { assessments } = await listAssessments(
    { db: deps.db, config: deps.config, referentials: deps.referentials },
    actor,
    product.id,
  );
  // The assessment named, or the one on the newest referential version the service has one on.
  const newestFirst = [...assessments].sort((a, b) =>
    deps.referentials.newest().id === a.referentialVersion
      ? -1
      : deps.referentials.newest().id === b.referentialVersion
        ? 1
        : b.referentialVersion.localeCompare(a.referentialVersion),
  );
  const assessment = input.assessmentId
    ? assessments.find((a) => a.id === input.assessmentId)
    : newestFirst[0];
  if (!assessment) throw validationFailed({ assessmentId: 'dossier.field.assessment_missing' });
  const existing = (await store.dossiersOfProduct(deps.db, product.id)).find(
    (d) => d.kind === 'initial' && !finalStates.includes(d.state),
  );
  if (existing)
    throw new AppError('conflict', 409, 'dossier.error.already_open', { number: existing.number ?? '' });
  const id = newId();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await store.insertDossier(trx, {
        id,
        kind: 'initial',
        parentId: null,
        organisationId: product.organisationId,
        productId: product.id,
        productVersion: product.version,
        typology: product.dataExchange ? 'avec-echange' : 'sans-echange',
        referentialVersion: assessment.referentialVersion,
        assessmentId: assessment.id,
        request: {},
        touchedCriteria: null,
        createdBy: actorId(actor),
        phaseDueAt: null,
        createdAt: nowOf(deps),
      });
      await store.insertEvent(trx, {
        dossierId: id,
        actorAccountId: actorId(actor),
        actorRole: 'publisher',
        type: 'created',
        toState: 'draft',
        at: nowOf(deps),
      });
      await audit(trx, actor, 'dossier.created', id, { productId: product.id });
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw new AppError('conflict', 409, 'dossier.error.already_open', { number: '' });
    throw error;
  }
  return getDossier(deps, actor, id);
}

const TEXT_MAX = 10_000;
const LIST_MAX = 50;

/** Keeps what a request may hold, trimmed and bounded: whatever else a body carries is dropped. */
export function cleanRequest(input: unknown): RequestContent {
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, TEXT_MAX + 1) : '');
  const strings = (v: unknown) =>
    (Array.isArray(v) ? v : [])
      .filter((x): x is string => typeof x === 'string')
      .map((x) => x.trim())
      .filter(Boolean)
      .slice(0, LIST_MAX);
  const out: RequestContent = {};
  if (typeof o.presentation === 'string') out.presentation = text(o.presentation);
  if (typeof o.dataExchange === 'object' && o.dataExchange !== null) {
    const d = o.dataExchange as Record<string, unknown>;
    const categories = (Array.isArray(d.categories) ? d.categories : [])
      .filter(
        (c): c is Record<string, unknown> =>
          typeof c === 'object' && c !== null && typeof c.code === 'string',
      )
      .slice(0, LIST_MAX)
      .map((c) => ({ code: String(c.code), read: c.read === true, write: c.write === true }));
    const declaration: DataExchangeDeclaration = {
      justification: text(d.justification),
      access: text(d.access),
      categories,
      finalites: strings(d.finalites),
      retention: text(d.retention),
      security: text(d.security),
      consentText: text(d.consentText),
      redirectUris: strings(d.redirectUris),
      supportContact: text(d.supportContact).trim(),
    };
    if (typeof d.jwksUri === 'string' && d.jwksUri.trim())
      declaration.jwksUri = d.jwksUri.trim().slice(0, 2000);
    if (typeof d.jwks === 'string' && d.jwks.trim()) declaration.jwks = d.jwks.slice(0, TEXT_MAX);
    out.dataExchange = declaration;
  }
  return out;
}

async function lockForChange(
  trx: Db,
  actor: Actor,
  id: string,
  rowVersion: number,
): Promise<{ row: store.DossierRow; roles: DossierRole[] }> {
  if (!UUID.test(id)) throw notFound();
  const row = await store.lockDossier(trx, id);
  if (!row) throw notFound();
  const roles = rolesOn(actor, row.organisationId);
  if (roles.length === 0) throw notFound();
  if (row.rowVersion !== rowVersion) throw new DossierConflict(row);
  return { row, roles };
}

/** Saves the request's content (a draft only). */
export async function updateRequest(
  deps: DossierDeps,
  actor: Actor,
  id: string,
  rowVersion: number,
  content: unknown,
): Promise<DossierView> {
  await deps.db.transaction().execute(async (trx) => {
    const { row, roles } = await lockForChange(trx, actor, id, rowVersion);
    if (!roles.includes('publisher')) throw forbidden();
    if (!mayEditRequest(row.state)) throw new IllegalTransition('dossier.error.not_draft', {});
    const request = cleanRequest(content);
    if (!(await store.updateDossier(trx, id, rowVersion, { request }))) throw new DossierConflict(row);
    await audit(trx, actor, 'dossier.request_saved', id, { fields: Object.keys(request.dataExchange ?? {}) });
  });
  return getDossier(deps, actor, id);
}

const documentKindsByPublisher: readonly DocumentKind[] = ['cgu', 'privacy', 'dpia', 'other'];

/** Detects what a document is from its bytes (PDF, images, plain text, office documents); undefined when refused. */
export function detectDocumentType(bytes: Buffer, name: string): string | undefined {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes[0] === 0x89 && bytes.subarray(1, 4).toString('latin1') === 'PNG') return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') {
    if (/\.docx$/i.test(name))
      return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    if (/\.xlsx$/i.test(name)) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    if (/\.odt$/i.test(name)) return 'application/vnd.oasis.opendocument.text';
    return undefined;
  }
  if (/\.(txt|md|json|jws)$/i.test(name)) {
    const text = bytes.toString('utf8');
    if (!text.includes('\uFFFD') && !text.includes('\u0000') && !/<\s*(script|html|svg)/i.test(text))
      return 'text/plain; charset=utf-8';
  }
  return undefined;
}

export interface Upload {
  name: string;
  bytes: Buffer;
}

function checkUpload(deps: DossierDeps, upload: Upload, field = 'file'): { mediaType: string; name: string } {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  const name = upload.name.replace(/[\u0000-\u001f\u007f/\\]/g, '_').slice(0, 255) || 'document';
  if (upload.bytes.length === 0) throw validationFailed({ [field]: 'dossier.field.file_empty' });
  if (upload.bytes.length > deps.config.evidenceMaxBytes)
    throw validationFailed({ [field]: 'dossier.field.file_too_large' });
  const mediaType = detectDocumentType(upload.bytes, name);
  if (!mediaType) throw validationFailed({ [field]: 'dossier.field.file_type' });
  return { mediaType, name };
}

/** Adds a document to a draft request (terms of use, privacy notice, DPIA, other). */
export async function addDocument(
  deps: DossierDeps,
  actor: Actor,
  id: string,
  rowVersion: number,
  kind: string,
  upload: Upload,
): Promise<DossierView> {
  if (!documentKindsByPublisher.includes(kind as DocumentKind))
    throw validationFailed({ kind: 'dossier.field.document_kind' });
  const checked = checkUpload(deps, upload);
  await deps.db.transaction().execute(async (trx) => {
    const { row, roles } = await lockForChange(trx, actor, id, rowVersion);
    if (!roles.includes('publisher')) throw forbidden();
    if (!mayEditRequest(row.state)) throw new IllegalTransition('dossier.error.not_draft', {});
    const docId = newId();
    await store.insertDocument(trx, {
      id: docId,
      dossierId: id,
      kind,
      name: checked.name,
      mediaType: checked.mediaType,
      size: upload.bytes.length,
      sha256: sha256(upload.bytes),
      content: upload.bytes,
      uploadedBy: actorId(actor),
    });
    if (!(await store.updateDossier(trx, id, rowVersion, {}))) throw new DossierConflict(row);
    await audit(trx, actor, 'dossier.document_added', id, {
      documentId: docId,
      kind,
      sha256: sha256(upload.bytes),
    });
  });
  return getDossier(deps, actor, id);
}

export async function removeDocument(
  deps: DossierDeps,
  actor: Actor,
  id: string,
  rowVersion: number,
  documentId: string,
): Promise<DossierView> {
  if (!UUID.test(documentId)) throw notFound();
  await deps.db.transaction().execute(async (trx) => {
    const { row, roles } = await lockForChange(trx, actor, id, rowVersion);
    if (!roles.includes('publisher')) throw forbidden();
    if (!mayEditRequest(row.state)) throw new IllegalTransition('dossier.error.not_draft', {});
    if (!(await store.deleteDocument(trx, id, documentId))) throw notFound();
    if (!(await store.updateDossier(trx, id, rowVersion, {}))) throw new DossierConflict(row);
    await audit(trx, actor, 'dossier.document_removed', id, { documentId });
  });
  return getDossier(deps, actor, id);
}

/** A document's bytes, for those who may see the file. */
export async function documentFile(
  deps: DossierDeps,
  actor: Actor,
  id: string,
  documentId: string,
): Promise<{ name: string; mediaType: string; content: Buffer }> {
  await visibleRow(deps, actor, id);
  if (!UUID.test(documentId)) throw notFound();
  const doc = await store.documentContent(deps.db, id, documentId);
  if (!doc) throw notFound();
  return doc;
}

// ── the steps ───────────────────────────────────────────────────────────────

function roleFor(action: DossierActionType, roles: DossierRole[]): DossierRole | undefined {
  const allowed = roles.filter((r) => (ACTION_ROLE_ORDER[action] ?? []).includes(r));
  return allowed[0];
}

const ACTION_ROLE_ORDER: Record<DossierActionType, DossierRole[]> = {
  submit: ['publisher_manager'],
  withdraw: ['publisher_manager'],
  declare_admissible: ['instructeur'],
  declare_inadmissible: ['instructeur'],
  request_info: ['instructeur'],
  answer_info: ['publisher_manager', 'publisher'],
  send_to_commission: ['instructeur'],
  give_opinion: ['commission'],
  lift_reservation: ['instructeur', 'commission'],
  decide: ['decideur'],
  sign_convention: ['instructeur', 'decideur'],
  publish: ['instructeur', 'decideur'],
  accept_update: ['instructeur'],
  refuse_update: ['instructeur'],
  take_offline: ['instructeur', 'decideur', 'publisher_manager'],
  put_online: ['instructeur', 'decideur'],
  suspend: ['instructeur', 'decideur'],
  lift_suspension: ['decideur'],
  dereference: ['decideur'],
  expire: ['system'],
  request_renewal: ['publisher_manager'],
  renew: ['instructeur', 'decideur'],
};

/** Who hears of each step: the organisation, staff roles, or the assigned instructor. */
const notifyOf: Partial<
  Record<DossierActionType, Array<'organisation' | 'instructeur' | 'commission' | 'decideur' | 'assigned'>>
> = {
  submit: ['organisation', 'instructeur'],
  withdraw: ['instructeur'],
  declare_admissible: ['organisation'],
  declare_inadmissible: ['organisation'],
  request_info: ['organisation'],
  answer_info: ['assigned'],
  send_to_commission: ['organisation', 'commission'],
  give_opinion: ['organisation', 'decideur'],
  lift_reservation: ['organisation'],
  decide: ['organisation', 'instructeur'],
  sign_convention: ['organisation'],
  publish: ['organisation'],
  accept_update: ['organisation'],
  refuse_update: ['organisation'],
  take_offline: ['organisation', 'instructeur'],
  put_online: ['organisation'],
  suspend: ['organisation', 'instructeur'],
  lift_suspension: ['organisation'],
  dereference: ['organisation', 'instructeur'],
  expire: ['organisation', 'instructeur'],
  request_renewal: ['instructeur'],
  renew: ['organisation'],
};

async function notify(
  deps: DossierDeps,
  trx: Db,
  row: store.DossierRow,
  kind: string,
  audience: Array<'organisation' | 'instructeur' | 'commission' | 'decideur' | 'assigned'>,
  params: Record<string, string | number>,
  publisherLink: boolean,
): Promise<void> {
  if (!deps.notifier || audience.length === 0) return;
  const number = row.number ?? '';
  const product = (await getProduct(trx, row.productId))?.displayName ?? '';
  const common = { number, product, ...params };
  const staff = audience.filter((a) => a !== 'organisation');
  if (audience.includes('organisation')) {
    await deps.notifier.notify(trx, {
      recipients: [{ organisationId: row.organisationId }],
      kind,
      params: common,
      link: publisherLink ? `/editeur/dossiers/${row.id}` : undefined,
    });
  }
  const recipients: Array<{ accountId: string } | { staffRole: 'instructeur' | 'commission' | 'decideur' }> =
    [];
  for (const a of staff) {
    if (a === 'assigned') {
      if (row.assignedTo) recipients.push({ accountId: row.assignedTo });
      else recipients.push({ staffRole: 'instructeur' });
    } else recipients.push({ staffRole: a });
  }
  if (recipients.length > 0)
    await deps.notifier.notify(trx, {
      recipients,
      kind,
      params: common,
      link: `/instruction/dossiers/${row.id}`,
    });
}

async function audit(
  trx: Db,
  actor: Actor | 'system',
  action: string,
  dossierId: string,
  data: Record<string, unknown>,
): Promise<void> {
  await appendAuditEvent(trx, {
    actorType: actor === 'system' ? 'system' : actor.kind === 'account' ? 'account' : 'anonymous',
    actorId: actor === 'system' ? null : actorId(actor),
    action,
    subjectType: 'dossier',
    subjectId: dossierId,
    data,
  });
}

/** Texts that go to the timeline as they were typed; nothing else of the action does. */
function publicData(action: DossierAction): Record<string, unknown> {
  switch (action.type) {
    case 'withdraw':
    case 'declare_inadmissible':
    case 'refuse_update':
    case 'take_offline':
    case 'suspend':
    case 'dereference':
      return { reasons: action.reasons };
    case 'request_info':
      return { message: action.message, criteria: action.criteria, dueAt: action.dueAt };
    case 'answer_info':
      return { text: action.text };
    case 'give_opinion':
      return { opinion: action.opinion, reasons: action.reasons, finalites: action.finalites };
    case 'decide':
      return { decision: action.decision, reasons: action.reasons };
    case 'lift_reservation':
      return { reservationId: action.reservationId };
    case 'sign_convention':
      return { durationMonths: action.convention.durationMonths, signedOn: action.convention.signedOn };
    case 'publish':
      return { pilot: action.pilot };
    default:
      return {};
  }
}

/**
 * Does one step of the file, as `actor`, if the file is still at `rowVersion` and the state machine allows it.
 * The step, its timeline and audit events and its notifications are written together or not at all.
 */
export async function act(
  deps: DossierDeps,
  actor: Actor | 'system',
  id: string,
  rowVersion: number,
  action: DossierAction,
  uploads: Upload[] = [],
): Promise<DossierView> {
  const checkedUploads = uploads.map((u) => ({ upload: u, ...checkUpload(deps, u) }));
  const roles = await deps.db
    .transaction()
    .execute((trx) => actIn(deps, trx, actor, id, rowVersion, action, checkedUploads));
  if (actor === 'system') {
    const row = await store.findDossier(deps.db, id);
    return viewOf(deps, row as store.DossierRow, roles);
  }
  return getDossier(deps, actor, id);
}

/**
 * `act` within the caller's transaction (another use case that must change the file together with its own
 * rows, such as a suspension decided from a complaint). Returns the actor's roles on the file.
 */
export async function actIn(
  deps: DossierDeps,
  trx: Db,
  actor: Actor | 'system',
  id: string,
  rowVersion: number,
  action: DossierAction,
  checkedUploads: Array<{ upload: Upload; mediaType: string; name: string }> = [],
): Promise<DossierRole[]> {
  const now = nowOf(deps);
  let resultRoles: DossierRole[] = ['system'];
  {
    let row: store.DossierRow;
    let roles: DossierRole[];
    if (actor === 'system') {
      const locked = UUID.test(id) ? await store.lockDossier(trx, id) : undefined;
      if (!locked) throw notFound();
      if (locked.rowVersion !== rowVersion) throw new DossierConflict(locked);
      row = locked;
      roles = ['system'];
    } else {
      ({ row, roles } = await lockForChange(trx, actor, id, rowVersion));
      resultRoles = roles;
    }
    const role = roleFor(action.type, roles);
    const version = versionOf(deps, row);
    const rules = processRules(deps.process, version?.finalites.map((f) => f.code) ?? []);
    // Only the seats whose term covers today may sit.
    const today = now.toISOString().slice(0, 10);
    rules.seatIds = deps.process.commission.seats
      .filter((seat) => seat.termStart <= today && today <= seat.termEnd)
      .map((seat) => seat.id);
    const facts = await factsOf(deps, trx, row);
    const decision = decide(facts, action, role ?? roles[0] ?? 'publisher', now, rules);
    if (!decision.ok) {
      if (decision.code === 'forbidden') throw forbidden('dossier.error.role');
      if (decision.code === 'illegal')
        throw new IllegalTransition(decision.key, { state: row.state, action: action.type });
      if (decision.fields) throw validationFailed(decision.fields, decision.key);
      throw new AppError('refused', 422, decision.key, decision.params);
    }
    const patch = decision.patch;
    if (action.type === 'lift_reservation' && patch.reservations) {
      const by = actor === 'system' ? null : actorId(actor);
      patch.reservations = patch.reservations.map((r) =>
        r.id === action.reservationId && by ? { ...r, liftedBy: by } : r,
      );
    }
    const update: store.DossierUpdate = {
      state: patch.state,
      catalogueStatus: patch.catalogueStatus,
      infoReturnState: patch.infoReturnState,
      reservations: patch.reservations,
      renewalRequested: patch.renewalRequested,
      at: now,
    };
    const date = (v: string | null | undefined) =>
      v === undefined ? undefined : v === null ? null : new Date(v);
    update.phaseDueAt = date(patch.phaseDueAt);
    update.pausedAt = date(patch.pausedAt);
    update.pausedPhaseDueAt = date(patch.pausedPhaseDueAt);
    update.referencedUntil = date(patch.referencedUntil);
    const who = actor === 'system' ? null : actorId(actor);
    const extra: Record<string, unknown> = {};

    switch (action.type) {
      case 'submit': {
        const year = now.getUTCFullYear();
        update.number = evaluationNumber(year, await store.nextCounter(trx, `number:${year}`));
        update.submittedAt = now;
        update.snapshot = await frozenSnapshot(deps, trx, row);
        const product = await getProduct(trx, row.productId);
        if (product) update.productVersion = product.version;
        extra.number = update.number;
        break;
      }
      case 'request_info':
        await store.insertInfoRequest(trx, {
          id: newId(),
          dossierId: id,
          message: action.message.trim(),
          criteria: action.criteria,
          dueAt: new Date(action.dueAt),
          askedBy: who,
        });
        break;
      case 'answer_info': {
        const requestId = await store.answerOpenInfoRequest(trx, id, action.text.trim(), who);
        for (const u of checkedUploads) {
          await store.insertDocument(trx, {
            id: newId(),
            dossierId: id,
            kind: 'info_answer',
            infoRequestId: requestId ?? null,
            name: u.name,
            mediaType: u.mediaType,
            size: u.upload.bytes.length,
            sha256: sha256(u.upload.bytes),
            content: u.upload.bytes,
            uploadedBy: who,
          });
        }
        extra.documents = checkedUploads.length;
        break;
      }
      case 'give_opinion': {
        const seats = deps.process.commission.seats.filter((s) => action.sitting.includes(s.id));
        update.opinion = {
          kind: action.opinion,
          reasons: action.reasons.trim(),
          sitting: seats.map((s) => ({ id: s.id, role: s.role, holder: s.holder })),
          finalites: action.finalites,
          at: now.toISOString(),
          by: who,
        };
        break;
      }
      case 'decide':
        update.decision = {
          decision: action.decision,
          reasons: action.reasons.trim(),
          at: now.toISOString(),
          by: who,
        };
        break;
      case 'sign_convention':
        update.convention = { ...action.convention, recordedAt: now.toISOString(), recordedBy: who };
        break;
      case 'publish': {
        if (row.kind === 'initial' && !row.oid) {
          update.oid = serviceOid(deps.config.oidRoot, await store.nextCounter(trx, 'oid'));
        }
        update.publishedAt = now;
        const oid = update.oid ?? row.oid;
        const exchange = row.request.dataExchange;
        if (row.typology === 'avec-echange' && oid && exchange) {
          let jwks: Record<string, unknown> | undefined;
          if (exchange.jwks) jwks = JSON.parse(exchange.jwks) as Record<string, unknown>;
          await registerServiceClient(trx, {
            serviceOid: oid,
            productId: row.productId,
            dossierId: row.id,
            redirectUris: exchange.redirectUris,
            jwksUri: exchange.jwksUri,
            jwks,
          });
          extra.clientId = oid;
        }
        extra.oid = oid;
        break;
      }
      case 'accept_update':
        if (row.parentId) {
          const parent = await store.lockDossier(trx, row.parentId);
          if (parent) {
            await store.updateDossier(trx, parent.id, parent.rowVersion, {
              updateDueAt: null,
              productVersion: row.productVersion,
            });
            if (parent.oid && parent.productVersion !== row.productVersion) {
              const version = row.productVersion;
              await notifyNewVersion(trx, deps.notifier, { serviceOid: parent.oid, version });
            }
            await store.insertEvent(trx, {
              dossierId: parent.id,
              actorAccountId: who,
              actorRole: 'instructeur',
              type: 'update_accepted',
              data: { number: row.number, version: row.productVersion },
              at: nowOf(deps),
            });
          }
        }
        break;
    }
    if (patch.catalogueStatus !== undefined && row.oid) {
      const status =
        patch.catalogueStatus === 'SUSPENDUE'
          ? 'suspended'
          : patch.catalogueStatus === 'DEREFERENCEE'
            ? 'revoked'
            : 'active';
      await setServiceClientStatus(trx, row.oid, status);
    }
    if (action.type === 'renew') update.remindersSent = [];
    if (!(await store.updateDossier(trx, id, rowVersion, update))) throw new DossierConflict(row);
    const data = { ...publicData(action), ...extra };
    await store.insertEvent(trx, {
      dossierId: id,
      actorAccountId: who,
      actorRole: role ?? 'system',
      type: action.type,
      fromState: row.state,
      toState: patch.state ?? null,
      catalogueFrom: patch.catalogueStatus !== undefined ? row.catalogueStatus : null,
      catalogueTo: patch.catalogueStatus ?? null,
      data,
      at: now,
    });
    await audit(trx, actor, `dossier.${action.type}`, id, {
      from: row.state,
      to: patch.state ?? row.state,
      ...(patch.catalogueStatus !== undefined
        ? { catalogueFrom: row.catalogueStatus, catalogueTo: patch.catalogueStatus }
        : {}),
      ...extra,
    });
    const numbered = { ...row, number: update.number ?? row.number };
    const params: Record<string, string | number> = {};
    if ('reasons' in action && typeof action.reasons === 'string') params.reasons = action.reasons.trim();
    if (action.type === 'request_info') params.dueAt = action.dueAt.slice(0, 10);
    // Labels are translated when each person reads the notification (`@key`).
    if (action.type === 'give_opinion') params.opinion = `@dossier.opinion.${action.opinion}`;
    if (action.type === 'decide') params.decision = `@dossier.decision.${action.decision}`;
    if (patch.catalogueStatus) params.status = `@dossier.catalogue.${patch.catalogueStatus}`;
    if (extra.oid) params.oid = String(extra.oid);
    await notify(
      deps,
      trx,
      numbered,
      `dossier.notify.${action.type}`,
      notifyOf[action.type] ?? [],
      params,
      true,
    );
  }
  return resultRoles;
}

/** What is filed: the assessment's JSON report and evidence files (copied), and the écoscore evidence. */
async function frozenSnapshot(
  deps: DossierDeps,
  trx: Db,
  row: store.DossierRow,
): Promise<Record<string, unknown>> {
  if (!row.assessmentId) return {};
  const reader = SYSTEM_READER(row.organisationId);
  const org = (await organisationNames(trx, [row.organisationId])).get(row.organisationId);
  const frozen = await freezeAssessment(
    { db: trx, config: deps.config, referentials: deps.referentials },
    reader,
    row.assessmentId,
    org?.legalName ?? '',
    'fr',
  );
  for (const file of frozen.files) {
    await store.insertDocument(trx, {
      id: newId(),
      dossierId: row.id,
      kind: 'evidence',
      criterionId: file.criterionId,
      name: file.name,
      mediaType: file.mediaType,
      size: file.size,
      sha256: file.sha256,
      content: file.content,
      uploadedBy: null,
    });
  }
  const eco = await eth32Evidence(trx, reader, row.productId).catch(() => undefined);
  const product = await getProduct(trx, row.productId);
  return {
    frozenAt: nowOf(deps).toISOString(),
    // Who filed what, as it was named at filing (the organisation or the service may be renamed later).
    organisation: { legalName: org?.legalName ?? '', siren: org?.siren ?? '' },
    product: product
      ? { displayName: product.displayName, commercialName: product.commercialName, version: product.version }
      : null,
    assessment: frozen.report,
    ecoscore: eco
      ? {
          official: eco.official
            ? {
                score: eco.official.score,
                measuredOn: eco.official.measuredOn,
                journeyName: eco.official.journeyName,
              }
            : null,
          latestRun: eco.latestRun
            ? { score: eco.latestRun.score, finishedAt: eco.latestRun.finishedAt }
            : null,
          gap: eco.gap ?? null,
        }
      : null,
  };
}

/** Answers the open request for information with a text and documents, in one step. */
export function answerInfoRequest(
  deps: DossierDeps,
  actor: Actor,
  id: string,
  rowVersion: number,
  text: string,
  uploads: Upload[],
): Promise<DossierView> {
  return act(deps, actor, id, rowVersion, { type: 'answer_info', text }, uploads);
}

// ── verdicts ────────────────────────────────────────────────────────────────

export interface CriterionEvaluation {
  criterionId: string;
  /** The answer as filed (from the frozen report). */
  filed: Record<string, unknown> | undefined;
  verdict: store.VerdictRow | undefined;
  decidedByName?: string;
}

/** The criteria to evaluate with the answers as filed and the verdicts so far (staff only). */
export async function evaluationOf(
  deps: DossierDeps,
  actor: Actor,
  id: string,
): Promise<CriterionEvaluation[]> {
  const { row, roles } = await visibleRow(deps, actor, id);
  if (!roles.some(isStaffRole)) throw forbidden();
  const rows = await store.verdictsOf(deps.db, id);
  const byId = new Map(rows.map((v) => [v.criterionId, v]));
  const names = await accountNames(
    deps.db,
    rows.map((r) => r.decidedBy).filter((x): x is string => x !== null),
  );
  const report = row.snapshot?.assessment as { criteria?: Array<Record<string, unknown>> } | undefined;
  const filed = new Map((report?.criteria ?? []).map((c) => [String(c.id), c]));
  return criteriaToEvaluate(row).map((criterionId) => {
    const verdict = byId.get(criterionId);
    return {
      criterionId,
      filed: filed.get(criterionId),
      verdict,
      decidedByName: verdict?.decidedBy ? names.get(verdict.decidedBy) : undefined,
    };
  });
}

/** Records an instructor's verdict on one criterion; `rowVersion` is the verdict's (0 when there is none yet). */
export async function recordVerdict(
  deps: DossierDeps,
  actor: Actor,
  id: string,
  criterionId: string,
  input: { verdict: string; comment: string; rowVersion: number },
): Promise<store.VerdictRow> {
  if (!verdicts.includes(input.verdict as Verdict))
    throw validationFailed({ verdict: 'dossier.field.verdict' });
  const comment = input.comment.trim();
  if (comment.length > TEXT_MAX) throw validationFailed({ comment: 'dossier.field.too_long' });
  if (input.verdict !== 'conforme' && comment.length === 0)
    throw validationFailed({ comment: 'dossier.field.comment_needed' });
  await deps.db.transaction().execute(async (trx) => {
    if (!UUID.test(id)) throw notFound();
    const row = await store.findDossier(trx, id);
    if (!row) throw notFound();
    const roles = rolesOn(actor, row.organisationId);
    if (roles.length === 0) throw notFound();
    if (!roles.includes('instructeur')) throw forbidden('dossier.error.role');
    if (!mayRecordVerdict(row.state))
      throw new IllegalTransition('dossier.error.state', { state: row.state, action: 'verdict' });
    if (!criteriaToEvaluate(row).includes(criterionId)) throw notFound();
    const ok = await store.writeVerdict(trx, id, criterionId, input.rowVersion, {
      verdict: input.verdict as Verdict,
      comment,
      by: actorId(actor) as string,
    });
    if (!ok) {
      const current = (await store.verdictsOf(trx, id)).find((v) => v.criterionId === criterionId);
      throw new VerdictConflict(current);
    }
    await store.insertEvent(trx, {
      dossierId: id,
      actorAccountId: actorId(actor),
      actorRole: 'instructeur',
      type: 'verdict',
      data: { criterionId, verdict: input.verdict },
      at: nowOf(deps),
    });
    await audit(trx, actor, 'dossier.verdict_recorded', id, { criterionId, verdict: input.verdict });
  });
  return (await store.verdictsOf(deps.db, id)).find((v) => v.criterionId === criterionId) as store.VerdictRow;
}

/**
 * Records « conforme » on every criterion that has no verdict yet, in one step: the instructor's shortcut
 * once the criteria that need a remark have theirs. Verdicts already recorded are left as they are.
 */
export async function recordRemainingConforme(deps: DossierDeps, actor: Actor, id: string): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    if (!UUID.test(id)) throw notFound();
    const row = await store.lockDossier(trx, id);
    if (!row) throw notFound();
    const roles = rolesOn(actor, row.organisationId);
    if (roles.length === 0) throw notFound();
    if (!roles.includes('instructeur')) throw forbidden('dossier.error.role');
    if (!mayRecordVerdict(row.state))
      throw new IllegalTransition('dossier.error.state', { state: row.state, action: 'verdict' });
    const done = new Set((await store.verdictsOf(trx, id)).map((v) => v.criterionId));
    const rest = criteriaToEvaluate(row).filter((c) => !done.has(c));
    if (rest.length === 0) return 0;
    await store.insertConformeVerdicts(trx, id, rest, actorId(actor) as string, nowOf(deps));
    await store.insertEvent(trx, {
      dossierId: id,
      actorAccountId: actorId(actor),
      actorRole: 'instructeur',
      type: 'verdict',
      data: { verdict: 'conforme', count: rest.length },
      at: nowOf(deps),
    });
    await audit(trx, actor, 'dossier.verdicts_recorded', id, { verdict: 'conforme', criteria: rest });
    return rest.length;
  });
}

// ── assignment ──────────────────────────────────────────────────────────────

/** Assigns the file to an instructor (or to nobody); instructors only. */
export async function assign(
  deps: DossierDeps,
  actor: Actor,
  id: string,
  rowVersion: number,
  accountId: string | null,
): Promise<DossierView> {
  if (accountId !== null) {
    const instructors = await staffWithRole(deps.db, 'instructeur');
    if (!instructors.some((i) => i.id === accountId))
      throw validationFailed({ accountId: 'dossier.field.not_instructor' });
  }
  await deps.db.transaction().execute(async (trx) => {
    const { row, roles } = await lockForChange(trx, actor, id, rowVersion);
    if (!roles.includes('instructeur')) throw forbidden('dossier.error.role');
    if (finalStates.includes(row.state) || row.state === 'draft')
      throw new IllegalTransition('dossier.error.state', { state: row.state, action: 'assign' });
    if (!(await store.updateDossier(trx, id, rowVersion, { assignedTo: accountId })))
      throw new DossierConflict(row);
    await store.insertEvent(trx, {
      dossierId: id,
      actorAccountId: actorId(actor),
      actorRole: 'instructeur',
      type: 'assigned',
      data: { accountId },
      at: nowOf(deps),
    });
    await audit(trx, actor, 'dossier.assigned', id, { accountId });
    if (accountId && accountId !== actorId(actor) && deps.notifier) {
      await deps.notifier.notify(trx, {
        recipients: [{ accountId }],
        kind: 'dossier.notify.assigned',
        params: { number: row.number ?? '' },
        link: `/instruction/dossiers/${id}`,
      });
    }
  });
  return getDossier(deps, actor, id);
}

// ── connection-test reports ─────────────────────────────────────────────────

/** How old a report may be when it is filed. */
export const TEST_REPORT_MAX_AGE_DAYS = 180;

async function trustedKeys(deps: DossierDeps): Promise<{ local: JWK[]; sandbox: JWK[] }> {
  const local = deps.keys.publicJwks as JWK[];
  let sandbox: JWK[] = [];
  if (deps.config.sandboxJwksFile) {
    const { readFile } = await import('node:fs/promises');
    const parsed = JSON.parse(await readFile(deps.config.sandboxJwksFile, 'utf8')) as { keys?: JWK[] };
    sandbox = (parsed.keys ?? []).filter((k) => !('d' in k));
  }
  return { local, sandbox };
}

/**
 * Files a signed connection-test report (compact JWS): it must verify with this deployment's keys or the
 * configured sandbox's, name the file's organisation and service, be recent, and cover the plans the
 * convention's data categories require. A report altered after signing does not verify and is refused.
 */
export async function recordTestReport(
  deps: DossierDeps,
  actor: Actor,
  id: string,
  rowVersion: number,
  jws: string,
): Promise<DossierView> {
  const { row, roles } = await visibleRow(deps, actor, id);
  if (!roles.some((r) => r === 'publisher' || r === 'instructeur')) throw forbidden();
  if (row.state !== 'connection_tests')
    throw new IllegalTransition('dossier.error.state', { state: row.state, action: 'test_report' });
  const text = jws.trim();
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(text) || text.length > 2_000_000)
    throw validationFailed({ report: 'dossier.field.report_format' });
  const keys = await trustedKeys(deps);
  let payload: ConnectionTestReport;
  let origin: 'local' | 'sandbox' = 'local';
  let kid = '';
  try {
    kid = String(decodeProtectedHeader(text).kid ?? '');
    let verified: Awaited<ReturnType<typeof compactVerify>> | undefined;
    try {
      verified = await compactVerify(text, createLocalJWKSet({ keys: keys.local }));
    } catch {
      if (keys.sandbox.length === 0) throw new Error('not verified');
      verified = await compactVerify(text, createLocalJWKSet({ keys: keys.sandbox }));
      origin = 'sandbox';
    }
    payload = JSON.parse(new TextDecoder().decode(verified.payload)) as ConnectionTestReport;
  } catch {
    throw validationFailed({ report: 'dossier.field.report_signature' });
  }
  if (
    payload?.format !== 'mesref-connection-test-report' ||
    !Array.isArray(payload.plans) ||
    typeof payload.iat !== 'number'
  )
    throw validationFailed({ report: 'dossier.field.report_format' });
  const org = (await organisationNames(deps.db, [row.organisationId])).get(row.organisationId);
  const product = await getProduct(deps.db, row.productId);
  if (
    payload.subject?.siren !== org?.siren ||
    payload.subject?.productName?.toLowerCase() !== product?.commercialName.toLowerCase()
  )
    throw validationFailed({ report: 'dossier.field.report_subject' });
  const age = nowOf(deps).getTime() - payload.iat * 1000;
  if (age < -300_000 || age > TEST_REPORT_MAX_AGE_DAYS * 86_400_000)
    throw validationFailed({ report: 'dossier.field.report_age' });
  const plans = payload.plans.map((p) => ({ id: String(p.id), status: String(p.status) }));
  const passed = payload.passed === true && plans.every((p) => p.status === 'passed');
  await deps.db.transaction().execute(async (trx) => {
    const locked = await lockForChange(trx, actor, id, rowVersion);
    const reportId = newId();
    await store.insertTestReport(trx, {
      id: reportId,
      dossierId: id,
      origin,
      issuer: String(payload.iss ?? ''),
      kid,
      passed,
      plans,
      subject: payload.subject,
      issuedAt: new Date(payload.iat * 1000),
      jws: text,
      recordedBy: actorId(actor),
    });
    if (!(await store.updateDossier(trx, id, rowVersion, {}))) throw new DossierConflict(locked.row);
    await store.insertEvent(trx, {
      dossierId: id,
      actorAccountId: actorId(actor),
      actorRole: locked.roles[0] ?? 'publisher',
      type: 'test_report',
      data: { passed, origin, plans },
      at: nowOf(deps),
    });
    await audit(trx, actor, 'dossier.test_report_recorded', id, { reportId, passed, origin, kid });
    await notify(
      deps,
      trx,
      row,
      'dossier.notify.test_report',
      ['instructeur'],
      { passed: passed ? '@dossier.yes' : '@dossier.no' },
      true,
    );
  });
  return getDossier(deps, actor, id);
}

// ── versions ────────────────────────────────────────────────────────────────

/**
 * The publisher declares a new version of a published service. A minor version is recorded; a major one
 * opens an update file (the criteria of the rubriques it touches to re-assess), due within the process's delay.
 */
export async function declareVersion(
  deps: DossierDeps,
  actor: Actor,
  id: string,
  rowVersion: number,
  input: { version: string; major: boolean; rubriques: string[]; description: string },
): Promise<{ dossier: DossierView; update?: DossierView }> {
  const version = input.version.trim();
  const fields: Record<string, string> = {};
  if (!version || version.length > 50) fields.version = 'dossier.field.required';
  if (input.description.length > TEXT_MAX) fields.description = 'dossier.field.too_long';
  if (input.major && input.rubriques.length === 0) fields.rubriques = 'dossier.field.rubriques';
  if (Object.keys(fields).length > 0) throw validationFailed(fields);
  let updateId: string | undefined;
  await deps.db.transaction().execute(async (trx) => {
    const { row, roles } = await lockForChange(trx, actor, id, rowVersion);
    if (!roles.includes('publisher_manager')) throw forbidden('dossier.error.role');
    if (row.state !== 'published' || row.catalogueStatus === 'DEREFERENCEE')
      throw new IllegalTransition('dossier.error.state', { state: row.state, action: 'declare_version' });
    const now = nowOf(deps);
    const refVersion = versionOf(deps, row);
    if (input.major) {
      const known = new Set<string>(refVersion?.criteria.map((c) => c.rubrique) ?? []);
      if (input.rubriques.some((r) => !known.has(r)))
        throw validationFailed({ rubriques: 'dossier.field.unknown' });
      const applicable = criteriaToEvaluate({ ...row, kind: 'initial' });
      const touched = (refVersion?.criteria ?? [])
        .filter((c) => input.rubriques.includes(c.rubrique) && applicable.includes(c.id))
        .map((c) => c.id);
      updateId = newId();
      const open = (await store.dossiersOfProduct(trx, row.productId)).find(
        (d) => d.kind === 'update' && !finalStates.includes(d.state),
      );
      if (open)
        throw new AppError('conflict', 409, 'dossier.error.update_open', { number: open.number ?? '' });
      await store.insertDossier(trx, {
        id: updateId,
        kind: 'update',
        parentId: row.id,
        organisationId: row.organisationId,
        productId: row.productId,
        productVersion: version,
        typology: row.typology,
        referentialVersion: row.referentialVersion,
        assessmentId: row.assessmentId,
        request: row.request,
        touchedCriteria: touched,
        createdBy: actorId(actor),
        phaseDueAt: null,
      });
      await store.insertEvent(trx, {
        dossierId: updateId,
        actorAccountId: actorId(actor),
        actorRole: 'publisher_manager',
        type: 'created',
        toState: 'draft',
        data: { version, rubriques: input.rubriques, parent: row.number },
        at: nowOf(deps),
      });
      const due = new Date(now.getTime() + deps.process.validity.updateDays * 86_400_000);
      if (!(await store.updateDossier(trx, id, rowVersion, { updateDueAt: due })))
        throw new DossierConflict(row);
    } else if (!(await store.updateDossier(trx, id, rowVersion, { productVersion: version }))) {
      throw new DossierConflict(row);
    } else if (row.oid) {
      // The published version changed: paired citizens' consents now wait for their re-approval.
      await notifyNewVersion(trx, deps.notifier, { serviceOid: row.oid, version });
    }
    await store.insertEvent(trx, {
      dossierId: id,
      actorAccountId: actorId(actor),
      actorRole: 'publisher_manager',
      type: 'version_declared',
      data: {
        version,
        major: input.major,
        rubriques: input.rubriques,
        description: input.description.trim(),
      },
      at: nowOf(deps),
    });
    await audit(trx, actor, 'dossier.version_declared', id, { version, major: input.major, updateId });
    await notify(
      deps,
      trx,
      row,
      'dossier.notify.version_declared',
      ['instructeur'],
      { version, major: input.major ? '@dossier.version.major' : '@dossier.version.minor' },
      true,
    );
  });
  return {
    dossier: await getDossier(deps, actor, id),
    update: updateId ? await getDossier(deps, actor, updateId) : undefined,
  };
}

// ── timeline ────────────────────────────────────────────────────────────────

export interface TimelineEntry {
  at: Date;
  type: string;
  actorName: string | null;
  actorRole: string;
  fromState: DossierState | null;
  toState: DossierState | null;
  catalogueFrom: CatalogueStatus | null;
  catalogueTo: CatalogueStatus | null;
  data: Record<string, unknown>;
}

/** Steps the publisher sees (verdicts and assignments are the instructors' working notes). */
const publisherHidden = new Set(['verdict', 'assigned']);

/** The file's timeline, oldest first; publishers see the steps, staff also the working notes. */
export async function timeline(deps: DossierDeps, actor: Actor, id: string): Promise<TimelineEntry[]> {
  const { roles } = await visibleRow(deps, actor, id);
  const staff = roles.some(isStaffRole);
  const events = (await store.eventsOf(deps.db, id)).filter((e) => staff || !publisherHidden.has(e.type));
  const names = await accountNames(
    deps.db,
    events.map((e) => e.actorAccountId).filter((x): x is string => x !== null),
  );
  return events.map((e) => ({
    at: e.at,
    type: e.type,
    // Publishers see which role acted for the administration, staff see who.
    actorName:
      e.actorAccountId && (staff || e.actorRole.startsWith('publisher'))
        ? (names.get(e.actorAccountId) ?? null)
        : null,
    actorRole: e.actorRole,
    fromState: e.fromState,
    toState: e.toState,
    catalogueFrom: e.catalogueFrom,
    catalogueTo: e.catalogueTo,
    data: e.data,
  }));
}

// ── the dashboard ───────────────────────────────────────────────────────────

export const OPEN_STATES: DossierState[] = [
  'submitted',
  'evaluation',
  'info_requested',
  'ready_for_commission',
  'opinion_given',
  'accepted',
  'convention_signed',
  'connection_tests',
];

export interface DashboardRow {
  id: string;
  number: string | null;
  kind: store.DossierRow['kind'];
  productName: string;
  organisationName: string;
  state: DossierState;
  phaseDueAt: Date | null;
  overdue: boolean;
  paused: boolean;
  expectedFrom: ReturnType<typeof expectedFrom>;
  assignedTo: { id: string; name: string } | null;
}

export interface Dashboard {
  rows: DashboardRow[];
  total: number;
  page: number;
  pages: number;
  byState: Record<string, number>;
  overdue: number;
  workload: Array<{ id: string; name: string; open: number; overdue: number }>;
  /** Median days per phase over the last 90 days, and how many passages it counts. */
  medians: Partial<Record<DossierState, { days: number; count: number }>>;
  instructors: Array<{ id: string; name: string }>;
}

export interface DashboardFilter {
  state?: string;
  assigned?: 'me' | 'none' | string;
  overdue?: boolean;
  search?: string;
  page?: number;
}

export const DASHBOARD_PAGE = 50;
export const MEDIAN_WINDOW_DAYS = 90;

/** The instruction queue sorted by deadline, the workload per instructor, and processing times. */
export async function dashboard(
  deps: DossierDeps,
  actor: Actor,
  filter: DashboardFilter,
): Promise<Dashboard> {
  if (actor.kind !== 'account' || !actor.staffRoles.some((r) => r !== 'admin')) throw forbidden();
  const now = nowOf(deps);
  const page = Math.max(1, Math.min(10_000, Math.floor(filter.page ?? 1)));
  const states =
    filter.state && (OPEN_STATES as string[]).concat(['published', ...finalStates]).includes(filter.state)
      ? [filter.state as DossierState]
      : OPEN_STATES;
  // « Overdue » is the administration's lateness: only the phases it holds.
  const queueStates = filter.overdue ? states.filter((s) => staffPhases.includes(s)) : states;
  let assignedTo: string | null | undefined;
  if (filter.assigned === 'me') assignedTo = actor.accountId;
  else if (filter.assigned === 'none') assignedTo = null;
  else if (filter.assigned && UUID.test(filter.assigned)) assignedTo = filter.assigned;
  const [queue, counts, instructors, medians] = await Promise.all([
    queueStates.length === 0
      ? Promise.resolve({ rows: [], total: 0 })
      : store.queue(deps.db, {
          states: queueStates,
          assignedTo,
          overdueAt: filter.overdue ? now : undefined,
          search: filter.search?.trim().slice(0, 40) || undefined,
          limit: DASHBOARD_PAGE,
          offset: (page - 1) * DASHBOARD_PAGE,
        }),
    store.counts(deps.db, OPEN_STATES, [...staffPhases], now),
    staffWithRole(deps.db, 'instructeur'),
    processingMedians(deps, now),
  ]);
  const [products, orgs] = await Promise.all([
    getProducts(
      deps.db,
      queue.rows.map((r) => r.productId),
    ),
    organisationNames(
      deps.db,
      queue.rows.map((r) => r.organisationId),
    ),
  ]);
  const names = new Map(instructors.map((i) => [i.id, i.name]));
  const extra = await accountNames(
    deps.db,
    [...queue.rows.map((r) => r.assignedTo), ...counts.workload.map((w) => w.accountId)].filter(
      (x): x is string => x !== null && !names.has(x),
    ),
  );
  for (const [k, v] of extra) names.set(k, v);
  return {
    rows: queue.rows.map((r) => ({
      id: r.id,
      number: r.number,
      kind: r.kind,
      productName: products.get(r.productId)?.displayName ?? '',
      organisationName: orgs.get(r.organisationId)?.legalName ?? '',
      state: r.state,
      phaseDueAt: r.phaseDueAt,
      overdue: isOverdue(r.state, r.phaseDueAt, now),
      paused: r.pausedAt !== null,
      expectedFrom: expectedFrom(r.state, r.catalogueStatus),
      assignedTo: r.assignedTo ? { id: r.assignedTo, name: names.get(r.assignedTo) ?? '' } : null,
    })),
    total: queue.total,
    page,
    pages: Math.max(1, Math.ceil(queue.total / DASHBOARD_PAGE)),
    byState: counts.byState,
    overdue: counts.overdue,
    workload: counts.workload
      .map((w) => ({ id: w.accountId, name: names.get(w.accountId) ?? '', open: w.open, overdue: w.overdue }))
      .sort((a, b) => b.open - a.open),
    medians,
    instructors,
  };
}

/**
 * Median time per phase over the window, computed in the database from every transition of the window: kept a
 * minute in the app's cache (`deps.cache`). The computation itself is shared: requests that arrive while it
 * runs wait for the same one (a single flight), and a stale value is served while the next one is computed.
 */
async function processingMedians(deps: DossierDeps, now: Date): Promise<Dashboard['medians']> {
  const cache = deps.now ? undefined : deps.cache;
  const cached = cache?.medians;
  const fresh = cached && Math.abs(now.getTime() - cached.at) < 60_000;
  if (cached && fresh) return cached.value;
  if (cache?.computing) return cached ? cached.value : cache.computing;
  const computing = (async () => {
    const since = new Date(now.getTime() - MEDIAN_WINDOW_DAYS * 86_400_000);
    const value: Dashboard['medians'] = {};
    for (const m of await store.medianDaysPerState(deps.db, since))
      value[m.state] = { days: m.days, count: m.count };
    if (cache) cache.medians = { at: now.getTime(), value };
    return value;
  })();
  if (!cache) return computing;
  cache.computing = computing;
  try {
    return cached ? cached.value : await computing;
  } finally {
    void computing
      .finally(() => {
        if (cache.computing === computing) cache.computing = undefined;
      })
      .catch(() => undefined);
  }
}

/** The public figures: median processing time per phase over the last 90 days (no file is named). */
export function publicProcessingTimes(deps: DossierDeps): Promise<Dashboard['medians']> {
  return processingMedians(deps, nowOf(deps));
}

// ── the clock (worker) ──────────────────────────────────────────────────────

/**
 * Once an hour: reminders before the end of a referencing, expiry (taken offline), files overdue for the
 * administration (instructors told once per phase), requests for information past their due date.
 */
export async function runClock(
  deps: DossierDeps,
): Promise<{ reminders: number; expired: number; overdue: number }> {
  const now = nowOf(deps);
  const offsets = deps.process.validity.remindersDaysBefore;
  const horizon = new Date(now.getTime() + Math.max(0, ...offsets) * 86_400_000);
  let reminders = 0;
  let expired = 0;
  let overdue = 0;
  for (const row of await store.publishedEndingBefore(deps.db, horizon)) {
    if (!row.referencedUntil) continue;
    if (row.referencedUntil.getTime() <= now.getTime()) {
      if (row.catalogueStatus === 'EN_LIGNE' || row.catalogueStatus === 'PRESERIE') {
        try {
          await act(deps, 'system', row.id, row.rowVersion, { type: 'expire' });
          expired++;
        } catch (error) {
          if (!(error instanceof DossierConflict)) throw error;
        }
      }
      continue;
    }
    const due = remindersDue(row.referencedUntil.toISOString(), offsets, row.remindersSent, now);
    if (due.length === 0) continue;
    await deps.db.transaction().execute(async (trx) => {
      const locked = await store.lockDossier(trx, row.id);
      if (!locked || locked.rowVersion !== row.rowVersion) return;
      const days = Math.ceil((row.referencedUntil!.getTime() - now.getTime()) / 86_400_000);
      await store.updateDossier(trx, row.id, row.rowVersion, {
        remindersSent: [...row.remindersSent, ...due],
      });
      await store.insertEvent(trx, {
        dossierId: row.id,
        actorAccountId: null,
        actorRole: 'system',
        type: 'renewal_reminder',
        data: { days },
        at: now,
      });
      await notify(
        deps,
        trx,
        row,
        'dossier.notify.renewal_reminder',
        ['organisation'],
        { days, until: row.referencedUntil!.toISOString().slice(0, 10) },
        true,
      );
      reminders++;
    });
  }
  const late = [
    ...(await store.overdueNotNotified(deps.db, [...staffPhases], now)),
    ...(await store.infoRequestedPastDue(deps.db, now)),
  ];
  for (const row of late) {
    await deps.db.transaction().execute(async (trx) => {
      const locked = await store.lockDossier(trx, row.id);
      if (!locked || locked.rowVersion !== row.rowVersion) return;
      await store.updateDossier(trx, row.id, row.rowVersion, { overdueNotifiedState: row.state });
      await store.insertEvent(trx, {
        dossierId: row.id,
        actorAccountId: null,
        actorRole: 'system',
        type: row.state === 'info_requested' ? 'info_overdue' : 'overdue',
        data: { dueAt: row.phaseDueAt?.toISOString() },
        at: nowOf(deps),
      });
      const audience: Array<'organisation' | 'assigned'> =
        row.state === 'info_requested' ? ['organisation', 'assigned'] : ['assigned'];
      await notify(
        deps,
        trx,
        row,
        row.state === 'info_requested' ? 'dossier.notify.info_overdue' : 'dossier.notify.overdue',
        audience,
        {},
        true,
      );
      overdue++;
    });
  }
  return { reminders, expired, overdue };
}

// ── helpers for other modules ───────────────────────────────────────────────

/** The published file of a service (for the catalogue and the consent decision), if any. */
export async function publishedDossierOf(db: Db, productId: string): Promise<store.DossierRow | undefined> {
  return (await store.dossiersOfProduct(db, productId)).find(
    (d) => d.state === 'published' && d.kind === 'initial',
  );
}

/** The organisation's identity for a page (through the identity module, with the actor's rights). */
export async function organisationOf(deps: DossierDeps, actor: Actor, organisationId: string) {
  return getOrganisation({ db: deps.db } as Parameters<typeof getOrganisation>[0], actor, organisationId);
}

export { phaseDeadline };

// ── reading an action from a body or a form ─────────────────────────────────

const asText = (v: unknown): string => (typeof v === 'string' ? v : '');
const asList = (v: unknown): string[] => {
  if (Array.isArray(v))
    return v
      .filter((x): x is string => typeof x === 'string')
      .map((x) => x.trim())
      .filter(Boolean);
  if (typeof v === 'string')
    return v
      .split(/[\n,]/)
      .map((x) => x.trim())
      .filter(Boolean);
  return [];
};
const asBool = (v: unknown): boolean => v === true || v === 'true' || v === 'on' || v === '1';

/** A date typed as `AAAA-MM-JJ` means the end of that day in Paris; a full timestamp is kept as it is. */
function dueDate(v: unknown): string {
  const s = asText(v).trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const utc = Date.UTC(y, m - 1, d, 23, 59, 59);
  if (Number.isNaN(utc)) return s;
  // The offset of Paris on that day (« GMT+1 » in winter, « GMT+2 » in summer).
  const name = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', timeZoneName: 'shortOffset' })
    .formatToParts(new Date(utc))
    .find((p) => p.type === 'timeZoneName')?.value;
  const hours = Number(/GMT([+-]\d+)/.exec(name ?? '')?.[1] ?? 0);
  return new Date(utc - hours * 3600_000).toISOString();
}

/**
 * The step a body (JSON API) or a form (pages) asks for, checked for its shape: the state machine then
 * checks everything else. Unknown types are refused with the field named.
 */
export function actionFrom(input: Record<string, unknown>): DossierAction {
  const type = asText(input.type) as DossierActionType;
  const reasons = asText(input.reasons);
  switch (type) {
    case 'submit':
    case 'declare_admissible':
    case 'send_to_commission':
    case 'accept_update':
    case 'put_online':
    case 'lift_suspension':
    case 'expire':
    case 'request_renewal':
    case 'renew':
      return { type };
    case 'withdraw':
    case 'declare_inadmissible':
    case 'refuse_update':
    case 'take_offline':
    case 'suspend':
    case 'dereference':
      return { type, reasons };
    case 'request_info':
      return {
        type,
        message: asText(input.message),
        criteria: asList(input.criteria),
        dueAt: dueDate(input.dueAt),
      };
    case 'answer_info':
      return { type, text: asText(input.text) };
    case 'give_opinion': {
      const opinion = asText(input.opinion);
      if (!(opinionKindsList as readonly string[]).includes(opinion))
        throw validationFailed({ opinion: 'dossier.field.unknown' });
      const raw = Array.isArray(input.reservations) ? input.reservations : [];
      const reservations = raw
        .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
        .map((r) => ({ text: asText(r.text).trim(), suspensive: asBool(r.suspensive) }))
        .slice(0, 20);
      return {
        type,
        opinion: opinion as OpinionKind,
        reasons,
        reservations,
        sitting: asList(input.sitting),
        finalites: asList(input.finalites),
      };
    }
    case 'lift_reservation':
      return { type, reservationId: asText(input.reservationId) };
    case 'decide': {
      const decision = asText(input.decision);
      if (decision !== 'referenced' && decision !== 'refused')
        throw validationFailed({ decision: 'dossier.field.unknown' });
      return { type, decision, reasons };
    }
    case 'sign_convention': {
      const c = (
        typeof input.convention === 'object' && input.convention !== null ? input.convention : input
      ) as Record<string, unknown>;
      const categories = (Array.isArray(c.categories) ? c.categories : [])
        .filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null)
        .map((x) => ({ code: asText(x.code), read: asBool(x.read), write: asBool(x.write) }))
        .filter((x) => x.code && (x.read || x.write));
      return {
        type,
        convention: {
          parties: asList(c.parties),
          categories,
          finalites: asList(c.finalites),
          durationMonths: Number(c.durationMonths),
          withdrawalTerms: asText(c.withdrawalTerms),
          signedOn: asText(c.signedOn),
        },
      };
    }
    case 'publish':
      return { type, pilot: asBool(input.pilot) };
    default:
      throw validationFailed({ type: 'dossier.field.unknown' });
  }
}
