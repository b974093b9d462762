import { type Kysely, sql } from 'kysely';

/**
 * Health measures (Mesures de santé) written by referenced services through the FHIR API.
 *
 * - `fhir_devices`: the personal health devices of a citizen. A push names a device by
 *   `identifier=urn:oid:<OID>|<ID>` (conditional create); the unique key lets two pushes racing with the same
 *   device make one row (INSERT … ON CONFLICT DO NOTHING, then read).
 * - `fhir_observations`: one row per measure with the columns searches need (citizen, search code, data
 *   category, effective date) beside the resource as stored.
 * - `fhir_resource_versions`: every version of every stored FHIR resource (measures and documents), for
 *   `_history` reads.
 * All three go with the citizen (on delete cascade): closing a space erases its health data.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table fhir_devices (
      id uuid primary key,
      citizen_id uuid not null references citizens (id) on delete cascade,
      service_oid text not null,
      identifier_system text not null,
      identifier_value text not null,
      resource jsonb not null,
      version_id integer not null default 1,
      last_updated timestamptz not null,
      unique (citizen_id, identifier_system, identifier_value)
    );

    create table fhir_observations (
      id uuid primary key,
      citizen_id uuid not null references citizens (id) on delete cascade,
      service_oid text not null,
      category text not null,
      code text not null,
      effective_at timestamptz not null,
      device_id uuid references fhir_devices (id) on delete set null,
      version_id integer not null default 1,
      last_updated timestamptz not null,
      resource jsonb not null
    );
    create index fhir_observations_code on fhir_observations (citizen_id, code, effective_at desc, id desc);
    create index fhir_observations_category
      on fhir_observations (citizen_id, category, effective_at desc, id desc);
    create index fhir_observations_device on fhir_observations (device_id) where device_id is not null;

    create table fhir_resource_versions (
      resource_type text not null,
      id uuid not null,
      version_id integer not null,
      citizen_id uuid not null references citizens (id) on delete cascade,
      last_updated timestamptz not null,
      resource jsonb not null,
      primary key (resource_type, id, version_id)
    );
    create index fhir_resource_versions_citizen on fhir_resource_versions (citizen_id);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
