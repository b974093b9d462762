/**
 * The FHIR resources the reference client sends: one valid Observation per data category of measures (the
 * profiles of the Mesures de santé IG, with their LOINC code and UCUM unit), the push Bundle around it, and an
 * ITI-65 provide Bundle (PDSm) with one PDF. Plain data, nothing else: copy what your application needs.
 */
import { createHash, randomUUID } from 'node:crypto';

export type Json = Record<string, unknown>;

const IG = 'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition';
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';

/** Who the data is about and who produces it. */
export interface Subject {
  /** The citizen's idPe for this service: the access token's and the ID token's `sub`. */
  idPe: string;
  /** `urn:oid:<the deployment's OID root>.0` (the sandbox: `urn:oid:2.999.250.1.0`). */
  idPeSystem: string;
  /** The service's OID: `meta.source` is a sub-OID of it. */
  oid: string;
}

/** A quantity with its UCUM unit: `unit` is for people, `code` is what MES checks. */
interface Unit {
  unit: string;
  code: string;
}

/** How to write one measure of a data category. */
export interface MeasureKind {
  /** The data category (`poids`, `pression-arterielle`…): the scopes are `<category>.read|write`. */
  category: string;
  /** The Observation's LOINC code: what a search names with `code=`. */
  code: string;
  display: string;
  profile: string;
  unit: Unit;
  /** A unit MES refuses (422): the classic mistake of writing the unit's label as its code. */
  wrongUnit: Unit;
  value: number;
  /** Elements the profile requires beyond code and value. */
  extra?: Json;
  /** The steps of a day are dated with a day, not an instant. */
  dateOnly?: boolean;
  /** False when MES takes no push of it (the respiratory rate: `MesBundleFluxAlimentation` does not list it). */
  pushable?: false;
  /** Blood pressure: its two values are components. */
  components?: Array<{ code: string; display: string; value: number }>;
}

/** One measure kind per data category of the referential (the first code of each). */
export const MEASURE_KINDS: readonly MeasureKind[] = [
  {
    category: 'poids',
    code: '29463-7',
    display: 'Poids corporel',
    profile: 'mesures-fr-observation-body-weight',
    unit: { unit: 'kg', code: 'kg' },
    wrongUnit: { unit: 'kg', code: 'kilogram' },
    value: 71.5,
  },
  {
    category: 'taille',
    code: '8302-2',
    display: 'Taille',
    profile: 'mesures-fr-observation-bodyheight',
    unit: { unit: 'cm', code: 'cm' },
    wrongUnit: { unit: 'cm', code: 'centimetre' },
    value: 172,
  },
  {
    category: 'pression-arterielle',
    code: '85354-9',
    display: 'Pression artérielle',
    profile: 'mesures-fr-observation-bp',
    unit: { unit: 'mm[Hg]', code: 'mm[Hg]' },
    wrongUnit: { unit: 'mmHg', code: 'mmHg' },
    value: 0,
    extra: {
      bodySite: {
        coding: [
          {
            system: 'https://mos.esante.gouv.fr/NOS/TRE_R309-FMA/FHIR/TRE-R309-FMA',
            code: '24890',
            display: 'Bras',
          },
        ],
      },
    },
    components: [
      { code: '8480-6', display: 'Pression systolique', value: 124 },
      { code: '8462-4', display: 'Pression diastolique', value: 79 },
    ],
  },
  {
    category: 'frequence-cardiaque',
    code: '8867-4',
    display: 'Fréquence cardiaque',
    profile: 'mesures-fr-observation-heartrate',
    unit: { unit: '/min', code: '/min' },
    wrongUnit: { unit: 'bpm', code: 'bpm' },
    value: 64,
  },
  {
    category: 'temperature',
    code: '8310-5',
    display: 'Température',
    profile: 'mesures-fr-observation-body-temperature',
    unit: { unit: '°C', code: 'Cel' },
    wrongUnit: { unit: '°C', code: '°C' },
    value: 37.2,
    extra: {
      bodySite: {
        coding: [
          {
            system: 'https://mos.esante.gouv.fr/NOS/TRE_R309-FMA/FHIR/TRE-R309-FMA',
            code: '52780',
            display: 'Oreille',
          },
        ],
      },
    },
  },
  {
    category: 'saturation-oxygene',
    code: '2708-6',
    display: 'Saturation en oxygène',
    profile: 'mesures-fr-observation-oxygen-sat',
    unit: { unit: '%', code: '%' },
    wrongUnit: { unit: '%', code: 'percent' },
    value: 97,
  },
  {
    category: 'frequence-respiratoire',
    code: '9279-1',
    display: 'Fréquence respiratoire',
    profile: 'mesures-fr-observation-resp-rate',
    pushable: false,
    unit: { unit: '/min', code: '/min' },
    wrongUnit: { unit: 'breaths/min', code: 'breaths/min' },
    value: 16,
  },
  {
    category: 'perimetre-cranien',
    code: '9843-4',
    display: 'Périmètre crânien',
    profile: 'mesures-observation-head-circumference',
    unit: { unit: 'cm', code: 'cm' },
    wrongUnit: { unit: 'cm', code: 'centimetre' },
    value: 42,
    extra: {
      code: {
        coding: [
          { system: LOINC, code: '9843-4' },
          { system: LOINC, code: '8287-5' },
        ],
      },
    },
  },
  {
    category: 'tour-de-taille',
    code: '8280-0',
    display: 'Tour de taille',
    profile: 'mesures-observation-waist-circumference',
    unit: { unit: 'cm', code: 'cm' },
    wrongUnit: { unit: 'cm', code: 'centimetre' },
    value: 84,
  },
  {
    category: 'pas',
    code: '41950-7',
    display: 'Nombre de pas par jour',
    profile: 'mesures-observation-steps-by-day',
    unit: { unit: 'steps/day', code: '1/(24.h)' },
    wrongUnit: { unit: 'steps/day', code: 'steps/day' },
    value: 8432,
    dateOnly: true,
  },
  {
    category: 'douleur',
    code: '72514-3',
    display: 'Niveau de douleur',
    profile: 'mesures-observation-pain-severity',
    unit: { unit: 'Level', code: '1' },
    wrongUnit: { unit: 'Level', code: 'Level' },
    value: 3,
  },
  {
    category: 'glycemie',
    code: '2345-7',
    display: 'Glucose sanguin',
    profile: 'mesures-observation-glucose',
    unit: { unit: 'mg/dL', code: 'mg/dL' },
    wrongUnit: { unit: 'mg/dL', code: 'mgdl' },
    value: 95,
    // A blood glucose says when it was measured (fasting here).
    extra: {
      extension: [
        {
          url: `${IG}/mesures-moment-of-measurement`,
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
  },
  {
    category: 'hba1c',
    code: '4548-4',
    display: 'Hémoglobine glyquée',
    profile: 'mesures-observation-hb1ac',
    unit: { unit: '%', code: '%' },
    wrongUnit: { unit: '%', code: 'percent' },
    value: 6.4,
  },
];

export const measureKindOf = (category: string): MeasureKind | undefined =>
  MEASURE_KINDS.find((k) => k.category === category);

/** A dateTime with the local time zone offset, as MES wants (`2026-11-20T08:15:00+01:00`). */
export function localDateTime(at: Date): string {
  const offset = -at.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (n: number) => String(Math.trunc(Math.abs(n))).padStart(2, '0');
  const local = new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 19);
  return `${local}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** One Observation of that kind, measured at `at`, for the subject. */
export function observation(
  kind: MeasureKind,
  who: Subject,
  at: Date,
  options: { wrongUnit?: boolean } = {},
): Json {
  const unit = options.wrongUnit ? kind.wrongUnit : kind.unit;
  const quantity = (value: number) => ({ value, unit: unit.unit, system: UCUM, code: unit.code });
  const effective = localDateTime(at);
  return {
    resourceType: 'Observation',
    meta: { profile: [`${IG}/${kind.profile}`], source: `urn:oid:${who.oid}.1` },
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
    code: { coding: [{ system: LOINC, code: kind.code, display: kind.display }] },
    subject: { identifier: { system: who.idPeSystem, value: who.idPe } },
    effectiveDateTime: kind.dateOnly ? effective.slice(0, 10) : effective,
    ...(kind.components
      ? {
          component: kind.components.map((c) => ({
            code: { coding: [{ system: LOINC, code: c.code, display: c.display }] },
            valueQuantity: quantity(c.value),
          })),
        }
      : { valueQuantity: quantity(kind.value) }),
    ...kind.extra,
  };
}

/** The measuring device (a PHD Device): sent with a measure, stored once per citizen thanks to `ifNoneExist`. */
export function scale(id = randomUUID()): Json {
  return {
    resourceType: 'Device',
    id,
    meta: { profile: ['http://hl7.org/fhir/uv/phd/StructureDefinition/PhdDevice'] },
    identifier: [
      {
        type: {
          coding: [
            { system: 'http://hl7.org/fhir/uv/phd/CodeSystem/ContinuaDeviceIdentifiers', code: 'SYSID' },
          ],
        },
        system: 'urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680',
        value: 'FE-ED-AB-AA-DE-AD-77-C5',
      },
    ],
    manufacturer: 'Balances Martin',
    modelNumber: 'BM-200',
    deviceName: [{ name: 'Ma balance', type: 'patient-reported-name' }],
    type: { coding: [{ system: 'urn:iso:std:iso:11073:10101', code: '65573' }] },
    specialization: [
      {
        systemType: { coding: [{ system: 'urn:iso:std:iso:11073:10101', code: '528399' }] },
        version: '2.3',
      },
    ],
  };
}

/**
 * The push Bundle (`MesBundleFluxAlimentation`): a transaction with exactly one Observation created by POST,
 * and the Device that measured it first when there is one (conditional create, linked by its id).
 */
export function pushBundle(obs: Json, device?: Json): Json {
  const observationEntry = {
    fullUrl: `urn:uuid:${randomUUID()}`,
    resource: device ? { ...obs, device: { reference: `Device/${String(device.id)}` } } : obs,
    request: { method: 'POST', url: 'Observation' },
  };
  if (!device) return { resourceType: 'Bundle', type: 'transaction', entry: [observationEntry] };
  const [identifier] = device.identifier as Json[];
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: `urn:uuid:${String(device.id)}`,
        resource: device,
        request: {
          method: 'POST',
          url: 'Device',
          ifNoneExist: `identifier=${String(identifier.system)}|${String(identifier.value)}`,
        },
      },
      observationEntry,
    ],
  };
}

/** A tiny PDF: its size and SHA-1 go into the DocumentReference. */
export const samplePdf = (label: string): Buffer =>
  Buffer.from(
    `%PDF-1.4\n% ${label}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );

/**
 * An ITI-65 provide Bundle (`pdsm-comprehensive-provide-document-bundle`): a SubmissionSet, one
 * DocumentReference and its Binary. Every identifier is new, so that the document is never a duplicate.
 */
export function provideBundle(who: Subject, pdf: Buffer, at: Date): Json {
  const source = `urn:oid:${who.oid}.1`;
  const subject = { identifier: { system: who.idPeSystem, value: who.idPe } };
  const stamp = `${at.getTime()}`;
  const setUrl = `urn:uuid:${randomUUID()}`;
  const docUrl = `urn:uuid:${randomUUID()}`;
  const binaryUrl = `urn:uuid:${randomUUID()}`;
  const when = localDateTime(at);
  const sectorCoding = {
    system: 'https://mos.esante.gouv.fr/NOS/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite',
    code: 'SA01',
    display: 'Etablissement public de santé',
  };
  const submissionSet = {
    resourceType: 'List',
    meta: {
      profile: [
        'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-submissionset-comprehensive',
      ],
      source,
    },
    contained: [
      {
        resourceType: 'PractitionerRole',
        id: 'auteur-lot',
        identifier: [{ system: 'https://rpps.esante.gouv.fr', value: '10101201234' }],
      },
      {
        resourceType: 'Organization',
        id: 'organisation-auteur',
        identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.2', value: '2264403106' }],
        name: 'Hôpital de démonstration',
      },
    ],
    extension: [
      {
        url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-designationType',
        valueCodeableConcept: { coding: [sectorCoding] },
      },
      {
        url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId',
        valueIdentifier: { system: 'urn:ietf:rfc:3986', value: source },
      },
    ],
    identifier: [
      { use: 'usual', system: 'urn:ietf:rfc:3986', value: `${source}.2.${stamp}` },
      { use: 'official', system: 'urn:ietf:rfc:3986', value: `urn:uuid:${randomUUID()}` },
    ],
    status: 'current',
    mode: 'working',
    title: 'Compte rendu de suivi',
    code: {
      coding: [
        {
          system: 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes',
          code: 'submissionset',
          display: 'Submission Set',
        },
      ],
    },
    subject,
    date: when,
    source: {
      extension: [
        {
          url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-authorOrg',
          valueReference: { reference: '#organisation-auteur' },
        },
      ],
      reference: '#auteur-lot',
    },
    entry: [{ item: { reference: docUrl } }],
  };
  const documentReference = {
    resourceType: 'DocumentReference',
    meta: {
      profile: [
        'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-comprehensive-document-reference',
      ],
      source,
    },
    contained: [
      {
        resourceType: 'Practitioner',
        id: 'auteur',
        identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', value: '810101201234' }],
        name: [{ family: 'Leclerc', given: ['Sophie'], prefix: ['Dr'] }],
      },
      // The patient as the document's source knows them (a test INS in the sandbox).
      {
        resourceType: 'Patient',
        id: 'patient',
        meta: { profile: ['https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient'] },
        identifier: [
          {
            use: 'official',
            type: {
              coding: [
                { system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203', code: 'INS-NIR-TEST' },
              ],
            },
            system: 'urn:oid:1.2.250.1.213.1.4.10',
            value: '280017512345610',
          },
        ],
        name: [{ use: 'official', family: 'Martin', given: ['Claire'] }],
        gender: 'female',
        birthDate: '1980-01-15',
      },
    ],
    masterIdentifier: { system: 'urn:ietf:rfc:3986', value: `${source}.3.${stamp}` },
    status: 'current',
    type: { coding: [{ system: LOINC, code: '34133-9', display: 'Synthèse d’épisode de soins' }] },
    category: [
      {
        coding: [
          {
            system: 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument',
            code: '10',
            display: 'Compte rendu',
          },
        ],
      },
    ],
    subject,
    date: when,
    author: [{ reference: '#auteur' }],
    custodian: { reference: 'Organization/org-example' },
    securityLabel: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
            code: 'N',
            display: 'normal',
          },
        ],
      },
    ],
    content: [
      {
        attachment: {
          contentType: 'application/pdf',
          language: 'fr-FR',
          url: binaryUrl,
          size: pdf.length,
          hash: createHash('sha1').update(pdf).digest('base64'),
          title: 'Compte rendu de suivi',
          creation: when,
        },
        format: {
          system: 'https://mos.esante.gouv.fr/NOS/TRE_A11-IheFormatCode/FHIR/TRE-A11-IheFormatCode',
          code: 'urn:ihe:iti:xds-sd:pdf:2008',
          display: 'Document à corps non structuré en Pdf/A-1',
        },
      },
    ],
    context: {
      period: { start: when, end: when },
      facilityType: { coding: [sectorCoding] },
      practiceSetting: {
        coding: [
          {
            system: 'https://mos.esante.gouv.fr/NOS/TRE_A01-CadreExercice/FHIR/TRE-A01-CadreExercice',
            code: 'ETABLISSEMENT',
            display: 'Etablissement de santé',
          },
        ],
      },
      sourcePatientInfo: { reference: '#patient' },
    },
  };
  return {
    resourceType: 'Bundle',
    meta: {
      profile: [
        'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-comprehensive-provide-document-bundle',
      ],
    },
    type: 'transaction',
    entry: [
      { fullUrl: setUrl, resource: submissionSet, request: { method: 'POST', url: 'List' } },
      { fullUrl: docUrl, resource: documentReference, request: { method: 'POST', url: 'DocumentReference' } },
      {
        fullUrl: binaryUrl,
        resource: { resourceType: 'Binary', contentType: 'application/pdf', data: pdf.toString('base64') },
        request: { method: 'POST', url: 'Binary' },
      },
    ],
  };
}
