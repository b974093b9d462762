/** SQL of the écoscore: journeys, runs and official records. Nothing else. */
import { sql } from 'kysely';
import type { Db } from '../platform/db/index.ts';
import type { EcoscoreJourneyTable, EcoscoreRunTable } from '../platform/db/schema.ts';

export type Device = EcoscoreJourneyTable['device'];
export type JourneyRole = EcoscoreJourneyTable['role'];
export type RunStatus = EcoscoreRunTable['status'];

export interface JourneyRow {
  id: string;
  productId: string;
  name: string;
  fileName: string;
  source: string;
  device: Device;
  role: JourneyRole;
  rowVersion: number;
  updatedAt: Date;
}

export interface RunProgress {
  /** Steps measured so far, over all runs. */
  done?: number;
  total?: number;
  /** What is being measured now. */
  label?: string;
  run?: number;
}

export interface RunRow {
  id: string;
  journeyId: string;
  productId: string;
  journeyName: string;
  journeyVersion: number;
  productVersion: string;
  runs: number;
  status: RunStatus;
  progress: RunProgress;
  result: Record<string, unknown> | null;
  failures: Array<Record<string, unknown>>;
  error: string | null;
  score: number | null;
  methodVersion: string | null;
  requestedBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  heartbeatAt: Date | null;
  finishedAt: Date | null;
}

export interface OfficialRow {
  id: string;
  productId: string;
  score: number;
  measuredOn: string;
  journeyName: string;
  reportUrl: string | null;
  fileName: string | null;
  mediaType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  recordedBy: string | null;
  recordedAt: Date;
}

const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;
const date = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

// ── journeys ────────────────────────────────────────────────────────────────

const journeyColumns = [
  'id',
  'product_id',
  'name',
  'file_name',
  'source',
  'device',
  'role',
  'row_version',
  'updated_at',
] as const;

function toJourney(row: {
  id: string;
  product_id: string;
  name: string;
  file_name: string;
  source: string;
  device: Device;
  role: JourneyRole;
  row_version: number;
  updated_at: Date;
}): JourneyRow {
  return {
    id: row.id,
    productId: row.product_id,
    name: row.name,
    fileName: row.file_name,
    source: row.source,
    device: row.device,
    role: row.role,
    rowVersion: row.row_version,
    updatedAt: new Date(row.updated_at),
  };
}

export async function journeysOf(db: Db, productId: string): Promise<JourneyRow[]> {
  const rows = await db
    .selectFrom('ecoscore_journeys')
    .select(journeyColumns)
    .where('product_id', '=', productId)
    .orderBy(sql`lower(name)`)
    .execute();
  return rows.map(toJourney);
}

export async function findJourney(db: Db, id: string): Promise<JourneyRow | undefined> {
  const row = await db
    .selectFrom('ecoscore_journeys')
    .select(journeyColumns)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toJourney(row) : undefined;
}

export async function insertJourney(
  db: Db,
  row: Omit<JourneyRow, 'rowVersion' | 'updatedAt'> & { by: string | null },
): Promise<void> {
  await db
    .insertInto('ecoscore_journeys')
    .values({
      id: row.id,
      product_id: row.productId,
      name: row.name,
      file_name: row.fileName,
      source: row.source,
      device: row.device,
      role: row.role,
      row_version: 1,
      created_by: row.by,
      updated_by: row.by,
      updated_at: new Date(),
    })
    .execute();
}

/** Writes the journey only if it is still at `expectedVersion`; the new version, or undefined. */
export async function updateJourney(
  db: Db,
  id: string,
  expectedVersion: number,
  values: Pick<JourneyRow, 'name' | 'fileName' | 'source' | 'device' | 'role'> & { by: string | null },
): Promise<number | undefined> {
  const row = await db
    .updateTable('ecoscore_journeys')
    .set({
      name: values.name,
      file_name: values.fileName,
      source: values.source,
      device: values.device,
      role: values.role,
      updated_by: values.by,
      updated_at: new Date(),
      row_version: sql<number>`row_version + 1`,
    })
    .where('id', '=', id)
    .where('row_version', '=', expectedVersion)
    .returning('row_version')
    .executeTakeFirst();
  return row?.row_version;
}

export async function deleteJourney(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('ecoscore_journeys').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

// ── runs ────────────────────────────────────────────────────────────────────

function selectRuns(db: Db) {
  return db
    .selectFrom('ecoscore_runs as r')
    .innerJoin('ecoscore_journeys as j', 'j.id', 'r.journey_id')
    .select([
      'r.id',
      'r.journey_id',
      'r.product_id',
      'j.name as journey_name',
      'r.journey_version',
      'r.product_version',
      'r.runs',
      'r.status',
      'r.progress',
      'r.result',
      'r.failures',
      'r.error',
      'r.score',
      'r.method_version',
      'r.requested_by',
      'r.created_at',
      'r.started_at',
      'r.heartbeat_at',
      'r.finished_at',
    ]);
}

type RawRun = Awaited<ReturnType<ReturnType<typeof selectRuns>['executeTakeFirstOrThrow']>>;

function toRun(row: RawRun): RunRow {
  return {
    id: row.id,
    journeyId: row.journey_id,
    productId: row.product_id,
    journeyName: row.journey_name,
    journeyVersion: row.journey_version,
    productVersion: row.product_version,
    runs: row.runs,
    status: row.status,
    progress: json<RunProgress>(row.progress ?? {}),
    result: row.result === null ? null : json<Record<string, unknown>>(row.result),
    failures: json<Array<Record<string, unknown>>>(row.failures ?? []),
    error: row.error,
    score: row.score,
    methodVersion: row.method_version,
    requestedBy: row.requested_by,
    createdAt: new Date(row.created_at),
    startedAt: date(row.started_at),
    heartbeatAt: date(row.heartbeat_at),
    finishedAt: date(row.finished_at),
  };
}

export async function findRun(db: Db, id: string): Promise<RunRow | undefined> {
  const row = await selectRuns(db).where('r.id', '=', id).executeTakeFirst();
  return row ? toRun(row) : undefined;
}

/** A service's runs, newest first (the history across the service's versions). */
export async function runsOfProduct(db: Db, productId: string, limit = 200): Promise<RunRow[]> {
  const rows = await selectRuns(db)
    .where('r.product_id', '=', productId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id')
    .limit(limit)
    .execute();
  return rows.map(toRun);
}

export async function activeRunOf(db: Db, journeyId: string): Promise<RunRow | undefined> {
  const row = await selectRuns(db)
    .where('r.journey_id', '=', journeyId)
    .where('r.status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  return row ? toRun(row) : undefined;
}

export async function insertRun(
  db: Db,
  row: {
    id: string;
    journeyId: string;
    productId: string;
    journeyVersion: number;
    productVersion: string;
    runs: number;
    by: string | null;
  },
): Promise<void> {
  await db
    .insertInto('ecoscore_runs')
    .values({
      id: row.id,
      journey_id: row.journeyId,
      product_id: row.productId,
      journey_version: row.journeyVersion,
      product_version: row.productVersion,
      runs: row.runs,
      status: 'queued',
      progress: JSON.stringify({ done: 0 }),
      result: null,
      failures: '[]',
      error: null,
      score: null,
      method_version: null,
      requested_by: row.by,
      started_at: null,
      heartbeat_at: null,
      finished_at: null,
    })
    .execute();
}

/** Queued → running; false when the run is not queued (already taken, or finished). */
export async function startRun(db: Db, id: string): Promise<boolean> {
  const result = await db
    .updateTable('ecoscore_runs')
    .set({ status: 'running', started_at: sql`now()`, heartbeat_at: sql`now()` })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function writeProgress(db: Db, id: string, progress: RunProgress): Promise<void> {
  await db
    .updateTable('ecoscore_runs')
    .set({ progress: JSON.stringify(progress), heartbeat_at: sql`now()` })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

/** Running → done or failed, with what was found; false when the run was not running any more. */
export async function finishRun(
  db: Db,
  id: string,
  outcome: {
    status: 'done' | 'failed';
    result: Record<string, unknown> | null;
    failures: Array<Record<string, unknown>>;
    error: string | null;
    score: number | null;
    methodVersion: string | null;
  },
  from: RunStatus[] = ['running'],
): Promise<boolean> {
  const result = await db
    .updateTable('ecoscore_runs')
    .set({
      status: outcome.status,
      result: outcome.result === null ? null : JSON.stringify(outcome.result),
      failures: JSON.stringify(outcome.failures),
      error: outcome.error,
      score: outcome.score,
      method_version: outcome.methodVersion,
      finished_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ── official records ────────────────────────────────────────────────────────

const officialColumns = [
  'id',
  'product_id',
  'score',
  sql<string>`to_char(measured_on, 'YYYY-MM-DD')`.as('measured_on'),
  'journey_name',
  'report_url',
  'file_name',
  'media_type',
  'size_bytes',
  'sha256',
  'recorded_by',
  'recorded_at',
] as const;

function toOfficial(row: {
  id: string;
  product_id: string;
  score: number;
  measured_on: string;
  journey_name: string;
  report_url: string | null;
  file_name: string | null;
  media_type: string | null;
  size_bytes: number | null;
  sha256: string | null;
  recorded_by: string | null;
  recorded_at: Date;
}): OfficialRow {
  return {
    id: row.id,
    productId: row.product_id,
    score: row.score,
    measuredOn: row.measured_on,
    journeyName: row.journey_name,
    reportUrl: row.report_url,
    fileName: row.file_name,
    mediaType: row.media_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256?.trim() ?? null,
    recordedBy: row.recorded_by,
    recordedAt: new Date(row.recorded_at),
  };
}

/** The service's official records, newest first: the first is the current one. */
export async function officialOf(db: Db, productId: string): Promise<OfficialRow[]> {
  const rows = await db
    .selectFrom('ecoscore_official')
    .select(officialColumns)
    .where('product_id', '=', productId)
    .orderBy('recorded_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toOfficial);
}

export async function officialContent(
  db: Db,
  productId: string,
  id: string,
): Promise<{ record: OfficialRow; content: Buffer } | undefined> {
  const row = await db
    .selectFrom('ecoscore_official')
    .select([...officialColumns, 'content'])
    .where('product_id', '=', productId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row?.content) return undefined;
  return { record: toOfficial(row), content: Buffer.from(row.content) };
}

export async function insertOfficial(
  db: Db,
  row: {
    id: string;
    productId: string;
    score: number;
    measuredOn: string;
    journeyName: string;
    reportUrl: string | null;
    file: { name: string; mediaType: string; sha256: string; content: Buffer } | null;
    by: string | null;
  },
): Promise<void> {
  await db
    .insertInto('ecoscore_official')
    .values({
      id: row.id,
      product_id: row.productId,
      score: row.score,
      measured_on: row.measuredOn,
      journey_name: row.journeyName,
      report_url: row.reportUrl,
      file_name: row.file?.name ?? null,
      media_type: row.file?.mediaType ?? null,
      size_bytes: row.file ? row.file.content.length : null,
      sha256: row.file?.sha256 ?? null,
      content: row.file?.content ?? null,
      recorded_by: row.by,
    })
    .execute();
}
