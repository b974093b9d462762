/**
 * Fixtures of the documents API tests: valid ITI-65 provide bundles (built from the validator's PDSm example,
 * with the patient named by idPe, fresh identifiers and the attachment's size and SHA-1 computed from the
 * bytes sent), and the ITI-67/68 calls a publisher's application makes. Pairing and tokens come from
 * test/measures-fixtures.ts (the same real authorization server).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { newId } from '../src/platform/crypto.ts';
import type { TestApp } from './helpers.ts';
import { type FhirCall, HOST, type Who } from './measures-fixtures.ts';

type Json = Record<string, unknown>;

const example = JSON.parse(
  readFileSync(new URL('../src/fhir/validation/fixtures/pdsm/provide-bundle.json', import.meta.url), 'utf8'),
) as Json;

/** A small PDF, different for each label (so its SHA-1 is too). */
export const pdfBytes = (label = 'document'): Buffer =>
  Buffer.from(
    `%PDF-1.4\n% ${label}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );

export const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('base64');

export interface DocumentSpec {
  content?: Buffer;
  contentType?: string;
  title?: string;
  /** DocumentReference.date */
  date?: string;
  /** context.period.start */
  periodStart?: string;
  /** LOINC type code. */
  typeCode?: string;
  /** The masterIdentifier value (a fresh OID-like value by default). */
  uniqueId?: string;
  /** `relatesTo` replaces this target reference (`DocumentReference/<id>`) or identifier value. */
  replaces?: { reference?: string; identifier?: string };
  isArchived?: boolean;
}

export interface BundleOptions {
  documents?: DocumentSpec[];
  /** meta.source of every resource (a sub-OID of the service by default). */
  metaSource?: string;
  /** Add a folder filing the bundle's documents (and these stored ones). */
  folder?: { storedIds?: string[] };
}

const clone = <T>(value: T): T => structuredClone(value);
const uniqueOid = () => `urn:oid:1.2.250.1.999.1.1.${Date.now()}.${Math.floor(Math.random() * 1e9)}`;

/** A valid ITI-65 provide bundle for the patient of `who`: a SubmissionSet, then each document and its Binary. */
export function provideBundle(who: Who, options: BundleOptions = {}): Json {
  const [setEntry, docEntry] = clone(example.entry as Json[]);
  const subject = { identifier: { system: who.idPeSystem, value: who.idPe } };
  const source = options.metaSource ?? `urn:oid:${who.oid}.1`;
  const withSource = (resource: Json): Json => ({
    ...resource,
    meta: { ...(resource.meta as Json), source },
  });

  const set = withSource(setEntry.resource as Json);
  set.subject = subject;
  set.identifier = [
    { use: 'usual', system: 'urn:ietf:rfc:3986', value: uniqueOid() },
    { use: 'official', system: 'urn:ietf:rfc:3986', value: `urn:uuid:${newId()}` },
  ];
  const setUrl = `urn:uuid:${newId()}`;
  const entries: Json[] = [];
  const items: Json[] = [];
  const docUrls: string[] = [];
  for (const spec of options.documents ?? [{}]) {
    const bytes = spec.content ?? pdfBytes(newId());
    const contentType = spec.contentType ?? 'application/pdf';
    const docUrl = `urn:uuid:${newId()}`;
    const binaryUrl = `urn:uuid:${newId()}`;
    const doc = withSource(clone(docEntry.resource as Json));
    doc.subject = subject;
    doc.masterIdentifier = { system: 'urn:ietf:rfc:3986', value: spec.uniqueId ?? uniqueOid() };
    if (spec.date) doc.date = spec.date;
    if (spec.typeCode) doc.type = { coding: [{ system: 'http://loinc.org', code: spec.typeCode }] };
    if (spec.periodStart) (doc.context as Json).period = { start: spec.periodStart };
    if (spec.isArchived !== undefined) {
      doc.extension = [
        {
          url: 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived',
          valueBoolean: spec.isArchived,
        },
      ];
    }
    if (spec.replaces) {
      doc.relatesTo = [
        {
          code: 'replaces',
          target: spec.replaces.reference
            ? { reference: spec.replaces.reference }
            : { identifier: { system: 'urn:ietf:rfc:3986', value: spec.replaces.identifier } },
        },
      ];
    }
    const content = (doc.content as Json[])[0];
    content.attachment = {
      ...(content.attachment as Json),
      contentType,
      url: binaryUrl,
      size: bytes.length,
      hash: sha1(bytes),
      ...(spec.title ? { title: spec.title } : {}),
    };
    const binary = {
      resourceType: 'Binary',
      contentType,
      data: bytes.toString('base64'),
    };
    entries.push(
      { fullUrl: docUrl, resource: doc, request: { method: 'POST', url: 'DocumentReference' } },
      { fullUrl: binaryUrl, resource: binary, request: { method: 'POST', url: 'Binary' } },
    );
    items.push({ item: { reference: docUrl } });
    docUrls.push(docUrl);
  }
  if (options.folder) {
    const folderUrl = `urn:uuid:${newId()}`;
    const folder = {
      resourceType: 'List',
      meta: {
        profile: [
          'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-folder-comprehensive',
        ],
        source,
      },
      extension: [
        {
          url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-designationType',
          valueCodeableConcept: {
            coding: [{ system: 'http://loinc.org', code: '34133-9', display: 'Synthèse d’épisode de soins' }],
          },
        },
      ],
      identifier: [
        { use: 'usual', system: 'urn:ietf:rfc:3986', value: uniqueOid() },
        { use: 'official', system: 'urn:ietf:rfc:3986', value: `urn:uuid:${newId()}` },
      ],
      status: 'current',
      mode: 'working',
      title: 'Suivi de grossesse',
      code: {
        coding: [{ system: 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes', code: 'folder' }],
      },
      subject,
      date: '2025-04-30T14:00:00+01:00',
      entry: [
        ...docUrls.map((reference) => ({ item: { reference } })),
        ...(options.folder.storedIds ?? []).map((id) => ({ item: { reference: `DocumentReference/${id}` } })),
      ],
    };
    entries.push({ fullUrl: folderUrl, resource: folder, request: { method: 'POST', url: 'List' } });
    items.push({ item: { reference: folderUrl } });
  }
  set.entry = items;
  return {
    resourceType: 'Bundle',
    meta: example.meta,
    type: 'transaction',
    entry: [{ fullUrl: setUrl, resource: set, request: { method: 'POST', url: 'List' } }, ...entries],
  };
}

/** The stored ids a transaction-response names, per entry: `{ type, id, version }`. */
export function locations(body: Json): Array<{ type: string; id: string; version: string; status: string }> {
  return ((body.entry as Json[]) ?? []).map((entry) => {
    const response = entry.response as Json;
    const [type, id, , version] = String(response.location).split('/');
    return { type, id, version, status: String(response.status) };
  });
}

/** GET with a token and headers, the body kept raw too (Binary bytes). */
export async function get(
  t: TestApp,
  token: string | undefined,
  url: string,
  headers: Record<string, string> = {},
): Promise<FhirCall & { raw: Buffer }> {
  const res = await t.inject({
    method: 'GET',
    url,
    headers: { host: HOST, ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
  let body: Json = {};
  try {
    body = res.json();
  } catch {
    body = {};
  }
  return { status: res.statusCode, body, headers: res.headers, raw: res.rawPayload };
}

/** POST /fhir/DocumentReference/_search with a form body. */
export async function searchByPost(
  t: TestApp,
  token: string,
  form: Record<string, string>,
): Promise<FhirCall> {
  const res = await t.inject({
    method: 'POST',
    url: '/fhir/DocumentReference/_search',
    headers: {
      host: HOST,
      authorization: `Bearer ${token}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: new URLSearchParams(form).toString(),
  });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}
