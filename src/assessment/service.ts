/**
 * Use cases of a service's self-assessment: rights, store, audit, in one transaction each. Every save names
 * the row version it was based on; a stale one is refused with a conflict that carries the colleague's
 * current answer, and nothing is overwritten.
 */
import { appendAuditEvent } from '../audit/index.ts';
import type { Actor } from '../identity/model.ts';
import type { Config } from '../platform/config.ts';
import { newId, sha256 } from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';
import { AppError, forbidden, notFound, validationFailed } from '../platform/errors.ts';
import {
  getProduct,
  listProductsOf,
  mayEditProduct,
  mayViewProduct,
  type Product,
} from '../product/index.ts';
import {
  mayBeNotApplicable,
  type OrientationAnswers,
  type Question,
  type Referentials,
  type ReferentialVersion,
  visibleQuestions,
} from '../referential/index.ts';
import {
  ANSWER_STATUSES,
  type AnswerStatus,
  type AssessmentInput,
  type CriterionAnswer,
  carryOver,
  type Evaluation,
  type Evidence,
  evaluateAssessment,
} from './model.ts';
import { type AssessmentReport, reportJson } from './report.tsx';
import * as store from './store.ts';

export interface AssessmentDeps {
  db: Db;
  config: Pick<Config, 'evidenceMaxBytes'>;
  referentials: Referentials;
}

// ── views ───────────────────────────────────────────────────────────────────

export interface EvidenceView {
  id: string;
  kind: 'file' | 'url' | 'text';
  url?: string;
  text?: string;
  name?: string;
  mediaType?: string;
  size?: number;
  sha256?: string;
  /** A file whose bytes mesref keeps (false: named in an imported answers file, not uploaded). */
  stored: boolean;
}

export interface AnswerView {
  criterionId: string;
  status?: AnswerStatus;
  justification: string;
  targetDate?: string;
  /** The row version a save must name; 0 for a criterion not answered yet. */
  version: number;
  updatedBy?: string;
  updatedAt?: Date;
  evidence: EvidenceView[];
}

export interface AssessmentSummary {
  id: string;
  referentialVersion: string;
  ready: boolean;
  counts: Evaluation['counts'];
  missingQuestions: number;
  updatedAt: Date;
}

export interface AssessmentView {
  id: string;
  product: Product;
  version: ReferentialVersion;
  /** The orientation's row version (a save of the orientation names it). */
  rowVersion: number;
  orientation: OrientationAnswers;
  answers: Record<string, AnswerView>;
  input: AssessmentInput;
  evaluation: Evaluation;
  mayEdit: boolean;
  createdAt: Date;
  updatedAt: Date;
}

// ── errors ──────────────────────────────────────────────────────────────────

/** A save based on a stale version: `current` is what the colleague saved (undefined: no answer any more). */
export class AnswerConflict extends AppError {
  readonly criterionId: string;
  readonly current: AnswerView;
  constructor(criterionId: string, current: AnswerView) {
    super('conflict', 409, 'assessment.conflict.answer', { criterion: criterionId });
    this.criterionId = criterionId;
    this.current = current;
  }
}

export class OrientationConflict extends AppError {
  readonly current: { orientation: OrientationAnswers; version: number };
  constructor(current: { orientation: OrientationAnswers; version: number }) {
    super('conflict', 409, 'assessment.conflict.orientation');
    this.current = current;
  }
}

export interface FileProblem {
  file: string;
  line: number;
  path: string;
  message: string;
}

/** An answers file that cannot be imported: its problems, each with its line. Nothing was changed. */
export class ImportRefused extends AppError {
  readonly problems: FileProblem[];
  constructor(problems: FileProblem[]) {
    super('invalid_answers_file', 422, 'assessment.import.refused', { count: problems.length });
    this.problems = problems;
  }
}

// ── rights ──────────────────────────────────────────────────────────────────

/** The service, when the actor may see it; 404 otherwise, so that its existence is not revealed. */
async function productFor(deps: AssessmentDeps, actor: Actor, productId: string): Promise<Product> {
  const product = await getProduct(deps.db, productId);
  if (!product || !mayViewProduct(actor, product)) throw notFound();
  return product;
}

function requireEdit(actor: Actor, product: Product): void {
  if (!mayEditProduct(actor, product)) throw forbidden('assessment.read_only');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function assessmentFor(
  deps: AssessmentDeps,
  actor: Actor,
  assessmentId: string,
  need: 'view' | 'edit',
): Promise<{ row: store.AssessmentRow; product: Product; version: ReferentialVersion }> {
  if (!UUID.test(assessmentId)) throw notFound();
  const row = await store.findAssessment(deps.db, assessmentId);
  if (!row) throw notFound();
  const product = await productFor(deps, actor, row.productId);
  if (need === 'edit') requireEdit(actor, product);
  const version = deps.referentials.get(row.referentialVersion);
  // A version removed from the referentials folder: the assessment stays but cannot be read against it.
  if (!version)
    throw new AppError('unknown_version', 409, 'assessment.version.missing', { id: row.referentialVersion });
  return { row, product, version };
}

function accountId(actor: Actor): string {
  if (actor.kind !== 'account') throw forbidden();
  return actor.accountId;
}

async function audit(
  trx: Db,
  actor: Actor,
  action: string,
  assessmentId: string,
  data: Record<string, unknown>,
): Promise<void> {
  await appendAuditEvent(trx, {
    actorType: 'account',
    actorId: accountId(actor),
    action,
    subjectType: 'assessment',
    subjectId: assessmentId,
    data,
  });
}

// ── reading ─────────────────────────────────────────────────────────────────

function evidenceView(row: store.EvidenceRow): EvidenceView {
  return {
    id: row.id,
    kind: row.kind,
    ...(row.url !== null ? { url: row.url } : {}),
    ...(row.text !== null ? { text: row.text } : {}),
    ...(row.fileName !== null ? { name: row.fileName } : {}),
    ...(row.mediaType !== null ? { mediaType: row.mediaType } : {}),
    ...(row.size !== null ? { size: row.size } : {}),
    ...(row.sha256 ? { sha256: row.sha256 } : {}),
    stored: row.stored,
  };
}

function answerView(
  row: store.AnswerRow | undefined,
  criterionId: string,
  evidence: EvidenceView[],
): AnswerView {
  if (!row) return { criterionId, justification: '', version: 0, evidence: [] };
  return {
    criterionId,
    ...(row.status ? { status: row.status } : {}),
    justification: row.justification,
    ...(row.targetDate ? { targetDate: row.targetDate } : {}),
    version: row.rowVersion,
    ...(row.updatedByName ? { updatedBy: row.updatedByName } : {}),
    updatedAt: row.updatedAt,
    evidence,
  };
}

/** The model's evidence for an evidence row. */
export function modelEvidence(e: EvidenceView): Evidence {
  if (e.kind === 'url') return { kind: 'url', url: e.url ?? '' };
  if (e.kind === 'text') return { kind: 'text', text: e.text ?? '' };
  return {
    kind: 'file',
    name: e.name ?? '',
    ...(e.sha256 ? { sha256: e.sha256 } : {}),
    ...(e.size !== undefined ? { size: e.size } : {}),
    id: e.id,
  };
}

function modelAnswer(a: AnswerView): CriterionAnswer {
  return {
    ...(a.status ? { status: a.status } : {}),
    ...(a.justification ? { justification: a.justification } : {}),
    evidence: a.evidence.map(modelEvidence),
    ...(a.targetDate ? { targetDate: a.targetDate } : {}),
  };
}

async function readAnswers(db: Db, assessmentId: string): Promise<Record<string, AnswerView>> {
  const [answers, evidence] = await Promise.all([
    store.answersOf(db, assessmentId),
    store.evidenceOf(db, assessmentId),
  ]);
  const byCriterion = new Map<string, EvidenceView[]>();
  for (const e of evidence) {
    const list = byCriterion.get(e.criterionId) ?? [];
    list.push(evidenceView(e));
    byCriterion.set(e.criterionId, list);
  }
  const out: Record<string, AnswerView> = {};
  for (const a of answers)
    out[a.criterionId] = answerView(a, a.criterionId, byCriterion.get(a.criterionId) ?? []);
  return out;
}

/** What the pure rules take: an answer row that holds nothing is no answer. */
function inputOf(orientation: OrientationAnswers, answers: Record<string, AnswerView>): AssessmentInput {
  const out: AssessmentInput['answers'] = {};
  for (const [id, a] of Object.entries(answers)) {
    if (!a.status && !a.justification && !a.targetDate && a.evidence.length === 0) continue;
    out[id] = modelAnswer(a);
  }
  return { orientation, answers: out };
}

async function view(
  deps: AssessmentDeps,
  actor: Actor,
  found: { row: store.AssessmentRow; product: Product; version: ReferentialVersion },
): Promise<AssessmentView> {
  const answers = await readAnswers(deps.db, found.row.id);
  const input = inputOf(found.row.orientation, answers);
  return {
    id: found.row.id,
    product: found.product,
    version: found.version,
    rowVersion: found.row.rowVersion,
    orientation: found.row.orientation,
    answers,
    input,
    evaluation: evaluateAssessment(found.version, input),
    mayEdit: mayEditProduct(actor, found.product),
    createdAt: found.row.createdAt,
    updatedAt: found.row.updatedAt,
  };
}

export async function getAssessment(
  deps: AssessmentDeps,
  actor: Actor,
  assessmentId: string,
): Promise<AssessmentView> {
  return view(deps, actor, await assessmentFor(deps, actor, assessmentId, 'view'));
}

/** One criterion's current answer (0 as version when there is none). */
export async function getAnswer(
  deps: AssessmentDeps,
  actor: Actor,
  assessmentId: string,
  criterionId: string,
): Promise<AnswerView> {
  const { row, version } = await assessmentFor(deps, actor, assessmentId, 'view');
  if (!version.criteria.some((c) => c.id === criterionId)) throw notFound();
  return currentAnswer(deps.db, row.id, criterionId);
}

async function currentAnswer(db: Db, assessmentId: string, criterionId: string): Promise<AnswerView> {
  const row = await store.findAnswer(db, assessmentId, criterionId);
  const evidence = (await store.evidenceOf(db, assessmentId))
    .filter((e) => e.criterionId === criterionId)
    .map(evidenceView);
  return answerView(row, criterionId, evidence);
}

/** A service and its assessments (one per referential version), newest first. */
export async function listAssessments(
  deps: AssessmentDeps,
  actor: Actor,
  productId: string,
): Promise<{ product: Product; assessments: AssessmentSummary[]; mayEdit: boolean }> {
  const product = await productFor(deps, actor, productId);
  const rows = await store.assessmentsOfProduct(deps.db, product.id);
  const assessments: AssessmentSummary[] = [];
  for (const row of rows) {
    const version = deps.referentials.get(row.referentialVersion);
    if (!version) continue;
    const evaluation = evaluateAssessment(
      version,
      inputOf(row.orientation, await readAnswers(deps.db, row.id)),
    );
    assessments.push({
      id: row.id,
      referentialVersion: row.referentialVersion,
      ready: evaluation.ready,
      counts: evaluation.counts,
      missingQuestions: evaluation.missingQuestions.length,
      updatedAt: row.updatedAt,
    });
  }
  return { product, assessments, mayEdit: mayEditProduct(actor, product) };
}

// ── creating ────────────────────────────────────────────────────────────────

/**
 * Starts the service's assessment on a version (the newest when none is named). A service has one assessment
 * per version: asking again gives the existing one (`created: false`).
 */
export async function createAssessment(
  deps: AssessmentDeps,
  actor: Actor,
  productId: string,
  versionId?: string,
): Promise<{ id: string; created: boolean }> {
  const product = await productFor(deps, actor, productId);
  requireEdit(actor, product);
  const version = versionId ? deps.referentials.get(versionId) : deps.referentials.newest();
  if (!version) throw validationFailed({ referential: 'assessment.field.version_unknown' });
  return deps.db.transaction().execute(async (trx) => {
    const id = newId();
    const inserted = await store.insertAssessment(trx, {
      id,
      productId: product.id,
      referentialVersion: version.id,
      orientation: {},
      by: accountId(actor),
    });
    if (!inserted) {
      const existing = (await store.assessmentsOfProduct(trx, product.id)).find(
        (a) => a.referentialVersion === version.id,
      );
      if (!existing) throw new AppError('conflict', 409, 'assessment.conflict.exists');
      return { id: existing.id, created: false };
    }
    await audit(trx, actor, 'assessment.created', id, { productId: product.id, referential: version.id });
    return { id, created: true };
  });
}

// ── orientation ─────────────────────────────────────────────────────────────

/** The problem of one orientation answer, as a message key, if any. */
function orientationProblem(question: Question, value: unknown): string | undefined {
  const options = new Set((question.options ?? []).map((o) => o.value));
  switch (question.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'assessment.field.orientation_boolean';
    case 'choice':
      return typeof value === 'string' && options.has(value)
        ? undefined
        : 'assessment.field.orientation_option';
    case 'multi':
      return Array.isArray(value) && value.every((v) => typeof v === 'string' && options.has(v))
        ? undefined
        : 'assessment.field.orientation_option';
  }
}

/**
 * Checks orientation answers against the version's questionnaire and keeps only the answers to questions
 * that are asked (a question hidden by another answer keeps no answer behind).
 */
export function cleanOrientation(
  version: ReferentialVersion,
  answers: Record<string, unknown>,
): OrientationAnswers {
  const questions = new Map(version.questionnaire.map((q) => [q.id, q]));
  const fields: Record<string, string> = {};
  const given: OrientationAnswers = {};
  for (const [id, value] of Object.entries(answers)) {
    if (value === undefined || value === null) continue;
    const question = questions.get(id);
    if (!question) {
      fields[id] = 'assessment.field.orientation_unknown';
      continue;
    }
    const problem = orientationProblem(question, value);
    if (problem) fields[id] = problem;
    else
      given[id] = question.type === 'multi' ? [...new Set(value as string[])] : (value as boolean | string);
  }
  if (Object.keys(fields).length > 0) throw validationFailed(fields);
  // Hiding a question may hide others that depend on it: repeat until nothing more is hidden.
  let kept = given;
  for (;;) {
    const visible = new Set(visibleQuestions(version, kept).map((q) => q.id));
    const next = Object.fromEntries(Object.entries(kept).filter(([id]) => visible.has(id)));
    if (Object.keys(next).length === Object.keys(kept).length) return next;
    kept = next;
  }
}

/** The ids of the questions asked for these answers (answers of any shape: a form's, before checking). */
export function visibleQuestionIds(version: ReferentialVersion, answers: Record<string, unknown>): string[] {
  return visibleQuestions(version, answers as OrientationAnswers).map((q) => q.id);
}

export async function saveOrientation(
  deps: AssessmentDeps,
  actor: Actor,
  assessmentId: string,
  input: { orientation: Record<string, unknown>; baseVersion: number },
): Promise<{ version: number; orientation: OrientationAnswers }> {
  const { row, version } = await assessmentFor(deps, actor, assessmentId, 'edit');
  const orientation = cleanOrientation(version, input.orientation);
  return deps.db.transaction().execute(async (trx) => {
    const next = await store.updateOrientation(trx, row.id, orientation, input.baseVersion, accountId(actor));
    if (next === undefined) {
      const current = await store.findAssessment(trx, row.id);
      throw new OrientationConflict({
        orientation: current?.orientation ?? {},
        version: current?.rowVersion ?? 0,
      });
    }
    await audit(trx, actor, 'assessment.orientation_saved', row.id, {
      version: next,
      questions: Object.keys(orientation).sort(),
    });
    return { version: next, orientation };
  });
}

// ── answers and evidence ────────────────────────────────────────────────────

export const JUSTIFICATION_MAX = 5000;
export const EVIDENCE_TEXT_MAX = 10_000;
export const EVIDENCE_URL_MAX = 2000;
export const FILE_NAME_MAX = 255;

/** Evidence a person adds: a URL, a text, or an uploaded file. */
export type EvidenceInput =
  | { kind: 'url'; url: string }
  | { kind: 'text'; text: string }
  | { kind: 'file'; name: string; bytes: Buffer; truncated?: boolean };

export interface AnswerInput {
  /** Empty: no status (the answer is cleared). */
  status: string;
  justification: string;
  /** YYYY-MM-DD, or empty. */
  targetDate: string;
  baseVersion: number;
  addEvidence?: EvidenceInput[];
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters (but tab and line breaks) are refused
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function isHttpUrl(value: string): boolean {
  if (value.length > EVIDENCE_URL_MAX || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0;
}

/**
 * The media type of a file, from its first bytes: the kinds of evidence a publisher files (PDF, images,
 * office documents, plain text). Anything else (executables, HTML, SVG…) is refused.
 */
export function detectEvidenceType(bytes: Buffer, name: string): string | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    // Office documents are zip files: the name says which one (the bytes say it is a zip, nothing more).
    const extension = name.toLowerCase().split('.').pop() ?? '';
    const office: Record<string, string> = {
      docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      odt: 'application/vnd.oasis.opendocument.text',
      ods: 'application/vnd.oasis.opendocument.spreadsheet',
      odp: 'application/vnd.oasis.opendocument.presentation',
    };
    return office[extension] ?? 'application/zip';
  }
  // Text: valid UTF-8 without NUL, and not a page a browser would run.
  if (bytes.includes(0)) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 64 * 1024));
  } catch {
    return undefined;
  }
  const head = text.slice(0, 1024).trimStart().toLowerCase();
  if (/^<(!doctype|html|svg|\?xml|script)/.test(head)) return undefined;
  return 'text/plain; charset=utf-8';
}

interface CheckedEvidence extends store.NewEvidence {}

function checkEvidence(
  deps: AssessmentDeps,
  items: EvidenceInput[],
  fields: Record<string, string>,
): CheckedEvidence[] {
  const out: CheckedEvidence[] = [];
  for (const item of items) {
    if (item.kind === 'url') {
      const url = item.url.trim();
      if (!isHttpUrl(url)) fields.evidenceUrl = 'assessment.field.evidence_url_invalid';
      else out.push({ kind: 'url', url });
    } else if (item.kind === 'text') {
      const text = item.text.trim();
      if (text.length > EVIDENCE_TEXT_MAX) fields.evidenceText = 'assessment.field.too_long';
      else if (CONTROL.test(text)) fields.evidenceText = 'assessment.field.invalid_characters';
      else if (text) out.push({ kind: 'text', text });
    } else {
      const name = item.name.replace(/[\\/]/g, '_').trim().slice(0, FILE_NAME_MAX) || 'preuve';
      if (item.truncated || item.bytes.length > deps.config.evidenceMaxBytes) {
        fields.evidenceFile = 'assessment.field.file_too_large';
      } else if (item.bytes.length === 0) {
        fields.evidenceFile = 'assessment.field.file_empty';
      } else if (CONTROL.test(name)) {
        fields.evidenceFile = 'assessment.field.invalid_characters';
      } else {
        const mediaType = detectEvidenceType(item.bytes, name);
        if (!mediaType) fields.evidenceFile = 'assessment.field.file_type';
        else
          out.push({
            kind: 'file',
            fileName: name,
            mediaType,
            size: item.bytes.length,
            sha256: sha256(item.bytes),
            content: item.bytes,
          });
      }
    }
  }
  return out;
}

function evidenceAuditData(e: CheckedEvidence): Record<string, unknown> {
  if (e.kind === 'file') return { kind: 'file', name: e.fileName, size: e.size, sha256: e.sha256 };
  return { kind: e.kind };
}

/**
 * Saves one criterion's answer (status, justification, target date) and the evidence added with it, if the
 * answer is still at `baseVersion`. A stale save changes nothing and throws `AnswerConflict` with the
 * current answer.
 */
export async function saveAnswer(
  deps: AssessmentDeps,
  actor: Actor,
  assessmentId: string,
  criterionId: string,
  input: AnswerInput,
): Promise<AnswerView> {
  const { row, version } = await assessmentFor(deps, actor, assessmentId, 'edit');
  const criterion = version.criteria.find((c) => c.id === criterionId);
  if (!criterion) throw notFound();
  const fields: Record<string, string> = {};
  const status = input.status.trim();
  if (status && !(ANSWER_STATUSES as readonly string[]).includes(status))
    fields.status = 'assessment.field.status';
  if (status === 'non-applicable' && !mayBeNotApplicable(criterion, row.orientation))
    fields.status = 'assessment.field.not_applicable_refused';
  const justification = input.justification.trim();
  if (justification.length > JUSTIFICATION_MAX) fields.justification = 'assessment.field.too_long';
  else if (CONTROL.test(justification)) fields.justification = 'assessment.field.invalid_characters';
  const targetDate = input.targetDate.trim();
  if (targetDate && !isIsoDate(targetDate)) fields.targetDate = 'assessment.field.date';
  if (!Number.isSafeInteger(input.baseVersion) || input.baseVersion < 0)
    fields.version = 'assessment.field.version';
  const evidence = checkEvidence(deps, input.addEvidence ?? [], fields);
  if (Object.keys(fields).length > 0) throw validationFailed(fields);

  const by = accountId(actor);
  return deps.db.transaction().execute(async (trx) => {
    const next = await store.writeAnswer(
      trx,
      row.id,
      criterionId,
      { status: (status || null) as AnswerStatus | null, justification, targetDate: targetDate || null },
      input.baseVersion,
      by,
    );
    if (next === undefined)
      throw new AnswerConflict(criterionId, await currentAnswer(trx, row.id, criterionId));
    await audit(trx, actor, 'assessment.answer_saved', row.id, {
      criterion: criterionId,
      status: status || null,
      targetDate: targetDate || null,
      version: next,
    });
    for (const e of evidence) {
      await store.insertEvidence(trx, { id: newId(), assessmentId: row.id, criterionId, by, ...e });
      await audit(trx, actor, 'assessment.evidence_added', row.id, {
        criterion: criterionId,
        ...evidenceAuditData(e),
      });
    }
    return currentAnswer(trx, row.id, criterionId);
  });
}

/** Adds evidence to an answer (creating the answer when there is none), if it is still at `baseVersion`. */
export async function addEvidence(
  deps: AssessmentDeps,
  actor: Actor,
  assessmentId: string,
  criterionId: string,
  evidence: EvidenceInput[],
  baseVersion: number,
): Promise<AnswerView> {
  const current = await getAnswer(deps, actor, assessmentId, criterionId);
  return saveAnswer(deps, actor, assessmentId, criterionId, {
    status: baseVersion === current.version ? (current.status ?? '') : '',
    justification: baseVersion === current.version ? current.justification : '',
    targetDate: baseVersion === current.version ? (current.targetDate ?? '') : '',
    baseVersion,
    addEvidence: evidence,
  });
}

/** Removes one piece of evidence, if its answer is still at `baseVersion`. */
export async function removeEvidence(
  deps: AssessmentDeps,
  actor: Actor,
  assessmentId: string,
  evidenceId: string,
  baseVersion: number,
): Promise<AnswerView> {
  const { row } = await assessmentFor(deps, actor, assessmentId, 'edit');
  const evidence = (await store.evidenceOf(deps.db, row.id)).find((e) => e.id === evidenceId);
  if (!evidence) throw notFound();
  const { criterionId } = evidence;
  return deps.db.transaction().execute(async (trx) => {
    const next = await store.touchAnswer(trx, row.id, criterionId, baseVersion, accountId(actor));
    if (next === undefined)
      throw new AnswerConflict(criterionId, await currentAnswer(trx, row.id, criterionId));
    await store.deleteEvidence(trx, row.id, [evidenceId]);
    await audit(trx, actor, 'assessment.evidence_removed', row.id, {
      criterion: criterionId,
      kind: evidence.kind,
      ...(evidence.kind === 'file' ? { name: evidence.fileName, sha256: evidence.sha256 } : {}),
      version: next,
    });
    return currentAnswer(trx, row.id, criterionId);
  });
}

/** Sets (or clears) the date by which a gap is to be closed: the plan. */
export async function setTargetDate(
  deps: AssessmentDeps,
  actor: Actor,
  assessmentId: string,
  criterionId: string,
  targetDate: string,
  baseVersion: number,
): Promise<AnswerView> {
  const current = await getAnswer(deps, actor, assessmentId, criterionId);
  if (current.version !== baseVersion) {
    await assessmentFor(deps, actor, assessmentId, 'edit');
    throw new AnswerConflict(criterionId, current);
  }
  return saveAnswer(deps, actor, assessmentId, criterionId, {
    status: current.status ?? '',
    justification: current.justification,
    targetDate,
    baseVersion,
  });
}

/** A stored evidence file, for downloading (whoever may see the assessment). */
export async function evidenceFile(
  deps: AssessmentDeps,
  actor: Actor,
  assessmentId: string,
  evidenceId: string,
): Promise<{ fileName: string; mediaType: string; content: Buffer }> {
  const { row } = await assessmentFor(deps, actor, assessmentId, 'view');
  if (!UUID.test(evidenceId)) throw notFound();
  const file = await store.evidenceFile(deps.db, evidenceId);
  if (!file || file.assessmentId !== row.id) throw notFound();
  return file;
}

// ── answers file (compliance as code) ───────────────────────────────────────

/** The parsed content of an answers file, as `answers-file.ts` gives it. */
export interface ParsedAnswersFile {
  versionId: string;
  input: AssessmentInput;
}

/**
 * Replaces the orientation and every answer with those of an answers file, in one transaction, after the
 * file has been checked. Evidence: URLs and texts are those of the file; a stored file stays when the file
 * still names it (same SHA-256, or same name when it gives none); a file named but not stored is recorded
 * as named. A refused file changes nothing.
 */
export async function importAnswers(
  deps: AssessmentDeps,
  actor: Actor,
  assessmentId: string,
  parsed: ParsedAnswersFile | { problems: FileProblem[] },
  fileName: string,
  sourceSha256: string,
): Promise<AssessmentView> {
  const found = await assessmentFor(deps, actor, assessmentId, 'edit');
  if ('problems' in parsed) throw new ImportRefused(parsed.problems);
  if (parsed.versionId !== found.row.referentialVersion) {
    throw new ImportRefused([
      {
        file: fileName,
        line: 1,
        path: '/referential',
        message: `the file is for referential ${parsed.versionId}, this assessment is on ${found.row.referentialVersion}`,
      },
    ]);
  }
  const known = new Set(found.version.criteria.map((c) => c.id));
  const unknown = Object.keys(parsed.input.answers).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new ImportRefused(
      unknown.map((id) => ({
        file: fileName,
        line: 1,
        path: `/answers/${id}`,
        message: `unknown criterion ${id}`,
      })),
    );
  }
  const orientation = cleanOrientation(found.version, parsed.input.orientation);
  const by = accountId(actor);
  await deps.db.transaction().execute(async (trx) => {
    const locked = await store.lockAssessment(trx, found.row.id);
    if (!locked) throw notFound();
    await store.replaceOrientation(trx, found.row.id, orientation, by);
    const existingAnswers = await store.answersOf(trx, found.row.id);
    const existingEvidence = await store.evidenceOf(trx, found.row.id);
    const fileAnswers = Object.entries(parsed.input.answers).filter(
      (entry): entry is [string, CriterionAnswer] => entry[1] !== undefined,
    );
    const inFile = new Set(fileAnswers.map(([id]) => id));
    // Answers the file no longer holds are emptied, not deleted: their version keeps moving forward.
    for (const a of existingAnswers) {
      if (inFile.has(a.criterionId)) continue;
      await store.forceAnswer(
        trx,
        found.row.id,
        a.criterionId,
        { status: null, justification: '', targetDate: null },
        by,
      );
    }
    const drop: string[] = existingEvidence.filter((e) => !inFile.has(e.criterionId)).map((e) => e.id);
    for (const [criterionId, answer] of fileAnswers) {
      await store.forceAnswer(
        trx,
        found.row.id,
        criterionId,
        {
          status: answer.status ?? null,
          justification: (answer.justification ?? '').trim(),
          targetDate: answer.targetDate ?? null,
        },
        by,
      );
      const stored = existingEvidence.filter((e) => e.criterionId === criterionId);
      const keep = new Set<string>();
      for (const e of answer.evidence) {
        if (e.kind === 'file') {
          const match = stored.find(
            (s) =>
              s.kind === 'file' &&
              !keep.has(s.id) &&
              (e.sha256 ? s.sha256 === e.sha256 : s.fileName === e.name),
          );
          if (match) {
            keep.add(match.id);
            continue;
          }
          await store.insertEvidence(trx, {
            id: newId(),
            assessmentId: found.row.id,
            criterionId,
            by,
            kind: 'file',
            fileName: e.name.slice(0, FILE_NAME_MAX),
            ...(e.sha256 ? { sha256: e.sha256 } : {}),
            ...(e.size !== undefined ? { size: e.size } : {}),
          });
        } else if (e.kind === 'url') {
          await store.insertEvidence(trx, {
            id: newId(),
            assessmentId: found.row.id,
            criterionId,
            by,
            kind: 'url',
            url: e.url,
          });
        } else {
          await store.insertEvidence(trx, {
            id: newId(),
            assessmentId: found.row.id,
            criterionId,
            by,
            kind: 'text',
            text: e.text,
          });
        }
      }
      drop.push(...stored.filter((s) => !keep.has(s.id)).map((s) => s.id));
    }
    await store.deleteEvidence(trx, found.row.id, drop);
    await audit(trx, actor, 'assessment.imported', found.row.id, {
      file: fileName.slice(0, FILE_NAME_MAX),
      sha256: sourceSha256,
      answers: fileAnswers.length,
      questions: Object.keys(orientation).length,
    });
  });
  return getAssessment(deps, actor, assessmentId);
}

// ── another version ─────────────────────────────────────────────────────────

export interface MovePreview {
  from: ReferentialVersion;
  to: ReferentialVersion;
  kept: string[];
  toAnswer: string[];
  dropped: string[];
}

export async function previewMove(
  deps: AssessmentDeps,
  actor: Actor,
  assessmentId: string,
  toVersionId: string,
): Promise<MovePreview> {
  const current = await getAssessment(deps, actor, assessmentId);
  const to = deps.referentials.get(toVersionId);
  if (!to || to.id === current.version.id)
    throw validationFailed({ referential: 'assessment.field.version_unknown' });
  const result = carryOver(current.version, to, current.input);
  return {
    from: current.version,
    to,
    kept: result.kept,
    toAnswer: result.toAnswer.map((c) => c.id),
    dropped: result.dropped,
  };
}

/**
 * Starts the service's assessment on another version from this one: the orientation and the answers that
 * still count (same criterion asking the same) are copied with their evidence; the others are to answer
 * again. This assessment stays as it is.
 */
export async function moveToVersion(
  deps: AssessmentDeps,
  actor: Actor,
  assessmentId: string,
  toVersionId: string,
): Promise<MovePreview & { id: string }> {
  const current = await getAssessment(deps, actor, assessmentId);
  requireEdit(actor, current.product);
  const preview = await previewMove(deps, actor, assessmentId, toVersionId);
  const questions = new Set(preview.to.questionnaire.map((q) => q.id));
  const orientation = Object.fromEntries(
    Object.entries(current.orientation).filter(([id]) => questions.has(id)),
  );
  const by = accountId(actor);
  const id = newId();
  await deps.db.transaction().execute(async (trx) => {
    const inserted = await store.insertAssessment(trx, {
      id,
      productId: current.product.id,
      referentialVersion: preview.to.id,
      orientation,
      by,
    });
    if (!inserted)
      throw new AppError('conflict', 409, 'assessment.conflict.exists_on', { version: preview.to.id });
    for (const criterionId of preview.kept) {
      const answer = current.answers[criterionId];
      await store.forceAnswer(
        trx,
        id,
        criterionId,
        {
          status: answer.status ?? null,
          justification: answer.justification,
          targetDate: answer.targetDate ?? null,
        },
        by,
      );
    }
    for (const e of await store.evidenceWithContent(trx, current.id, preview.kept)) {
      await store.insertEvidence(trx, { ...e, id: newId(), assessmentId: id, by });
    }
    await audit(trx, actor, 'assessment.created', id, {
      productId: current.product.id,
      referential: preview.to.id,
      from: { assessment: current.id, referential: current.version.id },
      kept: preview.kept.length,
      toAnswer: preview.toAnswer.length,
    });
  });
  return { ...preview, id };
}

// ── demo data ───────────────────────────────────────────────────────────────

/**
 * The sandbox's demo: a started assessment of the organisation's first service (orientation answered, a few
 * criteria answered, one gap with its target date). Does nothing when that service already has one.
 */
export async function seedDemoAssessment(
  deps: AssessmentDeps,
  organisationId: string,
  person: { accountId: string; email: string; displayName: string },
): Promise<string | undefined> {
  const actor: Actor = {
    kind: 'account',
    ...person,
    staffRoles: [],
    memberships: [{ organisationId, role: 'mandataire' }],
    secondFactorOk: true,
    totpEnabled: false,
  };
  const [product] = await listProductsOf(deps.db, organisationId);
  if (!product || (await store.assessmentsOfProduct(deps.db, product.id)).length > 0) return undefined;
  const { id } = await createAssessment(deps, actor, product.id);
  const version = deps.referentials.newest();
  const wanted: Record<string, unknown> = {
    echange_donnees: true,
    finalites: ['prevention', 'suivi-social-medico-social'],
    dispositif_medical: false,
    teleconsultation: false,
    donnees_sante: true,
    compte_usager: 'compte-propre',
    intelligence_artificielle: false,
  };
  const known = new Set(version.questionnaire.map((q) => q.id));
  const orientation = Object.fromEntries(Object.entries(wanted).filter(([q]) => known.has(q)));
  await saveOrientation(deps, actor, id, { orientation, baseVersion: 1 });
  const applicable = evaluateAssessment(version, {
    orientation: orientation as OrientationAnswers,
    answers: {},
  }).criteria;
  const [first, second, third] = applicable.map((c) => c.criterion);
  if (first)
    await saveAnswer(deps, actor, id, first.id, {
      status: 'conforme',
      justification: 'Attestation de l’hébergeur jointe (démonstration).',
      targetDate: '',
      baseVersion: 0,
      addEvidence: [{ kind: 'url', url: 'https://exemple.test/demo/attestation' }],
    });
  if (second)
    await saveAnswer(deps, actor, id, second.id, {
      status: 'conforme',
      justification: '',
      targetDate: '',
      baseVersion: 0,
      addEvidence: [{ kind: 'text', text: 'Déclaration de l’éditeur (démonstration).' }],
    });
  if (third)
    await saveAnswer(deps, actor, id, third.id, {
      status: 'non-conforme',
      justification: 'Travaux en cours (démonstration).',
      targetDate: `${new Date().getUTCFullYear() + 1}-03-31`,
      baseVersion: 0,
    });
  return id;
}

// ── freezing (the referencing request) ──────────────────────────────────────

/** A stored evidence file copied into a referencing request. */
export interface FrozenEvidenceFile {
  criterionId: string;
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
  content: Buffer;
}

/**
 * The assessment as it stands, for a referencing request to keep: the JSON report (answers, justifications,
 * evidence by name and digest) and the bytes of its evidence files, so later edits of the assessment do not
 * change what was filed. Read in the caller's transaction (`db`), with the caller's rights.
 */
export async function freezeAssessment(
  deps: AssessmentDeps,
  actor: Actor,
  assessmentId: string,
  organisationName: string,
  locale: 'fr' | 'en',
): Promise<{ ready: boolean; report: AssessmentReport; files: FrozenEvidenceFile[] }> {
  const v = await getAssessment(deps, actor, assessmentId);
  const report = reportJson({
    evaluation: v.evaluation,
    version: v.version,
    subject: { displayName: v.product.displayName, version: v.product.version, organisationName },
    generatedAt: new Date(),
    locale,
  });
  const withFiles = Object.values(v.answers)
    .filter((a) => a.evidence.some((e) => e.kind === 'file' && e.stored))
    .map((a) => a.criterionId);
  const files = (await store.evidenceWithContent(deps.db, v.id, withFiles))
    .filter((e) => e.kind === 'file' && e.content)
    .map((e) => ({
      criterionId: e.criterionId,
      name: e.fileName ?? 'preuve',
      mediaType: e.mediaType ?? 'application/octet-stream',
      size: e.size ?? (e.content as Buffer).length,
      sha256: e.sha256 ?? sha256(e.content as Buffer),
      content: e.content as Buffer,
    }));
  return { ready: v.evaluation.ready, report, files };
}
