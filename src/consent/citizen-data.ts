/**
 * A citizen's own data, as a whole: its export (JSON, and a FHIR R4 Bundle) and the closing of the space
 * (erasure). Both are lists other modules extend by adding one entry: a FHIR export section (the measures and
 * documents of the FHIR API add theirs) and an erasure step (so do they).
 */
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { appendAuditEvent } from '../audit/index.ts';
import { documentsForExport, eraseDocuments } from '../documents/index.ts';
import { citizenComplaints } from '../dossier/complaint-service.ts';
import type { Actor } from '../identity/model.ts';
import { eraseMeasures, measuresForExport } from '../measures/index.ts';
import { revokeAccountGrants } from '../oauth/grants.ts';
import type { Db } from '../platform/db/index.ts';
import { forbidden, validationFailed } from '../platform/errors.ts';
import type { Translate } from '../platform/i18n.ts';
import { activityOf, pairingsOf } from './service.ts';

type PairingView = Awaited<ReturnType<typeof pairingsOf>>[number];
type ActivityItem = Awaited<ReturnType<typeof activityOf>>[number];

/** The signed-in citizen (only a citizen has a space to export or close). */
export function citizenIdOf(actor: Actor): string {
  if (actor.kind !== 'citizen') throw forbidden();
  return actor.citizenId;
}

const iso = (d: Date | string | null | undefined): string | null =>
  d === null || d === undefined ? null : new Date(d).toISOString();

// ── the facts the exports are made of ───────────────────────────────────────

interface CitizenRecord {
  id: string;
  issuer: string;
  subject: string;
  givenName: string;
  familyName: string;
  birthdate: string | null;
  gender: string | null;
  insValue: string | null;
  insSystem: string | null;
  createdAt: Date;
  lastSignInAt: Date | null;
}

async function citizenRecord(db: Db, citizenId: string): Promise<CitizenRecord | undefined> {
  const row = await db
    .selectFrom('citizens')
    .select([
      'id',
      'issuer',
      'subject',
      'given_name',
      'family_name',
      sql<string | null>`to_char(birthdate, 'YYYY-MM-DD')`.as('birthdate'),
      'gender',
      'ins_value',
      'ins_system',
      'created_at',
      'last_sign_in_at',
    ])
    .where('id', '=', citizenId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    issuer: row.issuer,
    subject: row.subject,
    givenName: row.given_name,
    familyName: row.family_name,
    birthdate: row.birthdate,
    gender: row.gender,
    insValue: row.ins_value,
    insSystem: row.ins_system,
    createdAt: new Date(row.created_at),
    lastSignInAt: row.last_sign_in_at ? new Date(row.last_sign_in_at) : null,
  };
}

/** Every activity item of a citizen, latest first (read page by page from the audit log). */
async function allActivity(db: Db, actor: Actor, citizenId: string): Promise<ActivityItem[]> {
  const all: ActivityItem[] = [];
  const limit = 500;
  let before: Date | undefined;
  for (;;) {
    const page = await activityOf(db, actor, citizenId, { before, limit });
    all.push(...page);
    if (page.length < limit) return all;
    const last = page[page.length - 1];
    const next = new Date(last.at);
    // Several events at the same instant across a page's end would loop: step past them.
    before = before && next.getTime() >= before.getTime() ? new Date(before.getTime() - 1) : next;
  }
}

/** What both exports read once. */
export interface CitizenFacts {
  citizen: CitizenRecord;
  minors: Array<{ id: string; givenName: string; familyName: string; birthdate: string | null }>;
  pairings: PairingView[];
  activity: ActivityItem[];
}

export async function citizenFacts(db: Db, actor: Actor): Promise<CitizenFacts> {
  const citizenId = citizenIdOf(actor);
  const citizen = await citizenRecord(db, citizenId);
  if (!citizen) throw forbidden();
  const minors = await db
    .selectFrom('guardianships as g')
    .innerJoin('citizens as c', 'c.id', 'g.minor_id')
    .select([
      'c.id',
      'c.given_name',
      'c.family_name',
      sql<string | null>`to_char(c.birthdate, 'YYYY-MM-DD')`.as('birthdate'),
    ])
    .where('g.guardian_id', '=', citizenId)
    .orderBy('c.given_name')
    .execute();
  return {
    citizen,
    minors: minors.map((m) => ({
      id: m.id,
      givenName: m.given_name,
      familyName: m.family_name,
      birthdate: m.birthdate,
    })),
    pairings: await pairingsOf(db, actor, citizenId),
    activity: await allActivity(db, actor, citizenId),
  };
}

// ── the JSON export ─────────────────────────────────────────────────────────

export const EXPORT_FORMAT = 'mesref.citizen-export';
export const EXPORT_FORMAT_VERSION = 1;

/**
 * All of the signed-in citizen's data held by mesref: identity, minors in their care, pairings with every
 * consent and its dates, activity history, notifications (with their text in the reader's language), reports
 * (complaints), and the health data services wrote into their profile: measures and their devices, documents
 * and their files, as the FHIR R4 resources mesref stores (a file's bytes in base64).
 */
export async function exportCitizenData(
  db: Db,
  actor: Actor,
  t: Translate,
  now = new Date(),
): Promise<Record<string, unknown>> {
  const facts = await citizenFacts(db, actor);
  const { citizen } = facts;
  const notifications = await db
    .selectFrom('notifications')
    .select(['id', 'kind', 'params', 'link', 'created_at', 'read_at'])
    .where('recipient_citizen_id', '=', citizen.id)
    .orderBy('created_at', 'desc')
    .execute();
  const complaints = await citizenComplaints({ db }, actor);
  const measures = await measuresForExport(db, citizen.id);
  const documents = await documentsForExport(db, citizen.id);
  const ofType = (resources: Array<Record<string, unknown>>, type: string) =>
    resources.filter((r) => r.resourceType === type);
  return {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    exportedAt: now.toISOString(),
    identity: {
      id: citizen.id,
      identityProvider: citizen.issuer,
      subject: citizen.subject,
      givenName: citizen.givenName,
      familyName: citizen.familyName,
      birthdate: citizen.birthdate,
      gender: citizen.gender,
      ins: citizen.insValue ? { value: citizen.insValue, system: citizen.insSystem } : null,
      spaceCreatedAt: iso(citizen.createdAt),
      lastSignInAt: iso(citizen.lastSignInAt),
    },
    minorsInCare: facts.minors,
    pairings: facts.pairings.map((p) => ({
      id: p.id,
      service: { oid: p.serviceOid, name: p.serviceName, organisation: p.organisationName },
      idPe: p.idPe,
      serviceUserId: p.serviceUserId,
      status: p.status,
      pairedAt: iso(p.pairedAt),
      unpairedAt: iso(p.unpairedAt),
      acknowledgedVersion: p.acknowledgedVersion,
      currentVersion: p.currentVersion,
      needsReapproval: p.needsReapproval,
      consents: p.consents.map((c) => ({
        finalite: c.finalite,
        category: c.category,
        action: c.action,
        status: c.status,
        grantedAt: iso(c.grantedAt),
        withdrawnAt: iso(c.withdrawnAt),
        grantedBy: c.grantedBy,
      })),
    })),
    activity: facts.activity.map((a) => ({ ...a, at: iso(a.at) })),
    notifications: notifications.map((n) => {
      const params = (typeof n.params === 'string' ? JSON.parse(n.params) : n.params) as Record<
        string,
        string | number
      >;
      return {
        id: n.id,
        subject: t(`${n.kind}.subject`, params),
        body: t(`${n.kind}.body`, params),
        link: n.link,
        createdAt: iso(n.created_at),
        readAt: iso(n.read_at),
      };
    }),
    complaints: complaints.map((c) => ({
      id: c.id,
      reference: c.reference,
      service: c.productName,
      category: c.category,
      message: c.message,
      status: c.status,
      answer: c.answer,
      createdAt: iso(c.createdAt),
      answeredAt: iso(c.answeredAt),
    })),
    measures: ofType(measures, 'Observation'),
    devices: ofType(measures, 'Device'),
    documents: ofType(documents, 'DocumentReference'),
    documentFiles: ofType(documents, 'Binary'),
  };
}

// ── the FHIR export ─────────────────────────────────────────────────────────

/** A FHIR resource, as plain JSON. */
export type FhirResource = { resourceType: string; id: string } & Record<string, unknown>;

/** What an export section is given: the facts, and the Patient's reference. */
export interface FhirExportInput {
  db: Db;
  actor: Actor;
  facts: CitizenFacts;
  /** `urn:uuid:<id>` of the Patient entry. */
  patientReference: string;
  /** The identifier system of idPe, as the FHIR API names them (`idPeSystemOf`). */
  idPeSystem: string;
}

/** A part of the citizen's FHIR export: returns its resources. To add one, list it in `fhirExportSections`. */
export type FhirExportSection = (input: FhirExportInput) => Promise<FhirResource[]>;

/** Identifier system of mesref's citizen ids in the export. */
const CITIZEN_ID_SYSTEM = 'urn:mesref:citizen';
const FINALITE_SYSTEM = 'urn:mesref:finalite';
const CATEGORY_SYSTEM = 'urn:mesref:data-category';

function patientOf(facts: CitizenFacts): FhirResource {
  const c = facts.citizen;
  const identifier: Array<Record<string, unknown>> = [{ system: CITIZEN_ID_SYSTEM, value: c.id }];
  if (c.insValue) identifier.push({ system: `urn:oid:${c.insSystem ?? ''}`, value: c.insValue });
  const gender = c.gender === 'female' || c.gender === 'male' || c.gender === 'other' ? c.gender : 'unknown';
  return {
    resourceType: 'Patient',
    id: c.id,
    identifier,
    name: [{ use: 'official', family: c.familyName, given: [c.givenName] }],
    gender,
    ...(c.birthdate ? { birthDate: c.birthdate } : {}),
  };
}

/** The Patient: the citizen's identity as mesref holds it. */
const patientSection: FhirExportSection = async ({ facts }) => [patientOf(facts)];

/**
 * One Consent per grant (pairing × finalité × data category × action): active or inactive (withdrawn, or the
 * pairing unpaired), scope patient-privacy, category LOINC 59284-0 (patient consent), the finalité as the
 * provision's purpose, the data category as its class and the action as its action, the grant's dates as the
 * provision's period, the service as the actor that receives the data.
 */
const consentSection: FhirExportSection = async ({ facts, patientReference, idPeSystem }) =>
  facts.pairings.flatMap((p) =>
    p.consents.map((c, i): FhirResource => {
      const active = c.status === 'active' && p.status === 'active';
      const end = c.withdrawnAt ?? (p.status === 'active' ? null : p.unpairedAt);
      return {
        resourceType: 'Consent',
        id: `${p.id}-${i + 1}`,
        identifier: [{ system: idPeSystem, value: p.idPe }],
        status: active ? 'active' : 'inactive',
        scope: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
        },
        category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }],
        patient: { reference: patientReference },
        dateTime: iso(c.grantedAt),
        performer: [
          c.grantedBy === facts.citizen.id
            ? { reference: patientReference }
            : { identifier: { system: CITIZEN_ID_SYSTEM, value: c.grantedBy } },
        ],
        policyRule: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }],
        },
        provision: {
          type: 'permit',
          period: { start: iso(c.grantedAt), ...(end ? { end: iso(end) } : {}) },
          actor: [
            {
              role: {
                coding: [
                  { system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP' },
                ],
              },
              reference: {
                identifier: { system: 'urn:ietf:rfc:3986', value: `urn:oid:${p.serviceOid}` },
                display: p.serviceName ?? p.serviceOid,
              },
            },
          ],
          action: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/consentaction',
                  code: c.action === 'read' ? 'access' : 'correct',
                },
              ],
              text: c.action,
            },
          ],
          purpose: [{ system: FINALITE_SYSTEM, code: c.finalite }],
          class: [{ system: CATEGORY_SYSTEM, code: c.category }],
        },
      };
    }),
  );

/**
 * The measures and their devices as stored (Observation, Device), and the documents with their files
 * (DocumentReference, Binary): what the services wrote through the FHIR API, each as the API answers it.
 */
const measuresSection: FhirExportSection = async ({ db, facts }) =>
  (await measuresForExport(db, facts.citizen.id)) as FhirResource[];
const documentsSection: FhirExportSection = async ({ db, facts }) =>
  (await documentsForExport(db, facts.citizen.id)) as FhirResource[];

/** The sections of the FHIR export, in order. */
export const fhirExportSections: FhirExportSection[] = [
  patientSection,
  consentSection,
  measuresSection,
  documentsSection,
];

/** The citizen's data as a FHIR R4 Bundle of type `collection`. */
export async function exportCitizenFhir(
  db: Db,
  actor: Actor,
  options: { idPeSystem: string; now?: Date; sections?: readonly FhirExportSection[] },
): Promise<FhirResource> {
  const { idPeSystem, now = new Date(), sections = fhirExportSections } = options;
  const facts = await citizenFacts(db, actor);
  const patientReference = `urn:uuid:${facts.citizen.id}`;
  const resources: FhirResource[] = [];
  for (const section of sections)
    resources.push(...(await section({ db, actor, facts, patientReference, idPeSystem })));
  return {
    resourceType: 'Bundle',
    id: randomUUID(),
    meta: { lastUpdated: now.toISOString() },
    type: 'collection',
    timestamp: now.toISOString(),
    entry: resources.map((resource) => ({
      fullUrl:
        resource.resourceType === 'Patient' ? patientReference : `urn:uuid:${uuidOf(resource.id, resource)}`,
      resource,
    })),
  };
}

/** A stable UUID-shaped full URL for a resource whose id is not a UUID (a Consent is `<pairing>-<n>`). */
function uuidOf(id: string, resource: FhirResource): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return id;
  const hex = createHash('sha256').update(`${resource.resourceType}/${id}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// ── closing the space ───────────────────────────────────────────────────────

/** Who is being erased, as the steps need it. */
export interface ErasureSubject {
  citizenId: string;
  now: Date;
}

/**
 * One step of closing a space: erases (or detaches) one kind of the citizen's data in the closing's
 * transaction and returns how many rows it touched. `label` is the message key of what it erases, shown on the
 * confirmation page. To add one, write it and list it in `erasureSteps`.
 */
export interface ErasureStep {
  name: string;
  label: string;
  run(trx: Db, subject: ErasureSubject): Promise<number>;
}

/** The pairings and their consents; first, every token the services hold for them is revoked. */
const pairingsStep: ErasureStep = {
  name: 'pairings',
  label: 'citizen_data.erase.pairings',
  async run(trx, { citizenId }) {
    const pairings = await trx
      .selectFrom('pairings')
      .select(['id', 'id_pe'])
      .where('citizen_id', '=', citizenId)
      .execute();
    for (const p of pairings) await revokeAccountGrants(trx, p.id_pe);
    if (pairings.length > 0) {
      await trx
        .deleteFrom('consents')
        .where(
          'pairing_id',
          'in',
          pairings.map((p) => p.id),
        )
        .execute();
      await trx.deleteFrom('pairings').where('citizen_id', '=', citizenId).execute();
    }
    return pairings.length;
  },
};

const notificationsStep: ErasureStep = {
  name: 'notifications',
  label: 'citizen_data.erase.notifications',
  async run(trx, { citizenId }) {
    const r = await trx
      .deleteFrom('notifications')
      .where('recipient_citizen_id', '=', citizenId)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};

/** Both ways: the minors in the citizen's care, and the guardians of the citizen. */
const guardianshipsStep: ErasureStep = {
  name: 'guardianships',
  label: 'citizen_data.erase.guardianships',
  async run(trx, { citizenId }) {
    const r = await trx
      .deleteFrom('guardianships')
      .where((eb) => eb.or([eb('guardian_id', '=', citizenId), eb('minor_id', '=', citizenId)]))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};

/** Reports stay for their instruction (a service's non-conformity is public interest), without their author. */
const complaintsStep: ErasureStep = {
  name: 'complaints',
  label: 'citizen_data.erase.complaints',
  async run(trx, { citizenId }) {
    const r = await trx
      .updateTable('complaints')
      .set({ citizen_id: null })
      .where('citizen_id', '=', citizenId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
};

/** The measures, their devices and versions (how many measures). */
const measuresStep: ErasureStep = {
  name: 'measures',
  label: 'measures_page.erase',
  run: (trx, { citizenId }) => eraseMeasures(trx, citizenId),
};

/** The documents, their files, submission sets, folders and versions (how many documents). */
const documentsStep: ErasureStep = {
  name: 'documents',
  label: 'documents_page.erase',
  run: (trx, { citizenId }) => eraseDocuments(trx, citizenId),
};

const sessionsStep: ErasureStep = {
  name: 'sessions',
  label: 'citizen_data.erase.sessions',
  async run(trx, { citizenId }) {
    const r = await trx.deleteFrom('sessions').where('citizen_id', '=', citizenId).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};

/** The identity itself, last: nothing else may still point at it. */
const identityStep: ErasureStep = {
  name: 'identity',
  label: 'citizen_data.erase.identity',
  async run(trx, { citizenId }) {
    const r = await trx.deleteFrom('citizens').where('id', '=', citizenId).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};

/** The steps of closing a space, in order (the identity last: nothing else may still point at it). */
export const erasureSteps: ErasureStep[] = [
  pairingsStep,
  notificationsStep,
  guardianshipsStep,
  complaintsStep,
  measuresStep,
  documentsStep,
  sessionsStep,
  identityStep,
];

/** The word the citizen types to confirm (in their language). */
export const CLOSE_CONFIRMATION_FIELD = 'confirmation';

/**
 * Closes the signed-in citizen's space, in one transaction: every erasure step, then the audit event
 * `citizen.space_closed` (the counts only: no name, no health data). Returns the counts per step.
 */
export async function closeCitizenSpace(
  db: Db,
  actor: Actor,
  confirmed: boolean,
  now = new Date(),
  steps: readonly ErasureStep[] = erasureSteps,
): Promise<Record<string, number>> {
  const citizenId = citizenIdOf(actor);
  if (!confirmed)
    throw validationFailed({ [CLOSE_CONFIRMATION_FIELD]: 'citizen_data.close.confirm_required' });
  return db.transaction().execute(async (trx) => {
    const counts: Record<string, number> = {};
    for (const step of steps) counts[step.name] = await step.run(trx, { citizenId, now });
    await appendAuditEvent(trx, {
      actorType: 'citizen',
      actorId: citizenId,
      action: 'citizen.space_closed',
      subjectType: 'citizen',
      subjectId: citizenId,
      data: { erased: counts },
    });
    return counts;
  });
}
