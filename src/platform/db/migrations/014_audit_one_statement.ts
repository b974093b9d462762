import { type Kysely, sql } from 'kysely';

/**
 * An audit event is appended in one statement (src/audit/store.ts): the chain's head advances with
 * `insert … on conflict do update`, which locks it, computes the new link's hash from the head's in SQL, and
 * keeps the hash it replaced in `prev_hash`, so that the event row can name it. One round trip instead of four,
 * and no transaction of its own: a read of the FHIR API records its access event at the cost of one INSERT.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_chain_heads add column prev_hash text`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
