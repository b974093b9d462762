import { type Kysely, sql } from 'kysely';

/**
 * Citizens' pairings (appariements) with referenced services and their consents (accords exprès) per
 * finalité, data category and action. One active pairing per citizen and service; its idPe, the citizen's
 * pseudonymous identifier for that service, is unique. Consents are never deleted while the pairing lives:
 * a withdrawal keeps the row with its date, so the history of what was allowed stays readable.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table pairings (
      id uuid primary key,
      citizen_id uuid not null references citizens (id) on delete cascade,
      service_oid text not null,
      product_id uuid references products (id) on delete set null,
      dossier_id uuid references dossiers (id) on delete set null,
      id_pe text not null unique,
      service_user_id text,
      status text not null default 'active' check (status in ('active', 'unpaired')),
      acknowledged_version text not null,
      scopes jsonb not null default '[]',
      paired_by uuid not null,
      paired_at timestamptz not null default now(),
      unpaired_at timestamptz,
      row_version integer not null default 1
    );
    create unique index pairings_one_active on pairings (citizen_id, service_oid) where status = 'active';
    create index pairings_citizen on pairings (citizen_id);
    create index pairings_service on pairings (service_oid);

    create table consents (
      pairing_id uuid not null references pairings (id) on delete cascade,
      finalite text not null,
      category text not null,
      action text not null check (action in ('read', 'write')),
      status text not null check (status in ('active', 'withdrawn')),
      granted_at timestamptz not null,
      withdrawn_at timestamptz,
      granted_by uuid not null,
      information_text_sha256 text not null,
      primary key (pairing_id, finalite, category, action)
    );
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
