import { type Kysely, sql } from 'kysely';

/**
 * The referencing file (dossier) from the request to the publication and after: the publisher's
 * administrative file, the files and their timeline, the per-criterion verdicts, the requests for
 * information, the documents (with the assessment's evidence frozen at submission), the connection-test
 * reports, the complaints of citizens and the audits, the counters of evaluation numbers and OIDs, and the
 * OAuth2 clients that published services with data exchange become.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table admin_files (
      organisation_id uuid primary key references organisations (id) on delete cascade,
      contacts jsonb not null default '[]',
      identity jsonb,
      agreement_name text,
      agreement_media_type text,
      agreement_size integer,
      agreement_sha256 text,
      agreement_content bytea,
      status text not null default 'draft' check (status in ('draft', 'submitted', 'validated', 'rejected')),
      review_reason text,
      reviewed_by uuid references accounts (id) on delete set null,
      reviewed_at timestamptz,
      submitted_at timestamptz,
      row_version integer not null default 1 check (row_version >= 1),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table dossier_counters (
      name text primary key,
      value bigint not null
    );

    create table dossiers (
      id uuid primary key,
      number text unique,
      kind text not null check (kind in ('initial', 'update')),
      parent_id uuid references dossiers (id) on delete cascade,
      organisation_id uuid not null references organisations (id) on delete cascade,
      product_id uuid not null references products (id) on delete cascade,
      product_version text not null,
      typology text not null check (typology in ('sans-echange', 'avec-echange')),
      referential_version text not null,
      assessment_id uuid references assessments (id) on delete set null,
      state text not null,
      state_since timestamptz not null default now(),
      catalogue_status text check (catalogue_status in ('EN_LIGNE', 'HORS_LIGNE', 'SUSPENDUE', 'DEREFERENCEE', 'PRESERIE')),
      request jsonb not null default '{}',
      snapshot jsonb,
      touched_criteria jsonb,
      opinion jsonb,
      reservations jsonb not null default '[]',
      decision jsonb,
      convention jsonb,
      info_return_state text,
      phase_due_at timestamptz,
      paused_at timestamptz,
      paused_phase_due_at timestamptz,
      overdue_notified_state text,
      assigned_to uuid references accounts (id) on delete set null,
      oid text unique,
      referenced_until timestamptz,
      renewal_requested boolean not null default false,
      reminders_sent jsonb not null default '[]',
      update_due_at timestamptz,
      submitted_at timestamptz,
      published_at timestamptz,
      created_by uuid references accounts (id) on delete set null,
      row_version integer not null default 1 check (row_version >= 1),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((state = 'published') = (catalogue_status is not null))
    );
    create index dossiers_queue on dossiers (state, phase_due_at);
    create index dossiers_organisation on dossiers (organisation_id, created_at desc);
    create index dossiers_product on dossiers (product_id, created_at desc);
    create index dossiers_assigned on dossiers (assigned_to) where assigned_to is not null;
    create index dossiers_referenced_until on dossiers (referenced_until) where state = 'published';
    -- One file in progress per service and kind: a second request waits for the first to end.
    create unique index dossiers_one_open on dossiers (product_id, kind)
      where state not in ('inadmissible', 'refused', 'withdrawn', 'update_accepted', 'update_refused', 'published');

    create table dossier_events (
      id bigserial primary key,
      dossier_id uuid not null references dossiers (id) on delete cascade,
      at timestamptz not null default now(),
      actor_account_id uuid references accounts (id) on delete set null,
      actor_role text not null,
      type text not null,
      from_state text,
      to_state text,
      catalogue_from text,
      catalogue_to text,
      data jsonb not null default '{}'
    );
    create index dossier_events_dossier on dossier_events (dossier_id, id);
    create index dossier_events_transitions on dossier_events (at) where to_state is not null;

    create table dossier_verdicts (
      dossier_id uuid not null references dossiers (id) on delete cascade,
      criterion_id text not null,
      verdict text not null check (verdict in ('conforme', 'non_conforme', 'a_completer')),
      comment text not null default '',
      row_version integer not null default 1 check (row_version >= 1),
      decided_by uuid references accounts (id) on delete set null,
      decided_at timestamptz not null default now(),
      primary key (dossier_id, criterion_id)
    );

    create table dossier_info_requests (
      id uuid primary key,
      dossier_id uuid not null references dossiers (id) on delete cascade,
      message text not null,
      criteria jsonb not null default '[]',
      due_at timestamptz not null,
      asked_by uuid references accounts (id) on delete set null,
      asked_at timestamptz not null default now(),
      answer text,
      answered_by uuid references accounts (id) on delete set null,
      answered_at timestamptz
    );
    create index dossier_info_requests_dossier on dossier_info_requests (dossier_id, asked_at);

    create table dossier_documents (
      id uuid primary key,
      dossier_id uuid not null references dossiers (id) on delete cascade,
      kind text not null,
      criterion_id text,
      info_request_id uuid references dossier_info_requests (id) on delete set null,
      name text not null,
      media_type text not null,
      size integer not null,
      sha256 text not null,
      content bytea not null,
      uploaded_by uuid references accounts (id) on delete set null,
      uploaded_at timestamptz not null default now()
    );
    create index dossier_documents_dossier on dossier_documents (dossier_id, kind);

    create table connection_test_reports (
      id uuid primary key,
      dossier_id uuid not null references dossiers (id) on delete cascade,
      origin text not null check (origin in ('local', 'sandbox')),
      issuer text not null,
      kid text not null,
      passed boolean not null,
      plans jsonb not null,
      subject jsonb not null,
      issued_at timestamptz not null,
      jws text not null,
      recorded_by uuid references accounts (id) on delete set null,
      recorded_at timestamptz not null default now()
    );
    create index connection_test_reports_dossier on connection_test_reports (dossier_id, recorded_at desc);

    create table complaints (
      id uuid primary key,
      dossier_id uuid not null references dossiers (id) on delete cascade,
      citizen_id uuid references citizens (id) on delete set null,
      category text not null,
      message text not null,
      status text not null default 'new' check (status in ('new', 'in_review', 'answered', 'closed')),
      answer text,
      handled_by uuid references accounts (id) on delete set null,
      answered_at timestamptz,
      row_version integer not null default 1 check (row_version >= 1),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index complaints_status on complaints (status, created_at);
    create index complaints_dossier on complaints (dossier_id, created_at desc);

    create table service_audits (
      id uuid primary key,
      dossier_id uuid not null references dossiers (id) on delete cascade,
      complaint_id uuid references complaints (id) on delete set null,
      scope text not null,
      status text not null default 'open' check (status in ('open', 'closed')),
      findings jsonb not null default '[]',
      due_at timestamptz not null,
      conclusion text,
      opened_by uuid references accounts (id) on delete set null,
      opened_at timestamptz not null default now(),
      closed_at timestamptz,
      row_version integer not null default 1 check (row_version >= 1)
    );
    create index service_audits_dossier on service_audits (dossier_id, opened_at desc);

    -- OAuth2 clients of referenced services with data exchange, created at publication (oauth module).
    create table oauth_clients (
      client_id text primary key,
      service_oid text not null unique,
      product_id uuid references products (id) on delete set null,
      dossier_id uuid references dossiers (id) on delete set null,
      redirect_uris jsonb not null,
      jwks_uri text,
      jwks jsonb,
      token_endpoint_auth_method text not null default 'private_key_jwt'
        check (token_endpoint_auth_method in ('private_key_jwt', 'client_secret_basic', 'client_secret_post')),
      client_secret_hash text,
      status text not null default 'active' check (status in ('active', 'suspended', 'revoked')),
      origin text not null default 'publication' check (origin in ('publication', 'test_session')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (jwks_uri is not null or jwks is not null or client_secret_hash is not null)
    );
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
