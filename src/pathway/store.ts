/** SQL of the pathway module: the outcomes saved onto services (`pathway_outcomes`). */
import type { Db } from '../platform/db/index.ts';
import type { PathwayAnswers, PathwayOutcome } from './model.ts';

export interface SavedOutcome {
  id: string;
  productId: string;
  rulesVersion: number;
  answers: PathwayAnswers;
  outcome: PathwayOutcome;
  savedBy: string | null;
  savedAt: Date;
}

export async function insertOutcome(
  db: Db,
  row: {
    id: string;
    productId: string;
    answers: PathwayAnswers;
    outcome: PathwayOutcome;
    savedBy: string | null;
  },
): Promise<void> {
  await db
    .insertInto('pathway_outcomes')
    .values({
      id: row.id,
      product_id: row.productId,
      rules_version: row.outcome.rulesVersion,
      answers: JSON.stringify(row.answers),
      outcome: JSON.stringify(row.outcome),
      verdict: row.outcome.verdict,
      typology: row.outcome.typology?.id ?? null,
      saved_by: row.savedBy,
    })
    .execute();
}

/** The newest outcome saved onto a service, if any. */
export async function findLatestOutcome(db: Db, productId: string): Promise<SavedOutcome | undefined> {
  const row = await db
    .selectFrom('pathway_outcomes')
    .selectAll()
    .where('product_id', '=', productId)
    .orderBy('saved_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    productId: row.product_id,
    rulesVersion: row.rules_version,
    answers: row.answers as PathwayAnswers,
    outcome: row.outcome as unknown as PathwayOutcome,
    savedBy: row.saved_by,
    savedAt: new Date(row.saved_at),
  };
}
