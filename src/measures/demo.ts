/**
 * The measures of the sandbox's demo: in the spaces of the demo citizen Sophie Dubois and of the minor in her
 * care, each paired demo service writes about three months of the measures its consents let it write (blood
 * pressure and heart rate, glucose with its moment, steps, weight, height). Each measure goes through
 * `pushMeasures`, as the service's own push would: the same validation, storage and access event, so the
 * demo's activity history shows the writes the data came from. Idempotent: a service that already wrote a
 * category in a space writes nothing more there.
 */
import { createHash } from 'node:crypto';
import type { AppContext } from '../app.ts';
import {
  type AccessFacts,
  accessFactsHold,
  accessFactsOf,
  managedCitizens,
  type PairingView,
  pairingsOf,
} from '../consent/index.ts';
import { type DataCaller, dataCallerOf, idPeSystemOf } from '../fhir/api/gate.ts';
import type { Actor } from '../identity/model.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/index.ts';
import type { Referentials } from '../referential/index.ts';
import { measuresOf, pushMeasures } from './service.ts';

type Json = Record<string, unknown>;

export interface DemoDeps {
  db: Db;
  config: Config;
  referentials: Referentials;
}

/** The test identity provider's subject of the demo citizen whose space gets the data. */
export const DEMO_CITIZEN = 'test-sophie-dubois';

/** The demo citizen as an actor, or undefined before the test citizens exist. */
export async function demoCitizenActor(db: Db): Promise<Actor | undefined> {
  const row = await db
    .selectFrom('citizens')
    .select(['id', 'given_name', 'family_name'])
    .where('subject', '=', DEMO_CITIZEN)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row
    ? { kind: 'citizen', citizenId: row.id, displayName: `${row.given_name} ${row.family_name}` }
    : undefined;
}

/** The active pairings of the demo citizen and of the minors in her care. */
export async function demoPairings(db: Db, actor: Actor): Promise<PairingView[]> {
  const all: PairingView[] = [];
  for (const person of await managedCitizens(db, actor)) {
    for (const pairing of await pairingsOf(db, actor, person.id))
      if (pairing.status === 'active') all.push(pairing);
  }
  return all;
}

/**
 * A paired service as the FHIR API sees it once its token is verified: the pairing's idPe and OID, and the
 * consent facts read now, so that each write asks the same `decide` a real call asks.
 */
export function pairedServiceCaller(pairing: PairingView, facts: AccessFacts): DataCaller {
  const active = pairing.consents.filter((c) => c.status === 'active');
  return dataCallerOf(
    {
      idPe: pairing.idPe,
      serviceOid: pairing.serviceOid,
      clientId: pairing.serviceOid,
      citizenId: pairing.citizenId,
      pairingId: pairing.id,
      scopes: [...new Set(active.map((c) => `${c.category}.${c.action}`))],
    },
    facts,
    { holds: accessFactsHold(pairing.idPe, pairing.serviceOid, facts.fingerprint), remembered: false },
  );
}

/** A small deterministic random source (mulberry32), so that the demo draws the same curves each time. */
function randomSource(seedText: string): () => number {
  let seed = 0;
  for (const char of seedText) seed = (Math.imul(seed, 31) + char.charCodeAt(0)) | 0;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const PROFILE = 'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition';

const quantity = (value: number, unit: string, code = unit) => ({ value, unit, system: UCUM, code });
const loinc = (code: string, display: string) => ({ coding: [{ system: LOINC, code, display }] });

/** One measure to push: when, what (the Observation's own elements), and the device it came from. */
export interface DemoMeasure {
  effective: string;
  profile: string;
  elements: Json;
  device?: DemoDevice;
}

export interface DemoDevice {
  identifier: string;
  manufacturer: string;
  model: string;
  name: string;
  /** ISO/IEEE 11073 device type and specialization. */
  type: string;
  specialization: string;
}

/** What a day of the demo is: midnight (Paris) `daysAgo` days before today, as an ISO date. */
function dayOf(now: Date, daysAgo: number): string {
  return new Date(now.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

/** A time of day in France's winter or summer offset, close enough for a demo: `+01:00`. */
const at = (day: string, hour: number, minute: number) =>
  `${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+01:00`;

/** Who the measures are of: an adult, or a child (weight and height of a child about nine years old). */
export interface Person {
  child: boolean;
  seed: string;
}

type Generator = (person: Person, now: Date, device: (kind: string) => DemoDevice) => DemoMeasure[];

const DAYS = 90;

/** The demo's measures per data category (the categories the demo services write). */
export const GENERATORS: Record<string, Generator> = {
  'pression-arterielle': ({ child, seed }, now, device) => {
    const random = randomSource(`${seed}:bp`);
    const out: DemoMeasure[] = [];
    for (let d = DAYS; d >= 0; d--) {
      if (random() < 0.15) continue;
      // An adult's home measures of a treated hypertension, coming down slowly over the three months; a
      // child's, normal for their age.
      const trend = child ? 0 : (d / DAYS) * 8;
      const systolic = round((child ? 102 : 124) + trend + (random() - 0.5) * 14);
      const diastolic = round((child ? 62 : 79) + trend / 2 + (random() - 0.5) * 8);
      out.push({
        effective: at(dayOf(now, d), 7, 30 + Math.floor(random() * 25)),
        profile: `${PROFILE}/mesures-fr-observation-bp`,
        elements: {
          code: loinc('85354-9', 'Pression artérielle'),
          component: [
            { code: loinc('8480-6', 'Pression systolique'), valueQuantity: quantity(systolic, 'mm[Hg]') },
            { code: loinc('8462-4', 'Pression diastolique'), valueQuantity: quantity(diastolic, 'mm[Hg]') },
          ],
        },
        device: device('tensiometre'),
      });
    }
    return out;
  },
  'frequence-cardiaque': ({ child, seed }, now) => {
    const random = randomSource(`${seed}:hr`);
    const out: DemoMeasure[] = [];
    for (let d = DAYS; d >= 0; d--) {
      if (random() < 0.15) continue;
      out.push({
        effective: at(dayOf(now, d), 7, 30 + Math.floor(random() * 25)),
        profile: `${PROFILE}/mesures-fr-observation-heartrate`,
        elements: {
          code: loinc('8867-4', 'Fréquence cardiaque'),
          valueQuantity: quantity(round((child ? 84 : 66) + (random() - 0.5) * 14), '/min'),
        },
      });
    }
    return out;
  },
  glycemie: ({ seed }, now) => {
    const random = randomSource(`${seed}:glucose`);
    const out: DemoMeasure[] = [];
    for (let d = DAYS; d >= 0; d--) {
      if (random() < 0.1) continue;
      out.push({
        effective: at(dayOf(now, d), 7, Math.floor(random() * 40)),
        profile: `${PROFILE}/mesures-observation-glucose`,
        elements: {
          code: loinc('2345-7', 'Glucose sanguin'),
          valueQuantity: quantity(round(108 + (random() - 0.5) * 30), 'mg/dL'),
          extension: [
            {
              url: `${PROFILE}/mesures-moment-of-measurement`,
              valueCodeableConcept: {
                coding: [
                  {
                    system: 'https://mos.esante.gouv.fr/NOS/TRE_A04-Loinc/FHIR/TRE-A04-Loinc',
                    code: '53049-3',
                    display: 'Glucose à jeun',
                  },
                ],
              },
            },
          ],
        },
      });
    }
    return out;
  },
  pas: ({ seed }, now) => {
    const random = randomSource(`${seed}:steps`);
    const out: DemoMeasure[] = [];
    for (let d = DAYS; d >= 1; d--) {
      // More walking at the weekend, and a little more as the weeks go by.
      const weekend = [0, 6].includes(new Date(`${dayOf(now, d)}T12:00:00Z`).getUTCDay());
      const steps = Math.round(5200 + (DAYS - d) * 25 + (weekend ? 2500 : 0) + (random() - 0.4) * 3500);
      out.push({
        effective: dayOf(now, d),
        profile: `${PROFILE}/mesures-observation-steps-by-day`,
        elements: {
          code: loinc('41950-7', 'Nombre de pas par jour'),
          valueQuantity: quantity(Math.max(steps, 800), 'steps/day', '1/(24.h)'),
        },
      });
    }
    return out;
  },
  poids: ({ child, seed }, now, device) => {
    const random = randomSource(`${seed}:weight`);
    const out: DemoMeasure[] = [];
    // An adult weighs in every week; a child's weight is noted every month, gaining as they grow.
    const step = child ? 30 : 7;
    for (let d = child ? 180 : DAYS; d >= 0; d -= step) {
      const value = child ? 27 + ((180 - d) / 30) * 0.25 : 66.5 - ((DAYS - d) / 7) * 0.12;
      out.push({
        effective: at(dayOf(now, d), child ? 18 : 7, Math.floor(random() * 30)),
        profile: `${PROFILE}/mesures-fr-observation-body-weight`,
        elements: {
          code: loinc('29463-7', 'Poids corporel'),
          valueQuantity: quantity(round(value + (random() - 0.5) * 0.6, 1), 'kg'),
        },
        ...(child ? {} : { device: device('balance') }),
      });
    }
    return out;
  },
  taille: ({ child, seed }, now) => {
    const random = randomSource(`${seed}:height`);
    if (!child)
      return [
        {
          effective: at(dayOf(now, DAYS), 8, 0),
          profile: `${PROFILE}/mesures-fr-observation-bodyheight`,
          elements: { code: loinc('8302-2', 'Taille'), valueQuantity: quantity(165, 'cm') },
        },
      ];
    const out: DemoMeasure[] = [];
    for (let d = 180; d >= 0; d -= 30) {
      out.push({
        effective: at(dayOf(now, d), 18, Math.floor(random() * 30)),
        profile: `${PROFILE}/mesures-fr-observation-bodyheight`,
        elements: {
          code: loinc('8302-2', 'Taille'),
          valueQuantity: quantity(round(132 + ((180 - d) / 30) * 0.5, 1), 'cm'),
        },
      });
    }
    return out;
  },
};

/** The demo's connected devices, one per kind and person (a tensiometer, a scale). */
function demoDevice(kind: string, person: string): DemoDevice {
  // A system id is an EUI-64 (eight bytes in hexadecimal, dash-separated): one per kind and person.
  const bytes = createHash('sha256').update(`${kind}:${person}`).digest().subarray(0, 8);
  const identifier = [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('-');
  return kind === 'tensiometre'
    ? {
        identifier,
        manufacturer: 'Tensiomètres Durand (démo)',
        model: 'TD-310',
        name: 'Mon tensiomètre',
        type: '65573',
        specialization: '528391',
      }
    : {
        identifier,
        manufacturer: 'Balances Martin (démo)',
        model: 'BM-200',
        name: 'Ma balance',
        type: '65573',
        specialization: '528399',
      };
}

const DEVICE_ID_SYSTEM = 'urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680';

/** The push Bundle of one measure (`MesBundleFluxAlimentation`): its Device first when it has one. */
export function demoPushBundle(
  measure: DemoMeasure,
  subject: { system: string; value: string },
  serviceOid: string,
  ids: { observation: string; device: string },
): Json {
  const entries: Json[] = [];
  const device = measure.device;
  if (device) {
    entries.push({
      fullUrl: `urn:uuid:${ids.device}`,
      resource: {
        resourceType: 'Device',
        id: ids.device,
        meta: { profile: ['http://hl7.org/fhir/uv/phd/StructureDefinition/PhdDevice'] },
        identifier: [
          {
            type: {
              coding: [
                { system: 'http://hl7.org/fhir/uv/phd/CodeSystem/ContinuaDeviceIdentifiers', code: 'SYSID' },
              ],
            },
            system: DEVICE_ID_SYSTEM,
            value: device.identifier,
          },
        ],
        manufacturer: device.manufacturer,
        modelNumber: device.model,
        deviceName: [{ name: device.name, type: 'patient-reported-name' }],
        type: { coding: [{ system: 'urn:iso:std:iso:11073:10101', code: device.type }] },
        specialization: [
          {
            systemType: { coding: [{ system: 'urn:iso:std:iso:11073:10101', code: device.specialization }] },
            version: '2.3',
          },
        ],
      },
      request: {
        method: 'POST',
        url: 'Device',
        ifNoneExist: `identifier=${DEVICE_ID_SYSTEM}|${device.identifier}`,
      },
    });
  }
  entries.push({
    fullUrl: `urn:uuid:${ids.observation}`,
    resource: {
      resourceType: 'Observation',
      id: ids.observation,
      meta: { profile: [measure.profile], source: `urn:oid:${serviceOid}` },
      status: 'final',
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/observation-category',
              code: 'vital-signs',
              display: 'vital-signs',
            },
          ],
        },
      ],
      subject: { identifier: subject },
      effectiveDateTime: measure.effective,
      ...measure.elements,
      ...(device ? { device: { reference: `Device/${ids.device}` } } : {}),
    },
    request: { method: 'POST', url: 'Observation' },
  });
  return {
    resourceType: 'Bundle',
    meta: { profile: [`${PROFILE}/mesures-bundle-flux-alimentation`] },
    type: 'transaction',
    entry: entries,
  };
}

/**
 * Pushes, as the paired service, the demo measures of `category` for the pairing's citizen; nothing when the
 * service already wrote that category there or may not write it. Returns how many were stored.
 */
export async function pushDemoMeasures(
  deps: DemoDeps,
  pairing: PairingView,
  category: string,
  person: Person,
  now = new Date(),
  signal?: AbortSignal,
): Promise<number> {
  const generate = GENERATORS[category];
  if (!generate) return 0;
  const facts = await accessFactsOf(deps.db, pairing.idPe, pairing.serviceOid);
  if (!facts.decide({ category, action: 'write' }).permit) return 0;
  const written = await measuresOf(deps.db, pairing.citizenId, { category, limit: 1000 });
  if (written.some((m) => m.serviceOid === pairing.serviceOid)) return 0;
  const caller = pairedServiceCaller(pairing, facts);
  const subject = { system: idPeSystemOf(deps.config), value: pairing.idPe };
  // pushMeasures reads the database, the configuration and the referentials of the context, nothing else.
  const ctx = deps as unknown as AppContext;
  let stored = 0;
  for (const [i, measure] of generate(person, now, (kind) => demoDevice(kind, pairing.idPe)).entries()) {
    signal?.throwIfAborted();
    const bundle = demoPushBundle(measure, subject, pairing.serviceOid, {
      observation: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      device: '00000000-0000-4000-9000-000000000001',
    });
    await pushMeasures(ctx, caller, bundle, 'fr');
    stored++;
  }
  return stored;
}

/**
 * The demo measures of every active pairing of the demo citizen and of the minors in her care, for each
 * measure category the service may write. Returns how many measures were stored.
 */
export async function seedDemoMeasures(deps: DemoDeps, signal?: AbortSignal): Promise<number> {
  if (deps.config.mode !== 'sandbox') return 0;
  const actor = await demoCitizenActor(deps.db);
  if (actor?.kind !== 'citizen') return 0;
  const categories = deps.referentials
    .newest()
    .dataCategories.filter((c) => c.kind === 'measure')
    .map((c) => c.code);
  let stored = 0;
  for (const pairing of await demoPairings(deps.db, actor)) {
    const person: Person = { child: pairing.citizenId !== actor.citizenId, seed: pairing.idPe };
    for (const category of categories)
      stored += await pushDemoMeasures(deps, pairing, category, person, new Date(), signal);
  }
  return stored;
}
