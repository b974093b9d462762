/**
 * Use cases of the écoscore: journeys of a service, measurement runs (a worker job), the history across the
 * service's versions, and the official écoscore the publisher records as evidence for ETH 32. Rights, store
 * and audit in one transaction each. Members of the service's organisation write and launch; staff read.
 */
import { type AssessmentDeps, getAssessment, listAssessments, saveAnswer } from '../assessment/index.ts';
import { appendAuditEvent } from '../audit/index.ts';
import type { Actor } from '../identity/index.ts';
import type { Config } from '../platform/config.ts';
import { newId, sha256 } from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';
import { AppError, forbidden, notFound, validationFailed } from '../platform/errors.ts';
import { enqueueJob, type JobHandler } from '../platform/jobs.ts';
import {
  getProduct,
  listProductsOf,
  mayEditProduct,
  mayViewProduct,
  type Product,
} from '../product/index.ts';
import type { Referentials } from '../referential/index.ts';
import { ecoindex } from './ecoindex.ts';
import { checkHosts, parseJourney } from './journey.ts';
import { loadMethod } from './method.ts';
import { computeEcoscore, improvements, teleconsultationScore } from './model.ts';
import { type ProgressEvent, pagesReached, runJourney } from './runner.ts';
import * as store from './store.ts';

export type { JourneyRow, OfficialRow, RunRow } from './store.ts';

export interface EcoscoreDeps {
  db: Db;
  config: Pick<Config, 'evidenceMaxBytes' | 'publicUrl'> & { ecoscoreAllowedHosts?: readonly string[] };
  referentials: Referentials;
  /** The Chromium runner; replaced only in the service's unit test. */
  runJourney?: typeof runJourney;
}

/** The criterion the official écoscore is evidence for. */
export const ETH32 = 'ETH 32';
export const JOURNEY_SOURCE_MAX = 64 * 1024;
export const JOURNEY_NAME_MAX = 200;
export const DEFAULT_RUNS = 3;
export const MAX_RUNS = 10;
/** A running run that wrote no progress for this long lost its worker: it is marked interrupted. */
export const STALE_RUN_MINUTES = 15;
export const ROLES: readonly store.JourneyRole[] = ['service', 'patient', 'professionnel'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters (but tab and line breaks) are refused
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

// ── errors ──────────────────────────────────────────────────────────────────

export interface JourneyProblem {
  file: string;
  line: number;
  path: string;
  message: string;
}

/** A journey file that cannot be saved: its problems, each with its line. Nothing was written. */
export class JourneyRefused extends AppError {
  readonly problems: JourneyProblem[];
  constructor(problems: JourneyProblem[]) {
    super('invalid_journey', 422, 'ecoscore.journey.refused', { count: problems.length });
    this.problems = problems;
  }
}

export class JourneyConflict extends AppError {
  readonly current: store.JourneyRow;
  constructor(current: store.JourneyRow) {
    super('conflict', 409, 'ecoscore.journey.conflict');
    this.current = current;
  }
}

// ── rights ──────────────────────────────────────────────────────────────────

const accountId = (actor: Actor) => (actor.kind === 'account' ? actor.accountId : null);

async function productFor(db: Db, actor: Actor, productId: string): Promise<Product> {
  if (!UUID.test(productId)) throw notFound();
  const product = await getProduct(db, productId);
  if (!product || !mayViewProduct(actor, product)) throw notFound();
  return product;
}

function requireEdit(actor: Actor, product: Product): void {
  if (!mayEditProduct(actor, product)) throw forbidden();
}

async function journeyFor(
  db: Db,
  actor: Actor,
  journeyId: string,
): Promise<{ journey: store.JourneyRow; product: Product }> {
  if (!UUID.test(journeyId)) throw notFound();
  const journey = await store.findJourney(db, journeyId);
  if (!journey) throw notFound();
  return { journey, product: await productFor(db, actor, journey.productId) };
}

async function audit(
  trx: Db,
  actor: Actor | 'system',
  action: string,
  productId: string,
  data: Record<string, unknown>,
): Promise<void> {
  await appendAuditEvent(trx, {
    actorType: actor === 'system' ? 'system' : actor.kind === 'account' ? 'account' : 'anonymous',
    actorId: actor === 'system' ? null : accountId(actor),
    action,
    subjectType: 'product',
    subjectId: productId,
    data,
  });
}

// ── journeys ────────────────────────────────────────────────────────────────

/** The hosts a service's journeys may reach: those of its declared URLs, plus those of the configuration. */
export function allowedHostsOf(product: Product, configured: readonly string[] = []): string[] {
  const hosts = new Set<string>();
  for (const url of Object.values(product.urls)) {
    if (url && URL.canParse(url)) hosts.add(new URL(url).hostname.toLowerCase());
  }
  for (const host of configured) if (host.trim()) hosts.add(host.trim().toLowerCase());
  return [...hosts].sort();
}

export interface JourneyInput {
  source: string;
  fileName?: string;
  role?: string;
}

interface CheckedJourney {
  name: string;
  fileName: string;
  source: string;
  device: store.Device;
  role: store.JourneyRole;
}

/** Reads and checks a journey file against the service's hosts; its problems (with lines) refuse it. */
function checkJourney(deps: EcoscoreDeps, product: Product, input: JourneyInput): CheckedJourney {
  const fileName = (input.fileName ?? '').replace(/[\\/]/g, '_').trim().slice(0, 255) || 'parcours.yaml';
  const source = input.source.replace(/\r\n?/g, '\n');
  if (source.trim() === '') throw validationFailed({ source: 'ecoscore.field.source_empty' });
  if (Buffer.byteLength(source) > JOURNEY_SOURCE_MAX)
    throw validationFailed({ source: 'ecoscore.field.source_too_large' });
  if (CONTROL.test(source) || CONTROL.test(fileName))
    throw validationFailed({ source: 'ecoscore.field.invalid_characters' });
  const parsed = parseJourney(source, fileName);
  if (!parsed.ok) throw new JourneyRefused(parsed.problems);
  const journey = parsed.journey;
  // The form's choice, else the file's `role`, else an ordinary service journey.
  const role = (input.role ?? '').trim() || journey.role || 'service';
  if (!(ROLES as readonly string[]).includes(role)) throw validationFailed({ role: 'ecoscore.field.role' });
  const hostProblems = checkHosts(journey, allowedHostsOf(product, deps.config.ecoscoreAllowedHosts));
  if (hostProblems.length > 0) throw new JourneyRefused(hostProblems);
  const name = String(journey.name).trim();
  if (name.length > JOURNEY_NAME_MAX) throw validationFailed({ source: 'ecoscore.field.name_too_long' });
  return { name, fileName, source, device: journey.device as store.Device, role: role as store.JourneyRole };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === '23505';
}

export interface JourneysView {
  product: Product;
  journeys: Array<store.JourneyRow & { lastRun?: store.RunRow; activeRun?: store.RunRow }>;
  runs: store.RunRow[];
  official: store.OfficialRow[];
  allowedHosts: string[];
  mayEdit: boolean;
}

/** A service's journeys, its runs (history across versions, newest first) and its official records. */
export async function listJourneys(
  deps: EcoscoreDeps,
  actor: Actor,
  productId: string,
): Promise<JourneysView> {
  const product = await productFor(deps.db, actor, productId);
  const [journeys, runs, official] = await Promise.all([
    store.journeysOf(deps.db, product.id),
    store.runsOfProduct(deps.db, product.id),
    store.officialOf(deps.db, product.id),
  ]);
  return {
    product,
    journeys: journeys.map((j) => ({
      ...j,
      lastRun: runs.find((r) => r.journeyId === j.id && r.status === 'done'),
      activeRun: runs.find((r) => r.journeyId === j.id && (r.status === 'queued' || r.status === 'running')),
    })),
    runs,
    official,
    allowedHosts: allowedHostsOf(product, deps.config.ecoscoreAllowedHosts),
    mayEdit: mayEditProduct(actor, product),
  };
}

export async function getJourney(
  deps: EcoscoreDeps,
  actor: Actor,
  journeyId: string,
): Promise<{ journey: store.JourneyRow; product: Product; mayEdit: boolean; allowedHosts: string[] }> {
  const { journey, product } = await journeyFor(deps.db, actor, journeyId);
  return {
    journey,
    product,
    mayEdit: mayEditProduct(actor, product),
    allowedHosts: allowedHostsOf(product, deps.config.ecoscoreAllowedHosts),
  };
}

/** Adds a journey to a service from its YAML text (written or uploaded). */
export async function createJourney(
  deps: EcoscoreDeps,
  actor: Actor,
  productId: string,
  input: JourneyInput,
): Promise<store.JourneyRow> {
  const product = await productFor(deps.db, actor, productId);
  requireEdit(actor, product);
  const checked = checkJourney(deps, product, input);
  const id = newId();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await store.insertJourney(trx, { id, productId: product.id, ...checked, by: accountId(actor) });
      await audit(trx, actor, 'ecoscore.journey_created', product.id, {
        journeyId: id,
        name: checked.name,
        device: checked.device,
        role: checked.role,
        sha256: sha256(Buffer.from(checked.source)),
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw validationFailed({ source: 'ecoscore.field.name_taken' });
    throw error;
  }
  return (await store.findJourney(deps.db, id)) as store.JourneyRow;
}

/** Replaces a journey's text, if it is still at `baseVersion` (else JourneyConflict, nothing written). */
export async function updateJourney(
  deps: EcoscoreDeps,
  actor: Actor,
  journeyId: string,
  baseVersion: number,
  input: JourneyInput,
): Promise<store.JourneyRow> {
  const { journey, product } = await journeyFor(deps.db, actor, journeyId);
  requireEdit(actor, product);
  const checked = checkJourney(deps, product, input);
  try {
    await deps.db.transaction().execute(async (trx) => {
      const next = await store.updateJourney(trx, journey.id, baseVersion, {
        ...checked,
        by: accountId(actor),
      });
      if (next === undefined) {
        const current = await store.findJourney(trx, journey.id);
        if (!current) throw notFound();
        throw new JourneyConflict(current);
      }
      await audit(trx, actor, 'ecoscore.journey_updated', product.id, {
        journeyId: journey.id,
        name: checked.name,
        device: checked.device,
        role: checked.role,
        version: next,
        sha256: sha256(Buffer.from(checked.source)),
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw validationFailed({ source: 'ecoscore.field.name_taken' });
    throw error;
  }
  return (await store.findJourney(deps.db, journey.id)) as store.JourneyRow;
}

// ── runs ────────────────────────────────────────────────────────────────────

/** Marks a running run whose worker went silent as failed, so the journey can be measured again. */
async function clearStaleRun(trx: Db, journeyId: string): Promise<void> {
  const active = await store.activeRunOf(trx, journeyId);
  if (active?.status !== 'running') return;
  const last = active.heartbeatAt ?? active.startedAt ?? active.createdAt;
  if (Date.now() - last.getTime() < STALE_RUN_MINUTES * 60_000) return;
  if (
    await store.finishRun(trx, active.id, {
      status: 'failed',
      result: null,
      failures: active.failures,
      error: 'interrupted',
      score: null,
      methodVersion: null,
    })
  ) {
    await audit(trx, 'system', 'ecoscore.run_failed', active.productId, {
      runId: active.id,
      reason: 'interrupted',
    });
  }
}

/** Queues a measurement of a journey (a worker job). One run at a time per journey. */
export async function launchRun(
  deps: EcoscoreDeps,
  actor: Actor,
  journeyId: string,
  runs = DEFAULT_RUNS,
): Promise<store.RunRow> {
  const { journey, product } = await journeyFor(deps.db, actor, journeyId);
  requireEdit(actor, product);
  if (!Number.isSafeInteger(runs) || runs < 1 || runs > MAX_RUNS)
    throw validationFailed({ runs: 'ecoscore.field.runs' });
  // The journey is checked again: the service's URLs may have changed since it was saved.
  checkJourney(deps, product, { source: journey.source, fileName: journey.fileName, role: journey.role });
  const id = newId();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await clearStaleRun(trx, journey.id);
      await store.insertRun(trx, {
        id,
        journeyId: journey.id,
        productId: product.id,
        journeyVersion: journey.rowVersion,
        productVersion: product.version,
        runs,
        by: accountId(actor),
      });
      await enqueueJob(
        trx,
        'ecoscore.run',
        { runId: id },
        { maxAttempts: 1, dedupeKey: `ecoscore.run:${id}` },
      );
      await audit(trx, actor, 'ecoscore.run_requested', product.id, {
        runId: id,
        journeyId: journey.id,
        journeyVersion: journey.rowVersion,
        productVersion: product.version,
        runs,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('run_in_progress', 409, 'ecoscore.run.in_progress');
    throw error;
  }
  return (await store.findRun(deps.db, id)) as store.RunRow;
}

export interface RunView {
  run: store.RunRow;
  product: Product;
  journey: store.JourneyRow;
  mayEdit: boolean;
  /** What to improve first, from the result (empty until done). */
  improvements?: ReturnType<typeof improvements>;
}

export async function getRun(deps: EcoscoreDeps, actor: Actor, runId: string): Promise<RunView> {
  if (!UUID.test(runId)) throw notFound();
  const run = await store.findRun(deps.db, runId);
  if (!run) throw notFound();
  const product = await productFor(deps.db, actor, run.productId);
  const journey = (await store.findJourney(deps.db, run.journeyId)) as store.JourneyRow;
  let advice: RunView['improvements'];
  if (run.status === 'done' && run.result) {
    try {
      advice = improvements(run.result as never);
    } catch {
      // a result of an older method may lack what the advice reads: the report shows the figures alone
    }
  }
  return { run, product, journey, mayEdit: mayEditProduct(actor, product), improvements: advice };
}

/** The mean écoscore of a patient journey and a professional journey (téléconsultation), from their last runs. */
export async function teleconsultation(
  deps: EcoscoreDeps,
  actor: Actor,
  productId: string,
  patientJourneyId: string,
  professionalJourneyId: string,
): Promise<{ patient: store.RunRow; professional: store.RunRow; score: number } | undefined> {
  const view = await listJourneys(deps, actor, productId);
  const last = (id: string) => view.journeys.find((j) => j.id === id)?.lastRun;
  const patient = last(patientJourneyId);
  const professional = last(professionalJourneyId);
  if (!patient || !professional || patient.score === null || professional.score === null) return undefined;
  return {
    patient,
    professional,
    score: teleconsultationScore({ score: patient.score }, { score: professional.score }),
  };
}

// ── the job ─────────────────────────────────────────────────────────────────

function failureOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}

/**
 * Runs one queued measurement: Chromium through the runner, progress written to the run row, then the
 * score. A failure keeps its reasons on the run; the run always ends done or failed.
 */
export type RunDeps = Pick<EcoscoreDeps, 'db' | 'config' | 'runJourney'>;

export async function executeRun(deps: RunDeps, runId: string, signal?: AbortSignal): Promise<void> {
  const run = await store.findRun(deps.db, runId);
  if (!run || !(await store.startRun(deps.db, runId))) return;
  const fail = async (error: string, failures: Array<Record<string, unknown>> = []) => {
    await deps.db.transaction().execute(async (trx) => {
      const ended = await store.finishRun(trx, runId, {
        status: 'failed',
        result: null,
        failures,
        error,
        score: null,
        methodVersion: null,
      });
      if (ended)
        await audit(trx, 'system', 'ecoscore.run_failed', run.productId, {
          runId,
          reason: error,
          failures: failures.length,
        });
    });
  };
  try {
    const journeyRow = await store.findJourney(deps.db, run.journeyId);
    const product = await getProduct(deps.db, run.productId);
    if (!journeyRow || !product) return await fail('journey_gone');
    const parsed = parseJourney(journeyRow.source, journeyRow.fileName);
    if (!parsed.ok) return await fail('invalid_journey', parsed.problems as never);
    const allowedHosts = allowedHostsOf(product, deps.config.ecoscoreAllowedHosts);
    const hostProblems = checkHosts(parsed.journey, allowedHosts);
    if (hostProblems.length > 0) return await fail('host_not_allowed', hostProblems as never);

    const stepCount = parsed.journey.steps.length;
    // Progress is written one at a time, the newest winning: the runner never waits for the database.
    let writing: Promise<void> = Promise.resolve();
    let pending: store.RunProgress | undefined;
    const onProgress = (event: ProgressEvent) => {
      if (event.type !== 'step-start' && event.type !== 'run-end') return;
      pending =
        event.type === 'step-start'
          ? {
              done: (event.run - 1) * event.steps + event.step - 1,
              total: event.runs * event.steps,
              label: event.label.slice(0, 200),
              run: event.run,
            }
          : { done: event.run * stepCount, total: event.runs * stepCount, run: event.run };
      writing = writing.then(async () => {
        const next = pending;
        pending = undefined;
        if (next) await store.writeProgress(deps.db, runId, next).catch(() => undefined);
      });
    };
    const runner = deps.runJourney ?? runJourney;
    const measured = await runner(parsed.journey, {
      runs: run.runs,
      allowedHosts,
      onProgress,
      signal,
    });
    await writing;
    const failures = [
      ...measured.failures,
      ...measured.blocked.map((b) => ({ ...b, reason: 'blocked' })),
    ] as unknown as Array<Record<string, unknown>>;
    if (measured.medians.length < stepCount) return await fail('steps_failed', failures);
    const method = loadMethod();
    const score = computeEcoscore(method, parsed.journey.device, measured.medians, measured.idle);
    const result: Record<string, unknown> = {
      ...(score as unknown as Record<string, unknown>),
      medians: measured.medians,
      pages: pagesReached(measured.medians).map((page) => ({
        ...page,
        ecoindex: ecoindex({ dom: page.dom, requests: page.requests, sizeKb: page.sizeKb }),
      })),
      idle: measured.idle,
      environment: measured.environment,
      runs: measured.runs,
    };
    await deps.db.transaction().execute(async (trx) => {
      const ended = await store.finishRun(trx, runId, {
        status: 'done',
        result,
        failures,
        error: null,
        score: score.score,
        methodVersion: score.methodVersion,
      });
      if (ended)
        await audit(trx, 'system', 'ecoscore.run_finished', run.productId, {
          runId,
          score: score.score,
          methodVersion: score.methodVersion,
          failures: failures.length,
        });
    });
  } catch (error) {
    await fail(failureOf(error));
  }
}

/** The `ecoscore.run` job: `{ runId }`. */
export function ecoscoreRunHandler(deps: RunDeps): JobHandler {
  return async (job) => {
    const runId = String(job.payload.runId ?? '');
    if (UUID.test(runId)) await executeRun(deps, runId);
  };
}

// ── the official écoscore ───────────────────────────────────────────────────

export interface OfficialInput {
  score: string | number;
  measuredOn: string;
  journeyName: string;
  reportUrl?: string;
  file?: { name: string; bytes: Buffer; truncated?: boolean };
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function isHttpUrl(value: string): boolean {
  if (value.length > 2000 || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0;
}

/** The official report's type from its first bytes: a PDF or an image of it. Anything else is refused. */
export function detectReportType(bytes: Buffer): string | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  return undefined;
}

export interface EvidenceOutcome {
  /** The assessment the report was added to as ETH 32 evidence; undefined when none could take it. */
  assessmentId?: string;
  /** Why it was not added (a message key), when it was not. */
  problem?: string;
}

/**
 * Records the service's official écoscore (score /100, date, journey name, the report as a file or a link),
 * then adds the report as evidence of ETH 32 in the service's newest assessment that has the criterion.
 */
export async function recordOfficial(
  deps: EcoscoreDeps,
  actor: Actor,
  productId: string,
  input: OfficialInput,
): Promise<{ record: store.OfficialRow; evidence: EvidenceOutcome }> {
  const product = await productFor(deps.db, actor, productId);
  requireEdit(actor, product);
  const fields: Record<string, string> = {};
  const scoreText = String(input.score).trim();
  const score = /^\d{1,3}$/.test(scoreText) ? Number(scoreText) : Number.NaN;
  if (!(score >= 0 && score <= 100)) fields.score = 'ecoscore.field.score';
  const measuredOn = input.measuredOn.trim();
  if (!isIsoDate(measuredOn)) fields.measuredOn = 'ecoscore.field.date';
  else if (measuredOn > new Date().toISOString().slice(0, 10))
    fields.measuredOn = 'ecoscore.field.date_future';
  const journeyName = input.journeyName.trim();
  if (!journeyName) fields.journeyName = 'ecoscore.field.required';
  else if (journeyName.length > JOURNEY_NAME_MAX || CONTROL.test(journeyName))
    fields.journeyName = 'ecoscore.field.journey_name';
  const reportUrl = (input.reportUrl ?? '').trim();
  if (reportUrl && !isHttpUrl(reportUrl)) fields.reportUrl = 'ecoscore.field.url';
  let file: { name: string; mediaType: string; sha256: string; content: Buffer } | null = null;
  if (input.file && (input.file.bytes.length > 0 || input.file.truncated)) {
    const name = input.file.name.replace(/[\\/]/g, '_').trim().slice(0, 255) || 'rapport-ecoscore';
    const mediaType = detectReportType(input.file.bytes);
    if (input.file.truncated || input.file.bytes.length > deps.config.evidenceMaxBytes)
      fields.reportFile = 'ecoscore.field.file_too_large';
    else if (CONTROL.test(name)) fields.reportFile = 'ecoscore.field.invalid_characters';
    else if (!mediaType) fields.reportFile = 'ecoscore.field.file_type';
    else file = { name, mediaType, sha256: sha256(input.file.bytes), content: input.file.bytes };
  }
  if (!file && !reportUrl && !fields.reportFile && !fields.reportUrl)
    fields.reportFile = 'ecoscore.field.report_required';
  if (Object.keys(fields).length > 0) throw validationFailed(fields);

  const id = newId();
  await deps.db.transaction().execute(async (trx) => {
    await store.insertOfficial(trx, {
      id,
      productId: product.id,
      score,
      measuredOn,
      journeyName,
      reportUrl: reportUrl || null,
      file,
      by: accountId(actor),
    });
    await audit(trx, actor, 'ecoscore.official_recorded', product.id, {
      officialId: id,
      score,
      measuredOn,
      journeyName,
      ...(reportUrl ? { reportUrl } : {}),
      ...(file ? { file: file.name, size: file.content.length, sha256: file.sha256 } : {}),
    });
  });
  const record = (await store.officialOf(deps.db, product.id)).find((r) => r.id === id) as store.OfficialRow;
  const evidence = await attachOfficialToAssessment(deps, actor, product, record, file?.content);
  return { record, evidence };
}

/**
 * Adds the official report to ETH 32 of the service's newest assessment that has the criterion, through the
 * assessment module (its own transaction, audit and conflict check). Its answer's status and text stay.
 */
export async function attachOfficialToAssessment(
  deps: EcoscoreDeps,
  actor: Actor,
  product: Product,
  record: store.OfficialRow,
  content?: Buffer,
): Promise<EvidenceOutcome> {
  const assessmentDeps: AssessmentDeps = {
    db: deps.db,
    config: deps.config,
    referentials: deps.referentials,
  };
  const { assessments } = await listAssessments(assessmentDeps, actor, product.id);
  const target = assessments.find((a) =>
    deps.referentials.get(a.referentialVersion)?.criteria.some((c) => c.id === ETH32),
  );
  if (!target) return { problem: 'ecoscore.official.no_assessment' };
  const evidence =
    content && record.fileName
      ? { kind: 'file' as const, name: record.fileName, bytes: content }
      : { kind: 'url' as const, url: record.reportUrl as string };
  // A colleague's save in between changes the answer's version: read it again and try once more.
  for (let attempt = 0; attempt < 2; attempt++) {
    const view = await getAssessment(assessmentDeps, actor, target.id);
    const answer = view.answers[ETH32];
    try {
      await saveAnswer(assessmentDeps, actor, target.id, ETH32, {
        status: answer?.status ?? '',
        justification: answer?.justification ?? '',
        targetDate: answer?.targetDate ?? '',
        baseVersion: answer?.version ?? 0,
        addEvidence: [evidence],
      });
      return { assessmentId: target.id };
    } catch (error) {
      if (error instanceof AppError && error.status === 409 && attempt === 0) continue;
      if (error instanceof AppError)
        return { assessmentId: undefined, problem: 'ecoscore.official.not_attached' };
      throw error;
    }
  }
  return { problem: 'ecoscore.official.not_attached' };
}

export async function officialDocument(
  deps: EcoscoreDeps,
  actor: Actor,
  productId: string,
  officialId: string,
): Promise<{ record: store.OfficialRow; content: Buffer }> {
  const product = await productFor(deps.db, actor, productId);
  if (!UUID.test(officialId)) throw notFound();
  const found = await store.officialContent(deps.db, product.id, officialId);
  if (!found) throw notFound();
  return found;
}

// ── ETH 32 in the assessment ────────────────────────────────────────────────

/**
 * Beyond this many points between mesref's latest run and the official score, the assessment warns: the two
 * methods differ (thresholds, devices, bench), so some gap is expected, but 15 points on a /100 scale is
 * more than the method alone explains and suggests measuring different journeys or versions.
 */
export const OFFICIAL_GAP_WARNING = 15;

export interface Eth32Evidence {
  productId: string;
  official?: store.OfficialRow;
  latestRun?: store.RunRow;
  /** |latest run − official| when both exist. */
  gap?: number;
  warn: boolean;
}

/** What ETH 32 shows in the assessment: the official record, mesref's latest finished run, and their gap. */
export async function eth32Evidence(db: Db, actor: Actor, productId: string): Promise<Eth32Evidence> {
  const product = await productFor(db, actor, productId);
  const [official, runs] = await Promise.all([
    store.officialOf(db, product.id),
    store.runsOfProduct(db, product.id, 50),
  ]);
  const latestRun = runs.find((r) => r.status === 'done' && r.score !== null);
  const gap =
    official[0] && latestRun?.score != null ? Math.abs(latestRun.score - official[0].score) : undefined;
  return {
    productId: product.id,
    official: official[0],
    latestRun,
    gap,
    warn: gap !== undefined && gap > OFFICIAL_GAP_WARNING,
  };
}

// ── demo ────────────────────────────────────────────────────────────────────

/** The demo journey of the first demo service: its public pages (terms, privacy), read on a smartphone. */
export const DEMO_JOURNEY = `name: Découverte de Pas à Pas
device: smartphone
steps:
  - { label: Conditions d’utilisation, goto: https://pasapas.demo.mesref.test/cgu }
  - { label: Lecture des conditions, scroll: bottom }
  - { label: Politique de confidentialité, goto: https://pasapas.demo.mesref.test/confidentialite }
  - { label: Lecture, pause: 5 }
`;

/**
 * Adds the demo journey to the organisation's demo service « Pas à Pas » as its mandataire, unless the
 * service already has a journey. Returns whether it was added.
 */
export async function seedDemoJourney(
  deps: EcoscoreDeps,
  organisationId: string,
  mandataire: { accountId: string; email: string; displayName: string },
): Promise<boolean> {
  const actor: Actor = {
    kind: 'account',
    ...mandataire,
    staffRoles: [],
    memberships: [{ organisationId, role: 'mandataire' }],
    secondFactorOk: true,
    totpEnabled: false,
  };
  const product = (await listProductsOf(deps.db, organisationId)).find(
    (p) => p.commercialName === 'Pas à Pas',
  );
  if (!product || (await store.journeysOf(deps.db, product.id)).length > 0) return false;
  await createJourney(deps, actor, product.id, { source: DEMO_JOURNEY, fileName: 'decouverte.yaml' });
  return true;
}
