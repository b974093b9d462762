import { type Kysely, sql } from 'kysely';

/**
 * Health documents shared through the FHIR API (PDSm, IHE MHD ITI-65/67/68): the documents' metadata
 * (DocumentReference, « fiche »), their bytes (Binary), and the submission sets and folders (List) that
 * brought and file them. Each resource keeps its FHIR JSON with the columns ITI-67 searches on; earlier
 * versions go to `fhir_resource_versions` (012). Every row belongs to one citizen and goes with them.
 *
 * Date columns hold the start of the value at its precision (`2025-04-29` is its midnight, Paris time when
 * the value gives no offset).
 * Token columns hold `system|code` of the first coding that has both.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table fhir_binaries (
      id uuid primary key,
      citizen_id uuid not null references citizens (id) on delete cascade,
      service_oid text not null,
      content_type text not null,
      data bytea not null,
      size integer not null,
      sha1 text not null,
      sha256 text not null,
      created_at timestamptz not null default now()
    );
    create index fhir_binaries_citizen on fhir_binaries (citizen_id);

    create table fhir_document_references (
      id uuid primary key,
      citizen_id uuid not null references citizens (id) on delete cascade,
      service_oid text not null,
      status text not null check (status in ('current', 'superseded', 'entered-in-error')),
      type_code text,
      category_code text,
      format_code text,
      security_labels text[] not null default '{}',
      date timestamptz,
      period_start timestamptz,
      period_end timestamptz,
      creation timestamptz,
      is_archived boolean not null default false,
      master_identifier text,
      identifiers text[] not null default '{}',
      binary_id uuid references fhir_binaries (id) on delete set null,
      version_id integer not null,
      last_updated timestamptz not null,
      resource jsonb not null
    );
    -- An XDS uniqueId names one document: the same one sent twice for a citizen is refused.
    create unique index fhir_document_references_master on fhir_document_references (citizen_id, master_identifier)
      where master_identifier is not null;
    create index fhir_document_references_search on fhir_document_references (citizen_id, status, date desc);
    create index fhir_document_references_type on fhir_document_references (citizen_id, type_code);
    create index fhir_document_references_binary on fhir_document_references (binary_id);

    create table fhir_lists (
      id uuid primary key,
      citizen_id uuid not null references citizens (id) on delete cascade,
      service_oid text not null,
      kind text not null check (kind in ('submissionset', 'folder')),
      status text not null,
      date timestamptz,
      version_id integer not null,
      last_updated timestamptz not null,
      resource jsonb not null
    );
    create index fhir_lists_citizen on fhir_lists (citizen_id, kind, date desc);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
