/**
 * The recorder of connection tests: app-level hooks that record each call of a test session's OAuth client
 * (client ids `sandbox-…`) to the authorization server and the FHIR API, with its method, path (no query
 * string), real status, time and the facts the plans decide on. Never a token, secret, code, verifier or body:
 * a push is known by the SHA-256 of its body, its category and code, its outcome, and the diagnostics of a
 * refusal (test data only: a session's citizens are test identities). Recording is one INSERT after the
 * answer is sent and never fails the call. The same hooks honour the platform-side action « refuse the next
 * push »: that one measures push is answered 422, nothing stored.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { compactVerify, createLocalJWKSet } from 'jose';
import type { AppContext } from '../app.ts';
import { plainOutcome } from '../fhir/index.ts';
import {
  classify,
  codesOf,
  type MeasureCategory,
  measureCategories,
  parseSearch,
} from '../measures/index.ts';
import { oauthCallOf, verifyServiceToken } from '../oauth/index.ts';
import { setBounded } from '../platform/bounded-map.ts';
import type { App } from '../platform/http.ts';
import { translator } from '../platform/i18n.ts';
import { conformanceMessages } from './messages.ts';
import { SANDBOX_CLIENT_PREFIX } from './service.ts';
import * as store from './store.ts';

type Json = Record<string, unknown>;

const kCall = Symbol('conformance call');

/** What the hooks learn of one call of a session's client while it is served. */
interface CallState {
  /** The client the bearer token names (not yet trusted: the signature is checked before recording). */
  clientId: string;
  token: string;
  refusedOnRequest?: boolean;
  /** The answer's body of a refused /fhir call, for its diagnostics. */
  payload?: string;
}

/** `null`: the request was looked at, and is no session client's /fhir call. */
type Tracked = FastifyRequest & { [kCall]?: CallState | null };

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The address as the client sent it (the authorization server's mount rewrites `raw.url` below /oauth). */
const urlOf = (request: FastifyRequest): string =>
  (request.raw as { originalUrl?: string }).originalUrl ?? request.url;
const pathOf = (request: FastifyRequest): string => urlOf(request).split('?')[0];

/** The client ids of the bearer tokens seen last (null: none), as a service calls again with the same token. */
const clientIds = new Map<string, string | null>();
const CLIENT_IDS_MAX = 1000;

/** The client id a bearer JWT names, read without trusting it (only to know whether to look further). */
export function bearerClientOf(
  authorization: string | undefined,
): { clientId: string; token: string } | undefined {
  const match = /^bearer\s+([\w-]+\.([\w-]+)\.[\w-]+)\s*$/i.exec(authorization ?? '');
  if (!match || match[1].length > 8192) return undefined;
  const token = match[1];
  let clientId = clientIds.get(token);
  if (clientId === undefined) {
    try {
      const payload = JSON.parse(Buffer.from(match[2], 'base64url').toString()) as { client_id?: unknown };
      clientId = typeof payload.client_id === 'string' ? payload.client_id : null;
    } catch {
      clientId = null;
    }
    setBounded(clientIds, token, clientId, CLIENT_IDS_MAX);
  }
  return clientId === null ? undefined : { clientId, token };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function parseJsonObject(text: unknown): Json | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const resourcesOf = (bundle: Json | undefined): Json[] =>
  (Array.isArray(bundle?.entry) ? bundle.entry : [])
    .filter(isObject)
    .map((e) => e.resource)
    .filter(isObject);

/** A documents provide (ITI-65) holds a List; a measures push an Observation. */
function bundleKindOf(bundle: Json | undefined): 'documents' | 'measures' | 'other' {
  const resources = resourcesOf(bundle);
  if (resources.some((r) => r.resourceType === 'List')) return 'documents';
  return resources.some((r) => r.resourceType === 'Observation') ? 'measures' : 'other';
}

/** The diagnostics of an OperationOutcome answer (at most 10, each cut at 500 characters). */
function diagnosticsOf(payload: string | undefined): string[] | undefined {
  const outcome = parseJsonObject(payload);
  if (outcome?.resourceType !== 'OperationOutcome' || !Array.isArray(outcome.issue)) return undefined;
  const texts = outcome.issue
    .filter(isObject)
    .map((i) => (typeof i.diagnostics === 'string' ? i.diagnostics : undefined))
    .filter((d): d is string => d !== undefined)
    .slice(0, 10)
    .map((d) => d.slice(0, 500));
  return texts.length > 0 ? texts : undefined;
}

const outcomeOf = (status: number, refusedOnRequest: boolean): 'accepted' | 'invalid' | 'refused' =>
  status >= 200 && status < 300
    ? 'accepted'
    : refusedOnRequest || status === 401 || status === 403 || status === 409
      ? 'refused'
      : 'invalid';

/** The kind and facts of a call to the FHIR API (pure: from the method, address, body and answer). */
export function fhirCallOf(input: {
  method: string;
  url: string;
  body: unknown;
  status: number;
  payload?: string;
  refusedOnRequest?: boolean;
  categories: readonly MeasureCategory[];
}): { kind: string; facts: Json } {
  const [path, query = ''] = input.url.split('?');
  const refused = input.refusedOnRequest === true;
  const diagnostics = input.status >= 400 && input.status < 500 ? diagnosticsOf(input.payload) : undefined;
  if (input.method === 'POST' && path === '/fhir') {
    const text = typeof input.body === 'string' ? input.body : '';
    const bundle = parseJsonObject(text);
    const base: Json = {
      bodySha256: sha256(text),
      outcome: outcomeOf(input.status, refused),
      ...(refused ? { refusedOnRequest: true } : {}),
    };
    if (bundleKindOf(bundle) === 'documents') return { kind: 'documents.provide', facts: base };
    const observation = resourcesOf(bundle).find((r) => r.resourceType === 'Observation');
    const classified = observation ? classify(input.categories, observation) : undefined;
    const code = classified?.code ?? (observation ? codesOf(observation)[0] : undefined);
    return {
      kind: 'fhir.push',
      facts: {
        ...(classified ? { category: classified.category } : {}),
        ...(code ? { code } : {}),
        ...base,
        ...(diagnostics ? { diagnostics } : {}),
      },
    };
  }
  if (input.method === 'GET' && path === '/fhir/Observation') {
    const pairs = [...new URLSearchParams(query)];
    const parsed = parseSearch(pairs, input.categories);
    const rawCount = pairs.find(([n]) => n === '_count')?.[1];
    const count = rawCount !== undefined && /^\d{1,9}$/.test(rawCount) ? Number(rawCount) : undefined;
    const code = parsed.ok ? parsed.search.code : pairs.find(([n]) => n === 'code')?.[1];
    return {
      kind: 'fhir.search',
      facts: {
        mode: parsed.ok ? parsed.search.mode : 'invalid',
        ...(code ? { code } : {}),
        ...(count !== undefined ? { count } : {}),
        ...(diagnostics ? { diagnostics } : {}),
      },
    };
  }
  if (
    (input.method === 'GET' && path === '/fhir/DocumentReference') ||
    (input.method === 'POST' && path === '/fhir/DocumentReference/_search')
  )
    return { kind: 'documents.search', facts: {} };
  if (input.method === 'GET' && /^\/fhir\/Binary\/[^/]+$/.test(path))
    return { kind: 'documents.retrieve', facts: { resourceType: 'Binary' } };
  const read = /^\/fhir\/(Observation|Device|DocumentReference|List)\/[^/]+(\/_history(\/[^/]+)?)?$/.exec(
    path,
  );
  if (input.method === 'GET' && read) return { kind: 'fhir.read', facts: { resourceType: read[1] } };
  return { kind: 'fhir.other', facts: {} };
}

const OAUTH_KINDS: Record<string, string> = {
  authorization: 'oauth.authorize',
  token: 'oauth.token',
  revocation: 'oauth.revoke',
  introspection: 'oauth.introspect',
};

/** Installs the recorder's hooks on the app (before the modules' routes, so that they cover them all). */
export function installRecorder(app: App, ctx: AppContext): void {
  const { db } = ctx;
  const jwks = createLocalJWKSet({ keys: ctx.keys.publicJwks as never });
  const categories = measureCategories(ctx);
  const t = translator(conformanceMessages, 'en');

  /** The session client behind a /fhir call, from its bearer token (not yet trusted). */
  const trackFhir = (request: Tracked): CallState | undefined => {
    if (request[kCall] !== undefined) return request[kCall] ?? undefined;
    const path = pathOf(request);
    if (path !== '/fhir' && !path.startsWith('/fhir/')) return undefined;
    const bearer = bearerClientOf(request.headers.authorization);
    request[kCall] = bearer?.clientId.startsWith(SANDBOX_CLIENT_PREFIX) ? bearer : null;
    return request[kCall] ?? undefined;
  };

  // « Refuse the next push »: the one measures push of the session's client after the action gets 422.
  app.addHook('preHandler', async (request: Tracked, reply: FastifyReply) => {
    if (request.method !== 'POST' || pathOf(request) !== '/fhir') return;
    const state = trackFhir(request);
    if (!state) return;
    try {
      if (!(await store.refusalPending(db, state.clientId))) return;
      if (bundleKindOf(parseJsonObject(request.body)) !== 'measures') return;
      const token = await verifyServiceToken(ctx, request.headers.authorization).catch(() => undefined);
      if (token?.clientId !== state.clientId) return;
      if (!(await store.takeRefusal(db, state.clientId))) return;
      state.refusedOnRequest = true;
      const outcome = plainOutcome({
        severity: 'error',
        code: 'invalid',
        text: 'Bundle not valid.',
        diagnostics: t('conformance.refused_on_request'),
      });
      return reply
        .code(422)
        .type('application/fhir+json; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(JSON.stringify(outcome));
    } catch (error) {
      request.log.error({ err: { message: (error as Error).message } }, 'conformance: refusal check failed');
    }
  });

  // A FHIR call is recorded before its answer leaves: once the client has its answer, the session's verdicts
  // count it (a client's last call, the 401 that stops it, included).
  app.addHook('onSend', async (request: Tracked, reply, payload) => {
    const state = trackFhir(request);
    if (!state) return payload;
    try {
      // Only a token this deployment signed names a session: a forged one records nothing.
      const verified = await compactVerify(state.token, jwks).catch(() => undefined);
      if (!verified) return payload;
      const status = reply.statusCode;
      const ms = reply.elapsedTime;
      const answer =
        status >= 400 && typeof payload === 'string' && payload.length <= 65_536 ? payload : undefined;
      const { kind, facts } = fhirCallOf({
        method: request.method,
        url: urlOf(request),
        body: request.body,
        status,
        payload: answer,
        refusedOnRequest: state.refusedOnRequest,
        categories,
      });
      await store.insertCall(db, {
        clientId: state.clientId,
        at: new Date(Date.now() - ms),
        kind,
        method: request.method,
        path: pathOf(request),
        status,
        ms,
        facts,
      });
    } catch (error) {
      request.log.error({ err: { message: (error as Error).message } }, 'conformance: call not recorded');
    }
    return payload;
  });

  // A call to the authorization server is known once it answered (its facts come from the provider).
  app.addHook('onResponse', async (request: Tracked, reply) => {
    const path = pathOf(request);
    if (!path.startsWith('/oauth/')) return;
    try {
      const ms = reply.elapsedTime;
      const at = new Date(Date.now() - ms);
      const status = reply.statusCode;
      const call = oauthCallOf(request.raw);
      const kind = call && OAUTH_KINDS[call.route];
      if (!kind || !call.clientId?.startsWith(SANDBOX_CLIENT_PREFIX)) return;
      const facts: Json =
        kind === 'oauth.authorize'
          ? {
              pkce: call.pkce ?? null,
              scope: call.scope ?? '',
              redirectUriMatched: call.redirectUriMatched === true,
            }
          : kind === 'oauth.token'
            ? { grantType: call.grantType ?? '' }
            : {};
      if (call.error) facts.error = call.error;
      await store.insertCall(db, {
        clientId: call.clientId,
        at,
        kind,
        method: request.method,
        path,
        status,
        ms,
        facts,
      });
    } catch (error) {
      request.log.error({ err: { message: (error as Error).message } }, 'conformance: call not recorded');
    }
  });
}
