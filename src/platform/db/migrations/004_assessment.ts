import { type Kysely, sql } from 'kysely';

/**
 * A service's self-assessment (auto-évaluation) against one referential version: one per service and version.
 * Each criterion's answer is its own row with its own `row_version`, so two colleagues answering different
 * criteria never collide, and a save based on a stale version is refused instead of overwriting. Evidence
 * (preuves) are URLs, texts or files; files are kept in the database with their detected media type, size
 * and SHA-256 (a file named in an imported answers file, not uploaded yet, has no content).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table assessments (
      id uuid primary key,
      product_id uuid not null references products (id) on delete cascade,
      referential_version text not null,
      orientation jsonb not null default '{}',
      row_version integer not null default 1 check (row_version >= 1),
      created_by uuid references accounts (id),
      created_at timestamptz not null default now(),
      updated_by uuid references accounts (id),
      updated_at timestamptz not null default now(),
      unique (product_id, referential_version)
    );

    create table assessment_answers (
      assessment_id uuid not null references assessments (id) on delete cascade,
      criterion_id text not null,
      status text check (status in ('conforme', 'non-conforme', 'non-applicable')),
      justification text not null default '',
      target_date date,
      row_version integer not null default 1 check (row_version >= 1),
      updated_by uuid references accounts (id),
      updated_at timestamptz not null default now(),
      primary key (assessment_id, criterion_id)
    );

    create table assessment_evidence (
      id uuid primary key,
      assessment_id uuid not null,
      criterion_id text not null,
      kind text not null check (kind in ('file', 'url', 'text')),
      url text,
      text_value text,
      file_name text,
      media_type text,
      size_bytes integer check (size_bytes >= 0),
      sha256 char(64),
      content bytea,
      created_by uuid references accounts (id),
      created_at timestamptz not null default now(),
      foreign key (assessment_id, criterion_id)
        references assessment_answers (assessment_id, criterion_id) on delete cascade,
      check (kind <> 'url' or url is not null),
      check (kind <> 'text' or text_value is not null),
      check (kind <> 'file' or file_name is not null),
      check (content is null or (size_bytes = octet_length(content) and sha256 is not null and media_type is not null))
    );
    create index assessment_evidence_answer on assessment_evidence (assessment_id, criterion_id, created_at);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
