/**
 * Fixtures of the Mesures de santé API tests: a published service with data exchange whose convention names
 * the test's data categories, a citizen paired with it through the real authorization server (consent page,
 * code, PKCE, private_key_jwt), and valid push Bundles per measure type, as a publisher's application sends
 * them.
 */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { idPeSystemOf } from '../src/fhir/api/gate.ts';
import { newId } from '../src/platform/crypto.ts';
import type { FixtureApp, Staff } from './dossier-fixtures.ts';
import { CSRF, type TestApp } from './helpers.ts';
import {
  CookieJar,
  injectTransport,
  type PublishedService,
  pathAt,
  pkcePair,
  publishExchangeService,
  randomValue,
  TestServiceClient,
  type TokenSet,
} from './oauth-fixtures.ts';

export const PUBLIC_URL = 'http://127.0.0.1:4997';
export const HOST = '127.0.0.1:4997';
export const ISSUER = `${PUBLIC_URL}/oauth`;
export const FHIR_BASE = `${PUBLIC_URL}/fhir`;

type Json = Record<string, unknown>;

export interface CategoryGrant {
  code: string;
  read: boolean;
  write: boolean;
}

/**
 * A data-exchange service walked to publication (as `publishExchangeService` does) whose convention allows
 * the given categories, one finalité (prévention).
 */
export async function publishMeasuresService(
  app: FixtureApp,
  options: { name: string; redirectUri: string; categories: CategoryGrant[]; staff?: Staff },
): Promise<PublishedService> {
  return publishExchangeService(app, {
    ...options,
    finalites: ['prevention'],
    consentText: `J’accepte que ${options.name} lise et ajoute mes mesures dans Mon espace santé, pour mon suivi.`,
  });
}

const pathOf = (location: string) => pathAt(location, PUBLIC_URL);

export const clientFor = (t: TestApp, service: PublishedService) =>
  new TestServiceClient({ service, issuer: ISSUER, transport: injectTransport(t, HOST) });

/**
 * Pairs a citizen with the service as their browser would (authorization request, consent page, « Autoriser »
 * with the prévention finalité), then exchanges the code: an access token and the idPe it names.
 */
export async function pairAndToken(
  t: TestApp,
  client: TestServiceClient,
  citizenCookies: Record<string, string>,
  scope: string,
): Promise<{ accessToken: string; idPe: string; tokens: TokenSet }> {
  const jar = new CookieJar();
  const { verifier, challenge } = pkcePair();
  const get = (url: string, cookies: Record<string, string>) =>
    t.inject({ method: 'GET', url, headers: { host: HOST }, cookies });
  const start = await get(
    client.authorizationPath({ scope, state: randomValue(), nonce: randomValue(), challenge }),
    {},
  );
  assert.equal(start.statusCode, 303, start.body);
  jar.take(start.headers['set-cookie']);
  const interaction = pathOf(String(start.headers.location));
  const page = await get(interaction, jar.get(citizenCookies));
  assert.equal(page.statusCode, 200, page.body);
  const pour = /name="pour" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const form = new URLSearchParams({ _csrf: CSRF, pour, decision: 'autoriser', finalites: 'prevention' });
  const posted = await t.inject({
    method: 'POST',
    url: interaction,
    headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded' },
    cookies: jar.get(citizenCookies),
    payload: form.toString(),
  });
  assert.equal(posted.statusCode, 303, posted.body);
  jar.take(posted.headers['set-cookie']);
  const resumed = await get(pathOf(String(posted.headers.location)), jar.get());
  assert.equal(resumed.statusCode, 303, resumed.body);
  const code = new URL(String(resumed.headers.location)).searchParams.get('code');
  assert.ok(code, String(resumed.headers.location));
  const res = await client.exchange(code, verifier);
  assert.equal(res.status, 200, JSON.stringify(res.json()));
  const tokens = res.json() as TokenSet;
  const payload = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url').toString());
  return { accessToken: tokens.access_token, idPe: String(payload.sub), tokens };
}

// ── calls ───────────────────────────────────────────────────────────────────

export interface FhirCall {
  status: number;
  body: Json;
  headers: LightMyRequestResponse['headers'];
}

const callOf = (res: LightMyRequestResponse): FhirCall => {
  let body: Json = {};
  try {
    body = res.json();
  } catch {
    body = { text: res.body };
  }
  return { status: res.statusCode, body, headers: res.headers };
};

/** POST /fhir with a body (an object is sent as JSON). */
export async function push(t: TestApp, token: string | undefined, body: unknown): Promise<FhirCall> {
  const res = await t.inject({
    method: 'POST',
    url: '/fhir',
    headers: {
      host: HOST,
      'content-type': 'application/fhir+json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return callOf(res);
}

export async function read(t: TestApp, token: string | undefined, url: string): Promise<FhirCall> {
  const res = await t.inject({
    method: 'GET',
    url,
    headers: { host: HOST, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return callOf(res);
}

/** The diagnostics and texts of an OperationOutcome, to assert on. */
export function issuesOf(body: Json): Array<{ code: string; diagnostics?: string; text: string }> {
  const issues = Array.isArray(body.issue) ? (body.issue as Json[]) : [];
  return issues.map((i) => ({
    code: String(i.code),
    ...(typeof i.diagnostics === 'string' ? { diagnostics: i.diagnostics } : {}),
    text: String((i.details as Json | undefined)?.text ?? ''),
  }));
}

// ── push Bundles ────────────────────────────────────────────────────────────

const MES = 'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition';
const UCUM = 'http://unitsofmeasure.org';
const LOINC = 'http://loinc.org';
const vitalSigns = [
  {
    coding: [
      {
        system: 'http://terminology.hl7.org/CodeSystem/observation-category',
        code: 'vital-signs',
        display: 'vital-signs',
      },
    ],
  },
];

export interface Who {
  idPe: string;
  /** The service's OID (meta.source is a sub-OID of it). */
  oid: string;
  /** `urn:oid:<oidRoot>.0` */
  idPeSystem: string;
}

export const whoOf = (t: Pick<TestApp, 'config'>, service: { oid: string }, idPe: string): Who => ({
  idPe,
  oid: service.oid,
  idPeSystem: idPeSystemOf(t.config),
});

function observation(who: Who, profile: string, rest: Json, effective: string): Json {
  return {
    resourceType: 'Observation',
    meta: { profile: [`${MES}/${profile}`], source: `urn:oid:${who.oid}.1` },
    status: 'final',
    category: structuredClone(vitalSigns),
    subject: { identifier: { system: who.idPeSystem, value: who.idPe } },
    effectiveDateTime: effective,
    ...rest,
  };
}

export type MeasureKind = 'weight' | 'height' | 'bp' | 'glucose' | 'interstitial' | 'hba1c' | 'bmi' | 'head';

/** A valid Observation of each kind the tests push. */
export function measure(
  kind: MeasureKind,
  who: Who,
  effective = '2026-11-20T08:15:00+01:00',
  value?: number,
): Json {
  const q = (v: number, unit: string) => ({ value: v, unit, system: UCUM, code: unit });
  switch (kind) {
    case 'weight':
      return observation(
        who,
        'mesures-fr-observation-body-weight',
        {
          code: { coding: [{ system: LOINC, code: '29463-7', display: 'Poids corporel' }] },
          valueQuantity: q(value ?? 71.5, 'kg'),
        },
        effective,
      );
    case 'bp':
      return observation(
        who,
        'mesures-fr-observation-bp',
        {
          code: { coding: [{ system: LOINC, code: '85354-9', display: 'Pression artérielle' }] },
          bodySite: {
            coding: [
              {
                system: 'https://mos.esante.gouv.fr/NOS/TRE_R309-FMA/FHIR/TRE-R309-FMA',
                code: '24890',
                display: 'Bras',
              },
            ],
          },
          component: [
            {
              code: { coding: [{ system: LOINC, code: '8480-6', display: 'Pression systolique' }] },
              valueQuantity: q(value ?? 120, 'mm[Hg]'),
            },
            {
              code: { coding: [{ system: LOINC, code: '8462-4', display: 'Pression diastolique' }] },
              valueQuantity: q(80, 'mm[Hg]'),
            },
          ],
        },
        effective,
      );
    case 'glucose':
      return observation(
        who,
        'mesures-observation-glucose',
        {
          code: { coding: [{ system: LOINC, code: '2345-7', display: 'Glucose sanguin' }] },
          valueQuantity: q(value ?? 95, 'mg/dL'),
          extension: [
            {
              url: `${MES}/mesures-moment-of-measurement`,
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
        effective,
      );
    case 'interstitial':
      return observation(
        who,
        'mesures-observation-glucose',
        {
          code: { coding: [{ system: LOINC, code: '99504-3', display: 'Glucose interstitiel' }] },
          valueQuantity: q(value ?? 120, 'mg/dL'),
          extension: [
            {
              url: `${MES}/mesures-number-of-days`,
              valueCodeableConcept: {
                coding: [
                  {
                    system: 'https://smt.esante.gouv.fr/fhir/CodeSystem/terminologie-cisis',
                    code: 'GEN-276',
                    display: '14j',
                  },
                ],
              },
            },
          ],
        },
        effective,
      );
    case 'hba1c':
      return observation(
        who,
        'mesures-observation-hb1ac',
        {
          code: { coding: [{ system: LOINC, code: '4548-4', display: 'Hémoglobine glyquée' }] },
          valueQuantity: q(value ?? 6.4, '%'),
        },
        effective,
      );
    case 'bmi':
      return observation(
        who,
        'mesures-fr-observation-bmi',
        {
          code: { coding: [{ system: LOINC, code: '39156-5', display: 'IMC' }] },
          valueQuantity: q(value ?? 24.2, 'kg/m2'),
        },
        effective,
      );
    case 'height':
      return observation(
        who,
        'mesures-fr-observation-bodyheight',
        {
          code: { coding: [{ system: LOINC, code: '8302-2', display: 'Taille' }] },
          valueQuantity: q(value ?? 170, 'cm'),
        },
        effective,
      );
    case 'head':
      return observation(
        who,
        'mesures-observation-head-circumference',
        {
          code: {
            coding: [
              { system: LOINC, code: '9843-4' },
              { system: LOINC, code: '8287-5' },
            ],
          },
          valueQuantity: q(value ?? 42, 'cm'),
        },
        effective,
      );
  }
}

/** A PHD Device with this identifier value (the Bundle's id is the client's own). */
export function device(value = 'FE-ED-AB-AA-DE-AD-77-C5', id = newId()): Json {
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
        value,
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

/** A push Bundle: the Observation, and a Device first when given (linked by its id, created if absent). */
export function pushBundle(obs: Json, dev?: Json): Json {
  const observationEntry = {
    fullUrl: `urn:uuid:${newId()}`,
    resource: dev ? { ...obs, device: { reference: `Device/${String(dev.id)}` } } : obs,
    request: { method: 'POST', url: 'Observation' },
  };
  if (!dev) return { resourceType: 'Bundle', type: 'transaction', entry: [observationEntry] };
  const identifier = (dev.identifier as Json[])[0];
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: `urn:uuid:${String(dev.id)}`,
        resource: dev,
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
