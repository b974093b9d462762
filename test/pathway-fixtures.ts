import { newId } from '../src/platform/crypto.ts';
import type { Db } from '../src/platform/db/index.ts';

/** A service of an organisation, written directly (the product module's own tests cover its creation). */
export async function createTestProduct(db: Db, organisationId: string, name = 'Tensio'): Promise<string> {
  const id = newId();
  await db
    .insertInto('products')
    .values({
      id,
      organisation_id: organisationId,
      commercial_name: name,
      os: 'ios',
      device: 'mobile',
      version: '1.0',
      description: 'Suivi de la tension artérielle',
      economic_model: 'gratuit',
    } as never)
    .execute();
  return id;
}
