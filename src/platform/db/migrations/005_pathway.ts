import { type Kysely, sql } from 'kysely';

/**
 * Outcomes of the guided pathway saved onto a service: the answers, the outcome as shown (verdict, reason,
 * typology, workload, roadmap), who saved it and when. Every save is a new row; the latest is the service's.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table pathway_outcomes (
      id uuid primary key,
      product_id uuid not null references products (id) on delete cascade,
      rules_version integer not null,
      answers jsonb not null,
      outcome jsonb not null,
      verdict text not null check (verdict in ('eligible', 'not-eligible', 'redirected')),
      typology text check (typology in ('sans-echange', 'avec-echange')),
      saved_by uuid references accounts (id) on delete set null,
      saved_at timestamptz not null default now()
    );
    create index pathway_outcomes_product on pathway_outcomes (product_id, saved_at desc);
  `.execute(db);
}
