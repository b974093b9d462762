/**
 * Published services for the catalogue's tests, made through the referencing file's own steps (the dossier
 * fixtures' `walkTo`, which files a passing connection-test report for data exchange), then
 * the service's catalogue fields set as a test needs them.
 */
import type { Actor } from '../src/identity/model.ts';
import type { ProductTable } from '../src/platform/db/schema.ts';
import { draftDossier, type FixtureApp, readyPublisher, type Staff, walkTo } from './dossier-fixtures.ts';

export interface PublishedService {
  dossierId: string;
  oid: string;
  productId: string;
  organisationId: string;
  /** The publisher's mandataire. */
  actor: Actor;
}

type ProductChanges = Partial<
  Pick<
    ProductTable,
    | 'description'
    | 'os'
    | 'device'
    | 'url_web'
    | 'url_ios'
    | 'url_android'
    | 'economic_model'
    | 'medical_device'
    | 'medical_device_class'
  > & { thematics: string[]; regions: string[]; audience: string[] }
>;

/** A service published `EN_LIGNE` (the publisher's organisation named « <name> SAS »), its fields changed as asked. */
export async function publishedService(
  app: FixtureApp,
  staff: Staff,
  name: string,
  options: { dataExchange?: boolean; product?: ProductChanges } = {},
): Promise<PublishedService> {
  const publisher = await readyPublisher(app, { name, dataExchange: options.dataExchange });
  const draft = await draftDossier(app, publisher, options.dataExchange ?? false);
  const view = await walkTo(app, staff, publisher, draft, 'published');
  if (view.state !== 'published') throw new Error(`${name}: the file stopped at ${view.state}`);
  const { thematics, regions, audience, ...columns } = options.product ?? {};
  const changes = {
    ...columns,
    ...(thematics ? { thematics: JSON.stringify(thematics) } : {}),
    ...(regions ? { regions: JSON.stringify(regions) } : {}),
    ...(audience ? { audience: JSON.stringify(audience) } : {}),
  };
  if (Object.keys(changes).length > 0)
    await app.db.updateTable('products').set(changes).where('id', '=', publisher.productId).execute();
  return {
    dossierId: view.id,
    oid: view.oid as string,
    productId: publisher.productId,
    organisationId: publisher.organisationId,
    actor: publisher.actor,
  };
}

/** Sets a published file's catalogue status directly (the steps that lead there are the dossier's tests). */
export async function setCatalogueStatus(app: FixtureApp, dossierId: string, status: string): Promise<void> {
  await app.db
    .updateTable('dossiers')
    .set({ catalogue_status: status })
    .where('id', '=', dossierId)
    .execute();
}
