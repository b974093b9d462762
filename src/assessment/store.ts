/**
 * The assessment tables through Kysely, nothing else. Every write that changes an answer or the orientation
 * is conditional on the row version the caller saw: it returns undefined when that version is stale, and the
 * service turns that into a conflict.
 */
import { sql } from 'kysely';
import type { Db } from '../platform/db/index.ts';
import type { AnswerStatus } from './model.ts';

export interface AssessmentRow {
  id: string;
  productId: string;
  referentialVersion: string;
  orientation: Record<string, boolean | string | string[]>;
  rowVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface AnswerRow {
  criterionId: string;
  status: AnswerStatus | null;
  justification: string;
  targetDate: string | null;
  rowVersion: number;
  updatedBy: string | null;
  updatedByName: string | null;
  updatedAt: Date;
}

export interface EvidenceRow {
  id: string;
  criterionId: string;
  kind: 'file' | 'url' | 'text';
  url: string | null;
  text: string | null;
  fileName: string | null;
  mediaType: string | null;
  size: number | null;
  sha256: string | null;
  /** Whether the file's bytes are kept (a file named in an imported answers file may not be yet). */
  stored: boolean;
  createdAt: Date;
}

const assessmentColumns = [
  'id',
  'product_id',
  'referential_version',
  'orientation',
  'row_version',
  'created_at',
  'updated_at',
] as const;

function toAssessment(row: {
  id: string;
  product_id: string;
  referential_version: string;
  orientation: unknown;
  row_version: number;
  created_at: Date;
  updated_at: Date;
}): AssessmentRow {
  return {
    id: row.id,
    productId: row.product_id,
    referentialVersion: row.referential_version,
    orientation: (typeof row.orientation === 'string'
      ? JSON.parse(row.orientation)
      : row.orientation) as AssessmentRow['orientation'],
    rowVersion: Number(row.row_version),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export async function findAssessment(db: Db, id: string): Promise<AssessmentRow | undefined> {
  const row = await db
    .selectFrom('assessments')
    .select(assessmentColumns)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toAssessment(row) : undefined;
}

export async function assessmentsOfProduct(db: Db, productId: string): Promise<AssessmentRow[]> {
  const rows = await db
    .selectFrom('assessments')
    .select(assessmentColumns)
    .where('product_id', '=', productId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toAssessment);
}

/** Inserts an assessment; undefined when the service already has one on that version. */
export async function insertAssessment(
  db: Db,
  row: { id: string; productId: string; referentialVersion: string; orientation: object; by: string },
): Promise<AssessmentRow | undefined> {
  const inserted = await db
    .insertInto('assessments')
    .values({
      id: row.id,
      product_id: row.productId,
      referential_version: row.referentialVersion,
      orientation: JSON.stringify(row.orientation),
      row_version: 1,
      created_by: row.by,
      updated_by: row.by,
      updated_at: new Date(),
    })
    .onConflict((oc) => oc.columns(['product_id', 'referential_version']).doNothing())
    .returning(assessmentColumns)
    .executeTakeFirst();
  return inserted ? toAssessment(inserted) : undefined;
}

/** Replaces the orientation if the row is still at `baseVersion`; the new row version, or undefined. */
export async function updateOrientation(
  db: Db,
  id: string,
  orientation: object,
  baseVersion: number,
  by: string,
): Promise<number | undefined> {
  const row = await db
    .updateTable('assessments')
    .set({
      orientation: JSON.stringify(orientation),
      row_version: sql<number>`row_version + 1`,
      updated_by: by,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('row_version', '=', baseVersion)
    .returning('row_version')
    .executeTakeFirst();
  return row ? Number(row.row_version) : undefined;
}

/** Locks the assessment row for a change that touches the whole of it (an import). */
export async function lockAssessment(db: Db, id: string): Promise<AssessmentRow | undefined> {
  const row = await db
    .selectFrom('assessments')
    .select(assessmentColumns)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row ? toAssessment(row) : undefined;
}

const answerSelect = (db: Db) =>
  db
    .selectFrom('assessment_answers as a')
    .leftJoin('accounts as who', 'who.id', 'a.updated_by')
    .select([
      'a.criterion_id',
      'a.status',
      'a.justification',
      sql<string | null>`to_char(a.target_date, 'YYYY-MM-DD')`.as('target_date'),
      'a.row_version',
      'a.updated_by',
      'who.display_name as updated_by_name',
      'a.updated_at',
    ]);

function toAnswer(row: {
  criterion_id: string;
  status: AnswerStatus | null;
  justification: string;
  target_date: string | null;
  row_version: number;
  updated_by: string | null;
  updated_by_name: string | null;
  updated_at: Date;
}): AnswerRow {
  return {
    criterionId: row.criterion_id,
    status: row.status,
    justification: row.justification,
    targetDate: row.target_date,
    rowVersion: Number(row.row_version),
    updatedBy: row.updated_by,
    updatedByName: row.updated_by_name,
    updatedAt: new Date(row.updated_at),
  };
}

export async function answersOf(db: Db, assessmentId: string): Promise<AnswerRow[]> {
  const rows = await answerSelect(db).where('a.assessment_id', '=', assessmentId).execute();
  return rows.map(toAnswer);
}

export async function findAnswer(
  db: Db,
  assessmentId: string,
  criterionId: string,
): Promise<AnswerRow | undefined> {
  const row = await answerSelect(db)
    .where('a.assessment_id', '=', assessmentId)
    .where('a.criterion_id', '=', criterionId)
    .executeTakeFirst();
  return row ? toAnswer(row) : undefined;
}

export interface AnswerValues {
  status: AnswerStatus | null;
  justification: string;
  targetDate: string | null;
}

/**
 * Writes one answer if it is still at `baseVersion` (0: the criterion has no answer yet). Returns the new
 * row version, or undefined when someone else changed (or created) it first.
 */
export async function writeAnswer(
  db: Db,
  assessmentId: string,
  criterionId: string,
  values: AnswerValues,
  baseVersion: number,
  by: string,
): Promise<number | undefined> {
  if (baseVersion === 0) {
    const row = await db
      .insertInto('assessment_answers')
      .values({
        assessment_id: assessmentId,
        criterion_id: criterionId,
        status: values.status,
        justification: values.justification,
        target_date: values.targetDate,
        row_version: 1,
        updated_by: by,
        updated_at: new Date(),
      })
      .onConflict((oc) => oc.columns(['assessment_id', 'criterion_id']).doNothing())
      .returning('row_version')
      .executeTakeFirst();
    return row ? Number(row.row_version) : undefined;
  }
  const row = await db
    .updateTable('assessment_answers')
    .set({
      status: values.status,
      justification: values.justification,
      target_date: values.targetDate,
      row_version: sql<number>`row_version + 1`,
      updated_by: by,
      updated_at: new Date(),
    })
    .where('assessment_id', '=', assessmentId)
    .where('criterion_id', '=', criterionId)
    .where('row_version', '=', baseVersion)
    .returning('row_version')
    .executeTakeFirst();
  return row ? Number(row.row_version) : undefined;
}

const evidenceColumns = [
  'id',
  'criterion_id',
  'kind',
  'url',
  'text_value',
  'file_name',
  'media_type',
  'size_bytes',
  'sha256',
  'created_at',
] as const;

function toEvidence(row: {
  id: string;
  criterion_id: string;
  kind: 'file' | 'url' | 'text';
  url: string | null;
  text_value: string | null;
  file_name: string | null;
  media_type: string | null;
  size_bytes: number | null;
  sha256: string | null;
  created_at: Date;
  stored: boolean;
}): EvidenceRow {
  return {
    id: row.id,
    criterionId: row.criterion_id,
    kind: row.kind,
    url: row.url,
    text: row.text_value,
    fileName: row.file_name,
    mediaType: row.media_type,
    size: row.size_bytes === null ? null : Number(row.size_bytes),
    sha256: row.sha256?.trim() ?? null,
    stored: Boolean(row.stored),
    createdAt: new Date(row.created_at),
  };
}

/** The evidence of an assessment (without the files' bytes), oldest first. */
export async function evidenceOf(db: Db, assessmentId: string): Promise<EvidenceRow[]> {
  const rows = await db
    .selectFrom('assessment_evidence')
    .select([...evidenceColumns, sql<boolean>`content is not null`.as('stored')])
    .where('assessment_id', '=', assessmentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toEvidence);
}

export interface NewEvidence {
  kind: 'file' | 'url' | 'text';
  url?: string;
  text?: string;
  fileName?: string;
  mediaType?: string;
  sha256?: string;
  size?: number;
  content?: Buffer;
}

export async function insertEvidence(
  db: Db,
  row: { id: string; assessmentId: string; criterionId: string; by: string } & NewEvidence,
): Promise<void> {
  await db
    .insertInto('assessment_evidence')
    .values({
      id: row.id,
      assessment_id: row.assessmentId,
      criterion_id: row.criterionId,
      kind: row.kind,
      url: row.url ?? null,
      text_value: row.text ?? null,
      file_name: row.fileName ?? null,
      media_type: row.mediaType ?? null,
      size_bytes: row.size ?? null,
      sha256: row.sha256 ?? null,
      content: row.content ?? null,
      created_by: row.by,
    })
    .execute();
}

export async function deleteEvidence(db: Db, assessmentId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom('assessment_evidence')
    .where('assessment_id', '=', assessmentId)
    .where('id', 'in', ids)
    .execute();
}

/** One stored file, bytes included (for downloading it). */
export async function evidenceFile(
  db: Db,
  evidenceId: string,
): Promise<
  { assessmentId: string; fileName: string; mediaType: string; content: Buffer; sha256: string } | undefined
> {
  const row = await db
    .selectFrom('assessment_evidence')
    .select(['assessment_id', 'file_name', 'media_type', 'content', 'sha256'])
    .where('id', '=', evidenceId)
    .where('kind', '=', 'file')
    .where('content', 'is not', null)
    .executeTakeFirst();
  if (!row?.content) return undefined;
  return {
    assessmentId: row.assessment_id,
    fileName: row.file_name ?? 'preuve',
    mediaType: row.media_type ?? 'application/octet-stream',
    content: Buffer.from(row.content),
    sha256: (row.sha256 ?? '').trim(),
  };
}

/** The stored files of an answer with their bytes (copied when an assessment moves to another version). */
export async function evidenceWithContent(
  db: Db,
  assessmentId: string,
  criterionIds: string[],
): Promise<Array<NewEvidence & { criterionId: string }>> {
  if (criterionIds.length === 0) return [];
  const rows = await db
    .selectFrom('assessment_evidence')
    .select([
      'criterion_id',
      'kind',
      'url',
      'text_value',
      'file_name',
      'media_type',
      'size_bytes',
      'sha256',
      'content',
    ])
    .where('assessment_id', '=', assessmentId)
    .where('criterion_id', 'in', criterionIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    criterionId: r.criterion_id,
    kind: r.kind,
    url: r.url ?? undefined,
    text: r.text_value ?? undefined,
    fileName: r.file_name ?? undefined,
    mediaType: r.media_type ?? undefined,
    size: r.size_bytes === null ? undefined : Number(r.size_bytes),
    sha256: r.sha256?.trim() ?? undefined,
    content: r.content ? Buffer.from(r.content) : undefined,
  }));
}

/** Bumps an answer's version when its evidence changes alone; undefined when `baseVersion` is stale. */
export async function touchAnswer(
  db: Db,
  assessmentId: string,
  criterionId: string,
  baseVersion: number,
  by: string,
): Promise<number | undefined> {
  const row = await db
    .updateTable('assessment_answers')
    .set({ row_version: sql<number>`row_version + 1`, updated_by: by, updated_at: new Date() })
    .where('assessment_id', '=', assessmentId)
    .where('criterion_id', '=', criterionId)
    .where('row_version', '=', baseVersion)
    .returning('row_version')
    .executeTakeFirst();
  return row ? Number(row.row_version) : undefined;
}

/** An import replaces the whole assessment: its row version moves, so a page opened before it is stale. */
export async function replaceOrientation(
  db: Db,
  id: string,
  orientation: object,
  by: string,
): Promise<number> {
  const row = await db
    .updateTable('assessments')
    .set({
      orientation: JSON.stringify(orientation),
      row_version: sql<number>`row_version + 1`,
      updated_by: by,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returning('row_version')
    .executeTakeFirstOrThrow();
  return Number(row.row_version);
}

/** Writes an answer whatever its version (an import, under the assessment's lock). */
export async function forceAnswer(
  db: Db,
  assessmentId: string,
  criterionId: string,
  values: AnswerValues,
  by: string,
): Promise<void> {
  await db
    .insertInto('assessment_answers')
    .values({
      assessment_id: assessmentId,
      criterion_id: criterionId,
      status: values.status,
      justification: values.justification,
      target_date: values.targetDate,
      row_version: 1,
      updated_by: by,
      updated_at: new Date(),
    })
    .onConflict((oc) =>
      oc.columns(['assessment_id', 'criterion_id']).doUpdateSet({
        status: values.status,
        justification: values.justification,
        target_date: values.targetDate,
        row_version: sql<number>`assessment_answers.row_version + 1`,
        updated_by: by,
        updated_at: new Date(),
      }),
    )
    .execute();
}
