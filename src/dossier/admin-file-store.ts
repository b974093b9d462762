import { type Selectable, sql } from 'kysely';
import type { Db } from '../platform/db/index.ts';
import type { AdminFileTable } from '../platform/db/schema.ts';
import type { AdminFile, AdminFileStatus, Contact, OrganisationIdentity } from './admin-file.ts';

/** The administrative files (`admin_files`): one row per organisation, from its first save. */

const columns = [
  'organisation_id',
  'contacts',
  'identity',
  'agreement_name',
  'agreement_media_type',
  'agreement_size',
  'agreement_sha256',
  'status',
  'review_reason',
  'reviewed_by',
  'reviewed_at',
  'submitted_at',
  'row_version',
  'created_at',
  'updated_at',
] as const;

type Row = Pick<Selectable<AdminFileTable>, (typeof columns)[number]>;

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

function toAdminFile(row: Row): AdminFile {
  return {
    organisationId: row.organisation_id,
    stored: true,
    contacts: row.contacts as Contact[],
    identity: (row.identity as OrganisationIdentity | null) ?? null,
    agreement:
      row.agreement_name !== null && row.agreement_sha256 !== null
        ? {
            name: row.agreement_name,
            mediaType: row.agreement_media_type ?? 'application/pdf',
            size: Number(row.agreement_size ?? 0),
            sha256: row.agreement_sha256,
          }
        : null,
    status: row.status,
    reviewReason: row.review_reason,
    reviewedBy: row.reviewed_by,
    reviewedAt: date(row.reviewed_at),
    submittedAt: date(row.submitted_at),
    rowVersion: row.row_version,
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

/** An organisation's file (without the agreement's bytes), or undefined before its first save. */
export async function findAdminFile(db: Db, organisationId: string): Promise<AdminFile | undefined> {
  const row = await db
    .selectFrom('admin_files')
    .select(columns)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row ? toAdminFile(row) : undefined;
}

/** Takes the file's row lock for the rest of the transaction; the file as it stands, or undefined. */
export async function lockAdminFile(db: Db, organisationId: string): Promise<AdminFile | undefined> {
  const row = await db
    .selectFrom('admin_files')
    .select(columns)
    .where('organisation_id', '=', organisationId)
    .forUpdate()
    .executeTakeFirst();
  return row ? toAdminFile(row) : undefined;
}

/** What a write changes; the columns not named keep their value. */
export interface AdminFileChanges {
  contacts?: Contact[];
  identity?: OrganisationIdentity | null;
  agreement?: { name: string; mediaType: string; size: number; sha256: string; content: Buffer };
  status?: AdminFileStatus;
  reviewReason?: string | null;
  reviewedBy?: string | null;
  reviewedAt?: Date | null;
  submittedAt?: Date | null;
}

function columnsOf(changes: AdminFileChanges) {
  return {
    ...(changes.contacts !== undefined ? { contacts: JSON.stringify(changes.contacts) } : {}),
    ...(changes.identity !== undefined
      ? { identity: changes.identity === null ? null : JSON.stringify(changes.identity) }
      : {}),
    ...(changes.agreement
      ? {
          agreement_name: changes.agreement.name,
          agreement_media_type: changes.agreement.mediaType,
          agreement_size: changes.agreement.size,
          agreement_sha256: changes.agreement.sha256,
          agreement_content: changes.agreement.content,
        }
      : {}),
    ...(changes.status !== undefined ? { status: changes.status } : {}),
    ...(changes.reviewReason !== undefined ? { review_reason: changes.reviewReason } : {}),
    ...(changes.reviewedBy !== undefined ? { reviewed_by: changes.reviewedBy } : {}),
    ...(changes.reviewedAt !== undefined ? { reviewed_at: changes.reviewedAt } : {}),
    ...(changes.submittedAt !== undefined ? { submitted_at: changes.submittedAt } : {}),
  };
}

/**
 * Writes a change if the file is still at `expectedVersion` (0: not stored yet), and bumps its version.
 * False when it was not (someone changed or created it in between): nothing is written.
 */
export async function writeAdminFile(
  db: Db,
  organisationId: string,
  expectedVersion: number,
  changes: AdminFileChanges,
): Promise<boolean> {
  if (expectedVersion === 0) {
    const inserted = await db
      .insertInto('admin_files')
      .values({
        organisation_id: organisationId,
        contacts: '[]',
        status: 'draft',
        row_version: 1,
        updated_at: new Date(),
        ...columnsOf(changes),
      })
      .onConflict((oc) => oc.column('organisation_id').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const result = await db
    .updateTable('admin_files')
    .set({ ...columnsOf(changes), row_version: sql<number>`row_version + 1`, updated_at: new Date() })
    .where('organisation_id', '=', organisationId)
    .where('row_version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The agreement's bytes and what to serve them as. */
export async function agreementContent(
  db: Db,
  organisationId: string,
): Promise<{ name: string; mediaType: string; sha256: string; content: Buffer } | undefined> {
  const row = await db
    .selectFrom('admin_files')
    .select(['agreement_name', 'agreement_media_type', 'agreement_sha256', 'agreement_content'])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  if (!row?.agreement_content || !row.agreement_name) return undefined;
  return {
    name: row.agreement_name,
    mediaType: row.agreement_media_type ?? 'application/pdf',
    sha256: row.agreement_sha256 ?? '',
    content: Buffer.from(row.agreement_content),
  };
}

/** Every stored file for the instruction: submitted ones first, oldest submission first, then the others. */
export async function listAdminFiles(db: Db): Promise<AdminFile[]> {
  const rows = await db
    .selectFrom('admin_files')
    .select(columns)
    .orderBy(sql`case when status = 'submitted' then 0 else 1 end`)
    .orderBy(sql`case when status = 'submitted' then submitted_at end asc nulls last`)
    .orderBy('updated_at', 'desc')
    .orderBy('organisation_id')
    .execute();
  return rows.map(toAdminFile);
}

export async function adminFileStatus(db: Db, organisationId: string): Promise<AdminFileStatus | undefined> {
  const row = await db
    .selectFrom('admin_files')
    .select('status')
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row?.status;
}
