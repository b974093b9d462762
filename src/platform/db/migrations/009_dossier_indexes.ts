import { type Kysely, sql } from 'kysely';

/**
 * The instruction dashboard's queue: the files in progress, nearest deadline first. Without it, every
 * dashboard request read every file in progress (a sequential scan, then a sort of the whole rows) to show
 * fifty, and counted the workload per instructor from the table's rows. Ordered as the queue is (deadline,
 * then id) and carrying the state and the instructor, it gives the first page directly and lets the counts of
 * files in progress, overdue and per instructor read the index alone; partial, it grows with the files in
 * progress, not with the history. Its states are the dashboard's `OPEN_STATES` (src/dossier/service.ts): the
 * planner uses it only for queries whose states are among them, so a change of that list needs a new index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index dossiers_open_queue on dossiers (phase_due_at, id) include (state, assigned_to)
      where state in ('submitted', 'evaluation', 'info_requested', 'ready_for_commission', 'opinion_given',
                      'accepted', 'convention_signed', 'connection_tests');
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
