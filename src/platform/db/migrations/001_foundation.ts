import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table deployment (
      id integer primary key check (id = 1),
      mode text not null check (mode in ('sandbox', 'production')),
      created_at timestamptz not null default now()
    );

    create table jobs (
      id bigserial primary key,
      kind text not null,
      payload jsonb not null default '{}',
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
      run_at timestamptz not null default now(),
      attempts integer not null default 0,
      max_attempts integer not null default 5,
      lease_until timestamptz,
      locked_by text,
      last_error text,
      dedupe_key text unique,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    );
    create index jobs_ready on jobs (run_at) where status = 'queued';
    create index jobs_leased on jobs (lease_until) where status = 'running';

    create table outbox_mails (
      id uuid primary key,
      to_address text not null,
      subject text not null,
      text_body text not null,
      html_body text,
      status text not null default 'pending' check (status in ('pending', 'sent', 'captured', 'failed')),
      attempts integer not null default 0,
      last_error text,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    );
    create index outbox_mails_created on outbox_mails (created_at desc);

    create table signing_keys (
      kid text primary key,
      alg text not null,
      origin text not null check (origin in ('sandbox', 'configured')),
      private_jwk jsonb not null,
      public_jwk jsonb not null,
      created_at timestamptz not null default now(),
      retired_at timestamptz
    );

    create table audit_chain_heads (
      chain text primary key,
      seq bigint not null,
      hash text not null
    );
    create table audit_events (
      chain text not null,
      seq bigint not null,
      at timestamptz not null,
      actor_type text not null,
      actor_id text,
      action text not null,
      subject_type text,
      subject_id text,
      data jsonb not null default '{}',
      prev_hash text not null,
      hash text not null,
      primary key (chain, seq)
    );
    create index audit_events_subject on audit_events (subject_type, subject_id);
    create index audit_events_actor on audit_events (actor_type, actor_id);
    create index audit_events_at on audit_events (at desc);

    create table organisations (
      id uuid primary key,
      legal_name text not null,
      siren char(9) not null unique,
      address text not null,
      legal_representative text not null,
      status text not null default 'active' check (status in ('active', 'suspended')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table accounts (
      id uuid primary key,
      email text not null,
      display_name text not null,
      password_hash text,
      locale text not null default 'fr' check (locale in ('fr', 'en')),
      email_verified_at timestamptz,
      totp_secret text,
      totp_enabled_at timestamptz,
      totp_last_step bigint,
      failed_sign_ins integer not null default 0,
      locked_until timestamptz,
      disabled_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index accounts_email on accounts (lower(email));

    create table memberships (
      organisation_id uuid not null references organisations (id),
      account_id uuid not null references accounts (id),
      role text not null check (role in ('mandataire', 'representant', 'salarie')),
      created_at timestamptz not null default now(),
      primary key (organisation_id, account_id)
    );
    create index memberships_account on memberships (account_id);

    create table staff_roles (
      account_id uuid not null references accounts (id),
      role text not null check (role in ('instructeur', 'commission', 'decideur', 'admin')),
      created_at timestamptz not null default now(),
      primary key (account_id, role)
    );

    create table citizens (
      id uuid primary key,
      issuer text not null,
      subject text not null,
      given_name text not null,
      family_name text not null,
      birthdate date,
      gender text,
      ins_value text,
      ins_system text,
      created_at timestamptz not null default now(),
      last_sign_in_at timestamptz,
      unique (issuer, subject)
    );

    create table guardianships (
      guardian_id uuid not null references citizens (id),
      minor_id uuid not null references citizens (id),
      created_at timestamptz not null default now(),
      primary key (guardian_id, minor_id)
    );

    create table sessions (
      id text primary key,
      account_id uuid references accounts (id),
      citizen_id uuid references citizens (id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null,
      second_factor_at timestamptz,
      id_token_hint text,
      user_agent text,
      check ((account_id is null) <> (citizen_id is null))
    );
    create index sessions_account on sessions (account_id);
    create index sessions_expires on sessions (expires_at);

    create table email_tokens (
      id text primary key,
      purpose text not null check (purpose in ('verify_email', 'reset_password', 'invitation')),
      account_id uuid references accounts (id),
      email text not null,
      organisation_id uuid references organisations (id),
      role text,
      created_by uuid references accounts (id),
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    );

    create table api_tokens (
      id uuid primary key,
      account_id uuid not null references accounts (id),
      organisation_id uuid not null references organisations (id),
      name text not null,
      token_hash text not null unique,
      prefix text not null,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      last_used_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index api_tokens_account on api_tokens (account_id);

    create table oidc_payloads (
      provider text not null,
      model text not null,
      id text not null,
      payload jsonb not null,
      grant_id text,
      user_code text,
      uid text,
      expires_at timestamptz,
      consumed_at timestamptz,
      primary key (provider, model, id)
    );
    create index oidc_payloads_grant on oidc_payloads (provider, grant_id);
    create index oidc_payloads_uid on oidc_payloads (provider, uid);
    create index oidc_payloads_user_code on oidc_payloads (provider, user_code);
    create index oidc_payloads_expires on oidc_payloads (expires_at);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
