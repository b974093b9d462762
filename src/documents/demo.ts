/**
 * The documents of the sandbox's demo: each demo service paired with the demo citizen (or a minor in her care)
 * and allowed to write documents places three short reports in that space, each a small PDF made with
 * pdfkit. Each goes through `provideDocuments` as the service's own ITI-65 call would: the same validation,
 * storage and access event. Idempotent: a service that already placed a document in a space places no more.
 */
import { createHash } from 'node:crypto';
import type { AppContext } from '../app.ts';
import { accessFactsOf, type PairingView } from '../consent/index.ts';
import { idPeSystemOf } from '../fhir/api/gate.ts';
import { type DemoDeps, demoCitizenActor, demoPairings, pairedServiceCaller } from '../measures/demo.ts';
import { newPdfDocument, PdfWriter } from '../web/pdf.ts';
import { DOCUMENTS_CATEGORY } from './model.ts';
import { documentsOf, provideDocuments } from './service.ts';

type Json = Record<string, unknown>;

/** A demo document: its title, LOINC type, how many days ago it was written, and its text. */
export interface DemoDocument {
  title: string;
  type: { code: string; display: string };
  daysAgo: number;
  author: { family: string; given: string; rpps: string };
  paragraphs: string[];
}

export const DEMO_DOCUMENTS: DemoDocument[] = [
  {
    title: 'Compte rendu de consultation de cardiologie',
    type: { code: '11488-4', display: 'Compte rendu de consultation' },
    daysAgo: 75,
    author: { family: 'Le Bihan', given: 'Anne', rpps: '10101201234' },
    paragraphs: [
      'Motif : suivi d’une hypertension artérielle découverte il y a six mois.',
      'Examen : pression artérielle 142/88 mmHg au repos, fréquence cardiaque 72/min, auscultation normale.',
      'Conclusion : poursuite du traitement, automesure tensionnelle à domicile matin et soir pendant trois jours avant la prochaine consultation.',
    ],
  },
  {
    title: 'Compte rendu d’examens biologiques',
    type: { code: '11502-2', display: 'Compte rendu d’examens biologiques' },
    daysAgo: 40,
    author: { family: 'Guillou', given: 'Marc', rpps: '10101205678' },
    paragraphs: [
      'Bilan lipidique et glycémie à jeun prescrits par le médecin traitant.',
      'Glycémie à jeun : 0,98 g/L (valeurs de référence 0,70 à 1,10). Cholestérol LDL : 1,21 g/L.',
      'Résultats dans les valeurs de référence.',
    ],
  },
  {
    title: 'Compte rendu d’échographie abdominale',
    type: { code: '18748-4', display: 'Compte rendu d’imagerie médicale' },
    daysAgo: 12,
    author: { family: 'Morvan', given: 'Claire', rpps: '10101209012' },
    paragraphs: [
      'Indication : douleurs abdominales intermittentes.',
      'Foie, vésicule, pancréas, reins et rate sans anomalie décelable.',
      'Conclusion : examen normal.',
    ],
  },
];

/** The document as a PDF of one page (DejaVu Sans embedded, as mesref's other PDFs). */
export async function demoPdf(document: DemoDocument, date: Date, service: string): Promise<Buffer> {
  const { doc, done } = newPdfDocument({ locale: 'fr', title: document.title, generatedAt: date });
  const writer = new PdfWriter(doc, 'fr');
  writer.heading(document.title, 1);
  writer.field('Date', date.toLocaleDateString('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }));
  writer.field('Auteur', `Dr ${document.author.given} ${document.author.family}`);
  writer.field('Transmis par', service);
  doc.moveDown(0.5);
  for (const paragraph of document.paragraphs) writer.paragraph(paragraph);
  doc.moveDown(1);
  writer.paragraph('Document fictif du bac à sable de démonstration : il ne concerne personne.', {
    size: 8,
  });
  doc.end();
  return done;
}

const NOS = 'https://mos.esante.gouv.fr/NOS';

/** The ITI-65 provide Bundle of one document: a submission set, the DocumentReference and its Binary. */
export function demoProvideBundle(input: {
  document: DemoDocument;
  pdf: Buffer;
  date: Date;
  serviceOid: string;
  /** The service's name (the custodian and source organisation). */
  service: string;
  subject: { system: string; value: string };
  /** Distinguishes the identifiers of the document and of its submission set. */
  number: number;
}): Json {
  const { document, pdf, date, serviceOid, service, subject, number } = input;
  const ids = {
    list: `urn:uuid:00000000-0000-4000-8000-${String(number).padStart(12, '0')}`,
    document: `urn:uuid:00000000-0000-4000-9000-${String(number).padStart(12, '0')}`,
    binary: `urn:uuid:00000000-0000-4000-a000-${String(number).padStart(12, '0')}`,
  };
  const day = date.toISOString().slice(0, 10).replace(/-/g, '');
  const when = date.toISOString();
  return {
    resourceType: 'Bundle',
    meta: {
      profile: [
        'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-comprehensive-provide-document-bundle',
      ],
    },
    type: 'transaction',
    entry: [
      {
        fullUrl: ids.list,
        resource: {
          resourceType: 'List',
          meta: {
            profile: [
              'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-submissionset-comprehensive',
            ],
          },
          contained: [
            {
              resourceType: 'PractitionerRole',
              id: 'auteur-lot',
              identifier: [{ system: 'https://rpps.esante.gouv.fr', value: document.author.rpps }],
            },
            {
              resourceType: 'Organization',
              id: 'service',
              identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:oid:${serviceOid}` }],
              name: service,
            },
          ],
          extension: [
            {
              url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-designationType',
              valueCodeableConcept: {
                coding: [
                  {
                    system: `${NOS}/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite`,
                    code: 'SA07',
                    display: 'Cabinet individuel',
                  },
                ],
              },
            },
            {
              url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId',
              valueIdentifier: { system: 'urn:ietf:rfc:3986', value: `urn:oid:${serviceOid}` },
            },
          ],
          identifier: [
            { use: 'usual', system: 'urn:ietf:rfc:3986', value: `urn:oid:${serviceOid}.2.${day}.${number}` },
          ],
          status: 'current',
          mode: 'working',
          title: document.title,
          code: {
            coding: [
              {
                system: 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes',
                code: 'submissionset',
                display: 'Submission Set',
              },
            ],
          },
          subject: { identifier: subject },
          date: when,
          source: {
            extension: [
              {
                url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-authorOrg',
                valueReference: { reference: '#service' },
              },
            ],
            reference: '#auteur-lot',
          },
          entry: [{ item: { reference: ids.document } }],
        },
        request: { method: 'POST', url: 'List' },
      },
      {
        fullUrl: ids.document,
        resource: {
          resourceType: 'DocumentReference',
          meta: {
            profile: [
              'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-comprehensive-document-reference',
            ],
          },
          contained: [
            {
              resourceType: 'Practitioner',
              id: 'auteur',
              identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', value: `8${document.author.rpps}` }],
              name: [{ family: document.author.family, given: [document.author.given], prefix: ['Dr'] }],
            },
            {
              resourceType: 'Organization',
              id: 'service',
              identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:oid:${serviceOid}` }],
              name: service,
            },
            {
              resourceType: 'Patient',
              id: 'patient',
              identifier: [subject],
            },
          ],
          masterIdentifier: {
            system: 'urn:ietf:rfc:3986',
            value: `urn:oid:${serviceOid}.1.${day}.${number}`,
          },
          status: 'current',
          type: { coding: [{ system: 'http://loinc.org', ...document.type }] },
          category: [
            {
              coding: [
                {
                  system: `${NOS}/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument`,
                  code: '10',
                  display: 'Compte rendu',
                },
              ],
            },
          ],
          subject: { identifier: subject },
          date: when,
          author: [{ reference: '#auteur' }],
          custodian: { reference: '#service' },
          description: document.title,
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
                url: ids.binary,
                size: pdf.length,
                hash: createHash('sha1').update(pdf).digest('base64'),
                title: document.title,
                creation: when,
              },
              format: {
                system: `${NOS}/TRE_A11-IheFormatCode/FHIR/TRE-A11-IheFormatCode`,
                code: 'urn:ihe:iti:xds-sd:pdf:2008',
                display: 'Document à corps non structuré en Pdf/A-1',
              },
            },
          ],
          context: {
            period: { start: when, end: when },
            facilityType: {
              coding: [
                {
                  system: `${NOS}/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite`,
                  code: 'SA07',
                  display: 'Cabinet individuel',
                },
              ],
            },
            practiceSetting: {
              coding: [
                {
                  system: `${NOS}/TRE_A01-CadreExercice/FHIR/TRE-A01-CadreExercice`,
                  code: 'AMBULATOIRE',
                  display: 'Ambulatoire',
                },
              ],
            },
            sourcePatientInfo: { reference: '#patient' },
          },
        },
        request: { method: 'POST', url: 'DocumentReference' },
      },
      {
        fullUrl: ids.binary,
        resource: { resourceType: 'Binary', contentType: 'application/pdf', data: pdf.toString('base64') },
        request: { method: 'POST', url: 'Binary' },
      },
    ],
  };
}

/**
 * Places the demo documents in the pairing's space as the paired service; nothing when the service may not
 * write documents or already placed one there. Returns how many were stored.
 */
export async function provideDemoDocuments(
  deps: DemoDeps,
  pairing: PairingView,
  now = new Date(),
  signal?: AbortSignal,
): Promise<number> {
  const facts = await accessFactsOf(deps.db, pairing.idPe, pairing.serviceOid);
  if (!facts.decide({ category: DOCUMENTS_CATEGORY, action: 'write' }).permit) return 0;
  const existing = await documentsOf(deps.db, pairing.citizenId, { limit: 1000, offset: 0 });
  if (existing.some((d) => d.serviceOid === pairing.serviceOid)) return 0;
  const caller = pairedServiceCaller(pairing, facts);
  const subject = { system: idPeSystemOf(deps.config), value: pairing.idPe };
  // provideDocuments reads the database and the configuration of the context, nothing else.
  const ctx = deps as unknown as AppContext;
  let stored = 0;
  for (const [i, document] of DEMO_DOCUMENTS.entries()) {
    signal?.throwIfAborted();
    const date = new Date(now.getTime() - document.daysAgo * 86_400_000);
    date.setUTCHours(9, 30, 0, 0);
    const pdf = await demoPdf(document, date, pairing.serviceName);
    const bundle = demoProvideBundle({
      document,
      pdf,
      date,
      serviceOid: pairing.serviceOid,
      service: pairing.serviceName,
      subject,
      number: i + 1,
    });
    await provideDocuments(ctx, caller, bundle, 'fr');
    stored++;
  }
  return stored;
}

/** The demo documents of every active pairing of the demo citizen and of the minors in her care. */
export async function seedDemoDocuments(deps: DemoDeps, signal?: AbortSignal): Promise<number> {
  if (deps.config.mode !== 'sandbox') return 0;
  const actor = await demoCitizenActor(deps.db);
  if (actor?.kind !== 'citizen') return 0;
  let stored = 0;
  for (const pairing of await demoPairings(deps.db, actor))
    stored += await provideDemoDocuments(deps, pairing, new Date(), signal);
  return stored;
}
