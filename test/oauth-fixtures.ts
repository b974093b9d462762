/**
 * Fixtures of the authorization-server tests: a published service with data exchange (through the dossier
 * module's own use cases, connection-test report included) whose OAuth client has the test's keys and
 * redirect URI, and a test client application that speaks OAuth as a publisher's would (PKCE, state, nonce,
 * private_key_jwt with jose).
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { act, addDocument, createDossier, updateRequest } from '../src/dossier/service.ts';
import {
  createStaff,
  dataExchangeRequest,
  dossierDepsOf,
  type FixtureApp,
  readyPublisher,
  type Staff,
  tinyPdf,
  walkTo,
} from './dossier-fixtures.ts';
import type { TestApp } from './helpers.ts';

export interface ClientKeys {
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function clientKeys(): Promise<ClientKeys> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = {
    ...(await exportJWK(publicKey)),
    kid: `client-${randomBytes(4).toString('hex')}`,
    alg: 'ES256',
    use: 'sig',
  };
  return { privateKey: privateKey as CryptoKey, publicJwk };
}

export interface PublishedService {
  oid: string;
  dossierId: string;
  productId: string;
  organisationId: string;
  staff: Staff;
  keys: ClientKeys;
  redirectUri: string;
}

/**
 * A data-exchange service walked to publication: its declaration names `redirectUri` and the test's public
 * key (inline JWKS), two finalités (prévention, soins) and blood pressure read and write, weight read.
 */
export async function publishExchangeService(
  app: FixtureApp,
  options: {
    name: string;
    redirectUri: string;
    staff?: Staff;
    finalites?: string[];
    /** The convention's data categories; blood pressure read and write, weight read, by default. */
    categories?: Array<{ code: string; read: boolean; write: boolean }>;
    consentText?: string;
  },
): Promise<PublishedService> {
  const deps = dossierDepsOf(app);
  const staff = options.staff ?? (await createStaff(app));
  const publisher = await readyPublisher(app, { name: options.name, dataExchange: true });
  const keys = await clientKeys();
  const base = dataExchangeRequest();
  let view = await createDossier(deps, publisher.actor, { productId: publisher.productId });
  const { jwksUri: _jwksUri, ...declaration } = base.dataExchange;
  view = await updateRequest(deps, publisher.actor, view.id, view.rowVersion, {
    ...base,
    dataExchange: {
      ...declaration,
      consentText:
        options.consentText ??
        `J’accepte que ${options.name} lise mes mesures de tension et de poids, et y ajoute mes mesures de tension, pour mon suivi.`,
      categories: options.categories ?? [
        { code: 'pression-arterielle', read: true, write: true },
        { code: 'poids', read: true, write: false },
      ],
      finalites: options.finalites ?? ['prevention', 'soins'],
      redirectUris: [options.redirectUri],
      jwks: JSON.stringify({ keys: [keys.publicJwk] }),
    },
  });
  for (const kind of ['cgu', 'privacy', 'dpia']) {
    view = await addDocument(deps, publisher.actor, view.id, view.rowVersion, kind as 'cgu', {
      name: `${kind}.pdf`,
      bytes: tinyPdf(kind),
    });
  }
  // Through the connection tests: `walkTo` files a passing report signed by this deployment.
  view = await walkTo(app, staff, publisher, view, 'published');
  if (view.state !== 'published' || !view.oid) throw new Error(`not published: ${view.state}`);
  return {
    oid: view.oid,
    dossierId: view.id,
    productId: publisher.productId,
    organisationId: publisher.organisationId,
    staff,
    keys,
    redirectUri: options.redirectUri,
  };
}

/** Suspends a published service through the dossier module (catalogue status SUSPENDUE). */
export async function suspendService(app: FixtureApp, service: PublishedService): Promise<void> {
  const deps = dossierDepsOf(app);
  const row = await app.db
    .selectFrom('dossiers')
    .select('row_version')
    .where('id', '=', service.dossierId)
    .executeTakeFirstOrThrow();
  await act(deps, service.staff.instructeur, service.dossierId, row.row_version, {
    type: 'suspend',
    reasons: 'Fuite de données signalée.',
  });
}

// ── the test client application ─────────────────────────────────────────────

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const randomValue = () => randomBytes(16).toString('base64url');

/** How the client reaches mesref: `fetch` for a listening server, or `app.inject` wrapped alike. */
export type Transport = (
  path: string,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
) => Promise<{ status: number; json(): Record<string, unknown>; headers: Record<string, string> }>;

export function fetchTransport(baseUrl: string): Transport {
  return async (path, init) => {
    const res = await fetch(`${baseUrl}${path}`, { ...init, redirect: 'manual' });
    const text = await res.text();
    return {
      status: res.status,
      json: () => JSON.parse(text),
      headers: Object.fromEntries(res.headers.entries()),
    };
  };
}

/** A transport through `app.inject` (no socket), every request with the test's Host. */
export function injectTransport(t: Pick<TestApp, 'inject'>, host: string): Transport {
  return async (path, init) => {
    const res = await t.inject({
      method: init.method,
      url: path,
      headers: { host, ...init.headers },
      ...(init.body ? { payload: init.body } : {}),
    });
    return {
      status: res.statusCode,
      json: () => res.json(),
      headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
    };
  };
}

export interface TokenSet {
  [key: string]: unknown;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

/** A publisher's client application: authorization URL, code exchange, refresh, introspection, revocation. */
export class TestServiceClient {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly issuer: string;
  readonly keys: ClientKeys;
  readonly transport: Transport;

  constructor(options: { service: PublishedService; issuer: string; transport: Transport }) {
    this.clientId = options.service.oid;
    this.redirectUri = options.service.redirectUri;
    this.issuer = options.issuer;
    this.keys = options.service.keys;
    this.transport = options.transport;
  }

  /** The authorization request's path (under the issuer), with PKCE S256, state and nonce. */
  authorizationPath(params: {
    scope: string;
    state: string;
    nonce?: string;
    challenge?: string;
    method?: string;
    redirectUri?: string;
    extra?: Record<string, string>;
  }): string {
    const query = new URLSearchParams({
      client_id: this.clientId,
      response_type: 'code',
      redirect_uri: params.redirectUri ?? this.redirectUri,
      scope: params.scope,
      state: params.state,
      // OpenID Connect keeps offline_access only with prompt=consent (mesref always asks anyway).
      prompt: 'consent',
      ...(params.nonce ? { nonce: params.nonce } : {}),
      ...(params.challenge ? { code_challenge: params.challenge } : {}),
      ...(params.challenge ? { code_challenge_method: params.method ?? 'S256' } : {}),
      ...params.extra,
    });
    return `/oauth/auth?${query}`;
  }

  /** private_key_jwt (RFC 7523): a short-lived assertion signed with the service's key. */
  async assertion(): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: this.keys.publicJwk.kid as string })
      .setIssuer(this.clientId)
      .setSubject(this.clientId)
      .setAudience(this.issuer)
      .setJti(randomValue())
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(this.keys.privateKey);
  }

  private async post(path: string, params: Record<string, string>) {
    const body = new URLSearchParams({
      ...params,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await this.assertion(),
    });
    return this.transport(`/oauth${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
    });
  }

  exchange(code: string, verifier: string, redirectUri = this.redirectUri) {
    return this.post('/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
  }

  refresh(refreshToken: string) {
    return this.post('/token', { grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  introspect(token: string) {
    return this.post('/token/introspection', { token });
  }

  revoke(token: string) {
    return this.post('/token/revocation', { token });
  }

  /** Verifies a token signed by the authorization server against its JWKS, as a client would. */
  async verify(token: string, options: { audience: string; typ?: string }): Promise<JWTPayload> {
    const jwks = (await this.transport('/oauth/jwks', { method: 'GET' })).json() as { keys: JWK[] };
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as never), {
      issuer: this.issuer,
      audience: options.audience,
      ...(options.typ ? { typ: options.typ } : {}),
    });
    return payload;
  }
}

/** Cookies across `inject` calls, as a browser keeps them (paths are not told apart: one site). */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  take(setCookie: string | string[] | undefined) {
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  get(extra: Record<string, string> = {}): Record<string, string> {
    return { ...Object.fromEntries(this.cookies), ...extra };
  }
}

/** The path and query of a redirect's Location, whatever its origin. */
export const pathAt = (location: string, base: string): string => {
  const url = new URL(location, base);
  return `${url.pathname}${url.search}`;
};
