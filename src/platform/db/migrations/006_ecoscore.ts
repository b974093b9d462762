import { type Kysely, sql } from 'kysely';

/**
 * Écoscore of a service: its scripted journeys (parcours, YAML text), the measurement runs of a journey
 * (queued, running, done, failed; progress while running; the result with the method version and the
 * service's version at the time), and the official écoscore records the publisher files as evidence for
 * ETH 32 (score /100, date, journey name, the report as a file kept here or a link). At most one run of a
 * journey is queued or running at a time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ecoscore_journeys (
      id uuid primary key,
      product_id uuid not null references products (id) on delete cascade,
      name text not null,
      file_name text not null,
      source text not null,
      device text not null check (device in ('smartphone', 'tablet', 'desktop')),
      role text not null default 'service' check (role in ('service', 'patient', 'professionnel')),
      row_version integer not null default 1 check (row_version >= 1),
      created_by uuid references accounts (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_by uuid references accounts (id) on delete set null,
      updated_at timestamptz not null default now()
    );
    create unique index ecoscore_journeys_name on ecoscore_journeys (product_id, lower(name));

    create table ecoscore_runs (
      id uuid primary key,
      journey_id uuid not null references ecoscore_journeys (id) on delete cascade,
      product_id uuid not null references products (id) on delete cascade,
      journey_version integer not null,
      product_version text not null,
      runs integer not null check (runs between 1 and 10),
      status text not null check (status in ('queued', 'running', 'done', 'failed')),
      progress jsonb not null default '{}',
      result jsonb,
      failures jsonb not null default '[]',
      error text,
      score integer check (score between 0 and 100),
      method_version text,
      requested_by uuid references accounts (id) on delete set null,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      heartbeat_at timestamptz,
      finished_at timestamptz,
      check (status <> 'done' or (result is not null and score is not null))
    );
    create unique index ecoscore_runs_one_active on ecoscore_runs (journey_id)
      where status in ('queued', 'running');
    create index ecoscore_runs_product on ecoscore_runs (product_id, created_at desc);

    create table ecoscore_official (
      id uuid primary key,
      product_id uuid not null references products (id) on delete cascade,
      score integer not null check (score between 0 and 100),
      measured_on date not null,
      journey_name text not null,
      report_url text,
      file_name text,
      media_type text,
      size_bytes integer check (size_bytes > 0),
      sha256 char(64),
      content bytea,
      recorded_by uuid references accounts (id) on delete set null,
      recorded_at timestamptz not null default now(),
      check (report_url is not null or content is not null),
      check (content is null or (size_bytes = octet_length(content) and sha256 is not null
        and media_type is not null and file_name is not null))
    );
    create index ecoscore_official_product on ecoscore_official (product_id, recorded_at desc);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
