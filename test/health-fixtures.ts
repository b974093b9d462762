/**
 * Fixtures of the citizen's health pages (« Mes mesures », « Mes documents »): a published service that writes
 * blood pressure, weight and documents, a family (a guardian, a minor in her care) and a stranger, each
 * paired with it, and the data the service wrote for them through the FHIR API's own use cases (the demo's
 * pushes and provides, which run `pushMeasures` and `provideDocuments`).
 */
import type { AppContext } from '../src/app.ts';
import { type PairingView, pair, pairingView } from '../src/consent/index.ts';
import { provideDemoDocuments } from '../src/documents/demo.ts';
import type { Actor } from '../src/identity/model.ts';
import { pushDemoMeasures } from '../src/measures/demo.ts';
import { createCitizen } from './helpers.ts';
import { publishMeasuresService } from './measures-fixtures.ts';

type HealthApp = Pick<AppContext, 'db' | 'config' | 'referentials' | 'keys' | 'notifier'>;

export const citizenActor = (citizenId: string): Actor => ({
  kind: 'citizen',
  citizenId,
  displayName: 'Usager',
});

/** A published service with data exchange that reads and writes blood pressure, weight and documents. */
export async function publishHealthService(
  app: HealthApp,
  name: string,
): Promise<{ oid: string; name: string }> {
  const service = await publishMeasuresService(app, {
    name,
    redirectUri: 'https://sante-suivi.exemple.test/retour',
    categories: [
      { code: 'pression-arterielle', read: true, write: true },
      { code: 'poids', read: true, write: true },
      { code: 'documents', read: true, write: true },
    ],
  });
  return { oid: service.oid, name };
}

/** Pairs `forCitizenId` with the service, as `byCitizenId` (themself or their guardian), for prevention. */
export async function pairWith(
  app: HealthApp,
  service: { oid: string },
  byCitizenId: string,
  forCitizenId: string,
): Promise<PairingView> {
  const actor = citizenActor(byCitizenId);
  const { pairingId } = await pair({ db: app.db }, actor, {
    serviceOid: service.oid,
    forCitizenId,
    finalites: ['prevention'],
    scopes: [
      'pression-arterielle.read',
      'pression-arterielle.write',
      'poids.read',
      'poids.write',
      'documents.read',
      'documents.write',
    ],
  });
  return pairingView(app.db, actor, pairingId);
}

export interface HealthFamily {
  guardian: string;
  minor: string;
  stranger: string;
  pairings: { guardian: PairingView; minor: PairingView; stranger: PairingView };
}

/**
 * A guardian (blood pressure over three months, weight with a scale, three documents), the nine-year-old in
 * her care (weight, three documents) and a stranger (three documents), all written by the service.
 */
export async function healthFamily(
  app: HealthApp,
  service: { oid: string },
  names: { guardian: string; minor: string; stranger: string },
): Promise<HealthFamily> {
  const guardian = await createCitizen(app.db, names.guardian, 'Famille');
  const minor = await createCitizen(app.db, names.minor, 'Famille');
  const stranger = await createCitizen(app.db, names.stranger, 'Voisin');
  await app.db
    .updateTable('citizens')
    .set({ birthdate: `${new Date().getUTCFullYear() - 9}-06-01` })
    .where('id', '=', minor)
    .execute();
  await app.db.insertInto('guardianships').values({ guardian_id: guardian, minor_id: minor }).execute();
  const pairings = {
    guardian: await pairWith(app, service, guardian, guardian),
    minor: await pairWith(app, service, guardian, minor),
    stranger: await pairWith(app, service, stranger, stranger),
  };
  await pushDemoMeasures(app, pairings.guardian, 'pression-arterielle', { child: false, seed: guardian });
  await pushDemoMeasures(app, pairings.guardian, 'poids', { child: false, seed: guardian });
  await pushDemoMeasures(app, pairings.minor, 'poids', { child: true, seed: minor });
  for (const pairing of Object.values(pairings)) await provideDemoDocuments(app, pairing);
  return { guardian, minor, stranger, pairings };
}
