import { type Kysely, sql } from 'kysely';

/**
 * The in-app inbox: one row per notification and person, an account or a citizen (exactly one). The text is
 * not stored: `kind` names catalog messages (`${kind}.subject`, `${kind}.body`) filled from `params` in the
 * reader's language. Unread rows have no `read_at`; the partial indexes keep unread counts cheap.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table notifications (
      id uuid primary key,
      recipient_account_id uuid references accounts (id) on delete cascade,
      recipient_citizen_id uuid references citizens (id) on delete cascade,
      kind text not null,
      params jsonb not null default '{}',
      link text,
      created_at timestamptz not null default now(),
      read_at timestamptz,
      check ((recipient_account_id is null) <> (recipient_citizen_id is null))
    );
    create index notifications_account on notifications (recipient_account_id, created_at desc)
      where recipient_account_id is not null;
    create index notifications_citizen on notifications (recipient_citizen_id, created_at desc)
      where recipient_citizen_id is not null;
    create index notifications_account_unread on notifications (recipient_account_id)
      where recipient_account_id is not null and read_at is null;
    create index notifications_citizen_unread on notifications (recipient_citizen_id)
      where recipient_citizen_id is not null and read_at is null;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
