/**
 * The citizen space of the sandbox's demo: the test person Sophie Dubois has paired two demo services that
 * exchange data and later withdrew part of one consent; as the guardian of her daughter Léa, a minor, she has
 * paired a third for her. Made through the consent module's own use cases (`pair`, `setConsents`) with Sophie
 * as the actor, so the pairings, consents and the activity history (their audit events) are those a visitor
 * would make at the consent page. No data access is made up: the history shows only what was done.
 */

import type { Actor } from '../identity/index.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/index.ts';
import { offerOf, scopesOf } from './model.ts';
import { type ConsentDeps, pair, pairingView, serviceForConsent, setConsents } from './service.ts';

/** A pairing of the demo: whose space, which demo service, the finalités ticked, those withdrawn later. */
interface DemoPairing {
  /** The test identity provider's subject of the citizen whose space it is. */
  citizen: string;
  /** The demo service, by its commercial name. */
  service: string;
  /** The service's own user id, as the service would give it at pairing. */
  serviceUserId: string;
  /** Finalités ticked at pairing (all the service asks when empty). */
  finalites?: string[];
  /** Finalités kept when the citizen changes their consents later (part withdrawn). */
  keepLater?: string[];
}

/** The test person who acts (the holder of the space and the guardian of the minor). */
const SOPHIE = 'test-sophie-dubois';

export const DEMO_PAIRINGS: DemoPairing[] = [
  {
    citizen: SOPHIE,
    service: 'Bouge Ensemble',
    serviceUserId: 'BE-204117',
    // Steps and weight for prevention and for her care; she later keeps prevention only.
    keepLater: ['prevention'],
  },
  { citizen: SOPHIE, service: 'Doc Santé Ouest', serviceUserId: 'dso-7f3a92' },
  // Her blood pressure and heart rate from a connected cuff, her glucose from her diabetes diary.
  { citizen: SOPHIE, service: 'Tensio Suivi', serviceUserId: 'TS-880213' },
  { citizen: SOPHIE, service: 'Glyco Carnet', serviceUserId: 'gc-31c7e0' },
  {
    citizen: 'test-lea-dubois',
    service: 'Croissance Junior',
    serviceUserId: 'CJ-55810',
    finalites: ['prevention'],
  },
];

async function citizenOf(db: Db, subject: string) {
  return db
    .selectFrom('citizens')
    .select(['id', 'given_name', 'family_name'])
    .where('subject', '=', subject)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** The OID of a demo service online, by its commercial name. */
async function onlineServiceOid(db: Db, commercialName: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('dossiers')
    .innerJoin('products', 'products.id', 'dossiers.product_id')
    .select('dossiers.oid')
    .where('products.commercial_name', '=', commercialName)
    .where('dossiers.kind', '=', 'initial')
    .where('dossiers.state', '=', 'published')
    .where('dossiers.catalogue_status', '=', 'EN_LIGNE')
    .executeTakeFirst();
  return row?.oid ?? undefined;
}

/**
 * Sophie's space and Léa's, in a sandbox whose demo services are online (after the demo files). Idempotent:
 * a pairing that exists (active or not) is left as it is, whatever the visitor did with it since. Returns the
 * number of pairings made.
 */
export async function seedDemoCitizenSpace(
  deps: { db: Db; config: Pick<Config, 'mode'> },
  /** Checked before each pairing: a stopping worker does not wait; the rest is made at the next run. */
  signal?: AbortSignal,
): Promise<number> {
  if (deps.config.mode !== 'sandbox') return 0;
  const sophie = await citizenOf(deps.db, SOPHIE);
  if (!sophie) return 0;
  const actor: Actor = {
    kind: 'citizen',
    citizenId: sophie.id,
    displayName: `${sophie.given_name} ${sophie.family_name}`,
  };
  const consentDeps: ConsentDeps = { db: deps.db };
  let made = 0;
  for (const demo of DEMO_PAIRINGS) {
    signal?.throwIfAborted();
    const holder = demo.citizen === SOPHIE ? sophie : await citizenOf(deps.db, demo.citizen);
    const oid = await onlineServiceOid(deps.db, demo.service);
    if (!holder || !oid) continue;
    const already = await deps.db
      .selectFrom('pairings')
      .select('id')
      .where('citizen_id', '=', holder.id)
      .where('service_oid', '=', oid)
      .executeTakeFirst();
    if (already) continue;
    const service = await serviceForConsent(deps.db, oid);
    if (!service?.exchangesData) continue;
    // What the service's authorization request asks: every data scope its convention allows.
    const allowed = offerOf(service.convention);
    const finalites = demo.finalites ?? allowed.finalites.map((f) => f.code);
    const scopes = scopesOf(
      allowed,
      allowed.finalites.map((f) => f.code),
    );
    const { pairingId } = await pair(consentDeps, actor, {
      serviceOid: oid,
      forCitizenId: holder.id,
      serviceUserId: demo.serviceUserId,
      finalites,
      scopes,
    });
    if (demo.keepLater) {
      const view = await pairingView(deps.db, actor, pairingId);
      await setConsents(consentDeps, actor, pairingId, view.rowVersion, demo.keepLater);
    }
    made++;
  }
  return made;
}
