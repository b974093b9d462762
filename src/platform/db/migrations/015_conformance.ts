import { type Kysely, sql } from 'kysely';

/**
 * Connection tests (tests d'accrochage) of the sandbox: a publisher's test session for one of its services
 * (its own test OID under `<root>.99`, its own OAuth client `sandbox-…`), the calls its client made (what
 * the plans decide on: method, path, status, timing and facts; never a token, secret, code or body), and
 * the platform-side actions the publisher triggered.
 *
 * `exchange_services` is what the consent module reads of a service with data exchange: the published
 * referencing files and the test sessions (open ones online, closed ones suspended), so that pairing, the
 * consent pages, the consent decision and the FHIR API work the same for a session's test service. The
 * catalogue reads `dossiers` and never lists a test service. The columns of both branches have the same
 * types, so PostgreSQL flattens the union and a lookup by OID is an index scan on each side.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create sequence conformance_oid_seq;

    create table conformance_sessions (
      id uuid primary key,
      organisation_id uuid not null references organisations (id) on delete cascade,
      product_id uuid not null references products (id) on delete cascade,
      product_name text not null,
      product_version text not null,
      siren text not null,
      oid text not null unique,
      client_id text not null unique,
      categories jsonb not null,
      plans jsonb not null,
      status text not null default 'open' check (status in ('open', 'closed')),
      -- The platform-side action « refuse-next-push »: the next measures push is answered 422.
      refuse_next_push boolean not null default false,
      created_by uuid references accounts (id) on delete set null,
      created_at timestamptz not null default now(),
      closed_at timestamptz,
      row_version integer not null default 1 check (row_version >= 1)
    );
    create index conformance_sessions_organisation on conformance_sessions (organisation_id, created_at desc);

    create table conformance_calls (
      id bigserial primary key,
      session_id uuid not null references conformance_sessions (id) on delete cascade,
      at timestamptz not null,
      kind text not null,
      method text not null,
      path text not null,
      status integer not null,
      ms real not null,
      facts jsonb not null default '{}'
    );
    create index conformance_calls_session on conformance_calls (session_id, id);

    create table conformance_actions (
      id bigserial primary key,
      session_id uuid not null references conformance_sessions (id) on delete cascade,
      at timestamptz not null,
      action text not null check (action in ('withdraw-consent', 'unpair', 'refuse-next-push')),
      detail jsonb not null default '{}',
      actor uuid references accounts (id) on delete set null
    );
    create index conformance_actions_session on conformance_actions (session_id, id);

    create view exchange_services as
      select d.oid, d.id as dossier_id, d.product_id, d.organisation_id, d.typology, d.state,
        d.catalogue_status, d.product_version, d.convention, d.request, d.kind
      from dossiers d
      where d.kind = 'initial' and d.oid is not null
      union all
      select s.oid, cast(null as uuid), s.product_id, s.organisation_id, cast('avec-echange' as text),
        cast('published' as text),
        cast(case when s.status = 'open' then 'EN_LIGNE' else 'SUSPENDUE' end as text),
        s.product_version, s.categories,
        jsonb_build_object('dataExchange', jsonb_build_object('consentText',
          'Données de test du bac à sable : j’accepte que ' || s.product_name ||
          ' lise et ajoute les données de test de cet espace, pour un test d’accrochage.')),
        cast('test' as text)
      from conformance_sessions s;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
