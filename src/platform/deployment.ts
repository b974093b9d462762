import type { Mode } from './config.ts';
import type { Db } from './db/index.ts';

export class DeploymentMismatchError extends Error {
  constructor(database: Mode, requested: Mode) {
    super(
      `Cette base a été initialisée en mode ${database} ; elle ne peut pas servir en mode ${requested}. ` +
        'Un déploiement de production et son bac à sable ont chacun leur propre base. ' +
        `/ This database was initialised in ${database} mode and cannot serve in ${requested} mode.`,
    );
    this.name = 'DeploymentMismatchError';
  }
}

/** Records the mode of a new database, and refuses a database that was initialised in the other mode. */
export async function ensureDeploymentMode(db: Db, mode: Mode): Promise<void> {
  await db
    .insertInto('deployment')
    .values({ id: 1, mode })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db.selectFrom('deployment').select('mode').where('id', '=', 1).executeTakeFirstOrThrow();
  if (row.mode !== mode) throw new DeploymentMismatchError(row.mode, mode);
}
