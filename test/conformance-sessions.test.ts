import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { sql } from 'kysely';
import { runConformanceStatus } from '../src/conformance/cli.ts';
import { loadPlans } from '../src/conformance/plans.ts';
import { verifyTestReport } from '../src/conformance/report.ts';
import { createProduct } from '../src/product/index.ts';
import { publisherActor } from './dossier-fixtures.ts';
import {
  CSRF,
  createAccount,
  createCitizen,
  createOrganisation,
  sessionCookie,
  startTestApp,
  type TestApp,
  tempDir,
} from './helpers.ts';
import {
  HOST,
  issuesOf,
  measure,
  PUBLIC_URL,
  push,
  pushBundle,
  read,
  type Who,
} from './measures-fixtures.ts';
import {
  type ClientKeys,
  clientKeys,
  injectTransport,
  pkcePair,
  randomValue,
  TestServiceClient,
  type TokenSet,
} from './oauth-fixtures.ts';

type Json = Record<string, unknown>;

const REDIRECT_URI = 'http://127.0.0.1:4997/app/callback';
const SCOPE =
  'openid offline_access pression-arterielle.read pression-arterielle.write poids.read poids.write';
const CATEGORIES = [
  { code: 'pression-arterielle', read: true, write: true },
  { code: 'poids', read: true, write: true },
];

/** An organisation, a member (mandataire) with a session cookie, and a service with data exchange. */
async function publisher(t: TestApp, name: string) {
  const organisationId = await createOrganisation(t.db, `${name} SAS`);
  const account = await createAccount(t.db, { organisation: { id: organisationId, role: 'mandataire' } });
  const product = await createProduct(
    { db: t.db, config: t.config },
    publisherActor(account.accountId, organisationId),
    organisationId,
    {
      commercialName: name,
      os: 'ios',
      device: 'mobile',
      version: '2.1.0',
      description: 'Service de test des tests d’accrochage.',
      urls: {
        web: 'https://exemple.test',
        cgu: 'https://exemple.test/cgu',
        privacy: 'https://exemple.test/p',
      },
      thematics: ['prevention'],
      regions: [],
      audience: ['tout-public'],
      economicModel: 'gratuit',
      medicalDevice: false,
      medicalDeviceClass: '',
      dataExchange: true,
    },
  );
  const cookies = await sessionCookie(t.db, { accountId: account.accountId });
  return { organisationId, accountId: account.accountId, productId: product.id, cookies };
}

type Cookies = Record<string, string>;

const api = (t: TestApp, cookies: Cookies, method: 'GET' | 'POST', url: string, payload?: Json) =>
  t.inject({
    method,
    url,
    headers: { host: HOST, 'x-csrf-token': CSRF, accept: 'application/json' },
    cookies,
    ...(payload ? { payload } : {}),
  });

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('connection-test sessions', () => {
  let t: TestApp;
  let pub: Awaited<ReturnType<typeof publisher>>;
  let keys: ClientKeys;
  let session: Json;
  let client: TestServiceClient;
  let tokens: TokenSet;
  let who: Who;
  const base = (id = String(session.id)) => `/api/v1/conformance/sessions/${id}`;

  let seen = 0;
  /**
   * The session's recorded calls once `more` new ones are there: a call is recorded after its answer is sent
   * (the recorder never delays it), so the test waits for it as a page polling the session would.
   */
  const calls = async (more = 0, id = String(session.id)): Promise<Json[]> => {
    for (let attempt = 0; ; attempt++) {
      const res = await api(t, pub.cookies, 'GET', `${base(id)}/calls`);
      assert.equal(res.statusCode, 200, res.body);
      const items = res.json().items as Json[];
      if (items.length >= seen + more || attempt === 100) {
        if (id === session.id) seen = items.length;
        return items;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const lastCall = async () => (await calls(1)).at(-1) as Json;
  const testStatus = async (testId: string) => {
    const res = await api(t, pub.cookies, 'GET', base());
    const plans = res.json().plans as Array<{ tests: Array<{ testId: string; status: string }> }>;
    return plans.flatMap((p) => p.tests).find((x) => x.testId === testId)?.status;
  };
  const authorize = async (citizen: string, challenge: string, decision = 'autoriser') => {
    const authorizationUrl = `${PUBLIC_URL}${client.authorizationPath({
      scope: SCOPE,
      state: randomValue(),
      nonce: randomValue(),
      challenge,
    })}`;
    return api(t, pub.cookies, 'POST', `${base()}/authorize`, { authorizationUrl, citizen, decision });
  };

  before(async () => {
    t = await startTestApp({ MESREF_PUBLIC_URL: PUBLIC_URL });
    pub = await publisher(t, 'Tension Facile');
    keys = await clientKeys();
  });
  after(() => t?.stop());

  it('opens a session: test OID, sandbox client with the JWKS given, test citizens, plans', async () => {
    const res = await api(t, pub.cookies, 'POST', '/api/v1/conformance/sessions', {
      productId: pub.productId,
      finalites: ['prevention', 'soins'],
      categories: CATEGORIES,
      redirectUris: [REDIRECT_URI],
      jwks: { keys: [keys.publicJwk] },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    session = res.json();
    assert.match(String(session.clientId), /^sandbox-[0-9a-f]{12}$/);
    assert.ok(String(session.oid).startsWith(`${t.config.oidRoot}.99.`), String(session.oid));
    assert.equal(session.clientSecret, undefined);
    assert.equal(session.tokenEndpointAuthMethod, 'private_key_jwt');
    assert.deepEqual(session.planIds, ['pairing', 'mesures']);
    assert.deepEqual(
      (session.testCitizens as Json[]).map((c) => c.sub),
      ['test-marie-lefevre', 'test-karim-benali'],
    );
    assert.equal(session.issuer, `${PUBLIC_URL}/oauth`);
    assert.equal(session.fhirBase, `${PUBLIC_URL}/fhir`);
    const plans = session.plans as Array<{ status: string }>;
    assert.ok(plans.every((p) => p.status === 'not_run'));
    client = new TestServiceClient({
      service: {
        oid: String(session.clientId),
        keys,
        redirectUri: REDIRECT_URI,
        dossierId: '',
        productId: pub.productId,
        organisationId: pub.organisationId,
        staff: undefined as never,
      },
      issuer: `${PUBLIC_URL}/oauth`,
      transport: injectTransport(t, HOST),
    });
    who = { idPe: '', oid: String(session.oid), idPeSystem: `urn:oid:${t.config.oidRoot}.0` };
  });

  it('gives a client secret once when no JWKS is given, and refuses a redirect URI the sandbox does not allow', async () => {
    const refused = await api(t, pub.cookies, 'POST', '/api/v1/conformance/sessions', {
      productId: pub.productId,
      finalites: ['prevention'],
      categories: CATEGORIES,
      redirectUris: ['http://exemple.test/callback'],
    });
    assert.equal(refused.statusCode, 422, refused.body);
    assert.ok(refused.json().error.fields.redirectUris);
    const res = await api(t, pub.cookies, 'POST', '/api/v1/conformance/sessions', {
      productId: pub.productId,
      finalites: ['prevention'],
      categories: [{ code: 'documents', read: true, write: true }],
      redirectUris: [REDIRECT_URI],
    });
    assert.equal(res.statusCode, 201, res.body);
    const opened = res.json();
    assert.equal(typeof opened.clientSecret, 'string');
    assert.ok(opened.clientSecret.length >= 32);
    assert.equal(opened.tokenEndpointAuthMethod, 'client_secret_basic');
    assert.deepEqual(opened.planIds, ['pairing', 'documents']);
    const again = await api(t, pub.cookies, 'GET', base(opened.id));
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().clientSecret, undefined);
    assert.ok(!again.body.includes(opened.clientSecret));
    // The secret works at the token endpoint (a bad code, but the client is authenticated: invalid_grant).
    const basic = Buffer.from(`${opened.clientId}:${opened.clientSecret}`).toString('base64');
    const token = await t.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: {
        host: HOST,
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'nope',
        redirect_uri: REDIRECT_URI,
        code_verifier: 'x'.repeat(43),
      }).toString(),
    });
    assert.equal(token.json().error, 'invalid_grant', token.body);
    const items = await (async () => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const res = await api(t, pub.cookies, 'GET', `${base(opened.id)}/calls`);
        if ((res.json().items as Json[]).length > 0) return res;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('the token call was not recorded');
    })();
    const recorded = items;
    const [call] = recorded.json().items as Json[];
    assert.equal(call.kind, 'oauth.token');
    assert.deepEqual(call.facts, { grantType: 'authorization_code', error: 'invalid_grant' });
    assert.ok(!recorded.body.includes(opened.clientSecret));
  });

  it('pairs a test citizen through the authorize API; the app exchanges the code itself', async () => {
    const { verifier, challenge } = pkcePair();
    const res = await authorize('test-marie-lefevre', challenge);
    assert.equal(res.statusCode, 200, res.body);
    const redirectTo = new URL(res.json().redirectTo);
    assert.equal(`${redirectTo.origin}${redirectTo.pathname}`, REDIRECT_URI);
    const code = redirectTo.searchParams.get('code');
    assert.ok(code, redirectTo.href);
    const exchanged = await client.exchange(code, verifier);
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.json()));
    tokens = exchanged.json() as TokenSet;
    const claims = await client.verify(tokens.access_token, {
      audience: `${PUBLIC_URL}/fhir`,
      typ: 'at+jwt',
    });
    assert.equal(claims[t.config.oauth.oidClaim], session.oid, 'the token names the test service’s OID');
    who = { ...who, idPe: String(claims.sub) };
    await calls(2);
    assert.equal(await testStatus('pairing.authorize-pkce'), 'passed');
  });

  it('a citizen who refuses: the app gets access_denied at its redirect URI', async () => {
    const res = await authorize('test-karim-benali', pkcePair().challenge, 'refuser');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(new URL(res.json().redirectTo).searchParams.get('error'), 'access_denied');
    await calls(1);
  });

  it('records the push and the search with their kinds and facts, never a token, code or body', async () => {
    const bundle = JSON.stringify(pushBundle(measure('bp', who)));
    const pushed = await push(t, tokens.access_token, bundle);
    assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
    const search = await read(
      t,
      tokens.access_token,
      `/fhir/Observation?subject.identifier=${encodeURIComponent(`${who.idPeSystem}|${who.idPe}`)}&code=85354-9&_sort=-date&_count=1`,
    );
    assert.equal(search.status, 200, JSON.stringify(search.body));
    const all = await read(
      t,
      tokens.access_token,
      `/fhir/Observation?subject.identifier=${encodeURIComponent(`${who.idPeSystem}|${who.idPe}`)}&code=85354-9&_count=500`,
    );
    assert.equal(all.status, 400);
    await calls(3);
    seen = 0;
    const recorded = await calls();
    const kinds = recorded.map((c) => c.kind);
    assert.deepEqual(kinds, [
      'oauth.authorize',
      'oauth.token',
      'oauth.authorize',
      'fhir.push',
      'fhir.search',
      'fhir.search',
    ]);
    const [authorizeCall, tokenCall, , pushCall, lastSearch, tooMany] = recorded;
    assert.deepEqual(authorizeCall.facts, { pkce: 'S256', scope: SCOPE, redirectUriMatched: true });
    assert.equal(authorizeCall.method, 'GET');
    assert.equal(authorizeCall.path, '/oauth/auth');
    assert.deepEqual(tokenCall.facts, { grantType: 'authorization_code' });
    assert.equal(tokenCall.status, 200);
    assert.deepEqual(pushCall.facts, {
      category: 'pression-arterielle',
      code: '85354-9',
      bodySha256: sha256(bundle),
      outcome: 'accepted',
    });
    assert.equal(pushCall.status, 200);
    assert.equal(typeof pushCall.ms, 'number');
    assert.deepEqual(lastSearch.facts, { mode: 'last', code: '85354-9', count: 1 });
    assert.equal(lastSearch.path, '/fhir/Observation');
    assert.equal(tooMany.status, 400);
    assert.equal((tooMany.facts as Json).mode, 'invalid');
    assert.equal((tooMany.facts as Json).count, 500);
    const text = JSON.stringify(recorded);
    for (const secret of [tokens.access_token, tokens.refresh_token ?? 'none', who.idPe, '120'])
      assert.ok(!text.includes(secret === '120' ? '"valueQuantity"' : secret), 'no token, idPe or body');
    assert.equal(await testStatus('mesures.read-last'), 'passed');
    assert.equal(await testStatus('mesures.count-limits'), 'failed');
  });

  it('a refresh is recorded and passes pairing.refresh', async () => {
    const refreshed = await client.refresh(String(tokens.refresh_token));
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.json()));
    tokens = refreshed.json() as TokenSet;
    const call = await lastCall();
    assert.equal(call.kind, 'oauth.token');
    assert.deepEqual(call.facts, { grantType: 'refresh_token' });
    assert.equal(await testStatus('pairing.refresh'), 'passed');
  });

  it('refuse-next-push: that one push is answered 422 « Bundle not valid. », nothing stored, the next one passes', async () => {
    const action = await api(t, pub.cookies, 'POST', `${base()}/actions`, { action: 'refuse-next-push' });
    assert.equal(action.statusCode, 201, action.body);
    assert.equal(action.json().action, 'refuse-next-push');
    const count = async () =>
      Number(
        (
          await t.db
            .selectFrom('fhir_observations')
            .select(sql<number>`count(*)`.as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const bundle = JSON.stringify(pushBundle(measure('bp', who, '2026-11-21T08:15:00+01:00', 131)));
    const refused = await push(t, tokens.access_token, bundle);
    assert.equal(refused.status, 422);
    assert.equal(refused.body.resourceType, 'OperationOutcome');
    const [issue] = issuesOf(refused.body);
    assert.equal(issue.text, 'Bundle not valid.');
    assert.match(String(issue.diagnostics), /refused this push on request/);
    assert.equal(await count(), before, 'nothing stored');
    const call = await lastCall();
    assert.equal(call.kind, 'fhir.push');
    assert.equal(call.status, 422);
    assert.equal((call.facts as Json).outcome, 'refused');
    assert.equal((call.facts as Json).refusedOnRequest, true);
    assert.equal((call.facts as Json).bodySha256, sha256(bundle));
    const other = JSON.stringify(pushBundle(measure('bp', who, '2026-11-21T08:16:00+01:00', 132)));
    assert.equal((await push(t, tokens.access_token, other)).status, 200);
    await calls(1);
    assert.equal(await count(), before + 1);
    assert.equal(await testStatus('mesures.no-blind-retry'), 'passed');
  });

  it('withdraw-consent of a category: its next push is 403, the other category still writes', async () => {
    const action = await api(t, pub.cookies, 'POST', `${base()}/actions`, {
      action: 'withdraw-consent',
      citizen: 'test-marie-lefevre',
      category: 'pression-arterielle',
    });
    assert.equal(action.statusCode, 201, action.body);
    assert.deepEqual(action.json().detail, {
      citizen: 'test-marie-lefevre',
      category: 'pression-arterielle',
      consentAction: 'write',
    });
    const bp = await push(
      t,
      tokens.access_token,
      pushBundle(measure('bp', who, '2026-11-22T08:15:00+01:00')),
    );
    assert.equal(bp.status, 403, JSON.stringify(bp.body));
    assert.equal(((await lastCall()).facts as Json).outcome, 'refused');
    const weight = await push(t, tokens.access_token, pushBundle(measure('weight', who)));
    assert.equal(weight.status, 200, JSON.stringify(weight.body));
    await calls(1);
    assert.equal(await testStatus('mesures.consent-withdrawn'), 'passed');
    assert.equal(await testStatus('mesures.push-valid'), 'passed');
  });

  it('unpair: the next call is 401 and the pairing test passes when the app stops', async () => {
    const action = await api(t, pub.cookies, 'POST', `${base()}/actions`, {
      action: 'unpair',
      citizen: 'test-marie-lefevre',
    });
    assert.equal(action.statusCode, 201, action.body);
    const after = await read(
      t,
      tokens.access_token,
      `/fhir/Observation?subject.identifier=${encodeURIComponent(`${who.idPeSystem}|${who.idPe}`)}&code=29463-7&_sort=-date&_count=1`,
    );
    assert.equal(after.status, 401);
    assert.equal((await lastCall()).status, 401);
    assert.equal(await testStatus('pairing.withdrawal-stops'), 'passed');
    const again = await api(t, pub.cookies, 'POST', `${base()}/actions`, {
      action: 'unpair',
      citizen: 'test-marie-lefevre',
    });
    assert.equal(again.statusCode, 409, 'no active pairing left');
  });

  it('a forged token naming the session’s client is not recorded', async () => {
    const before = (await calls()).length;
    const forged = `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ client_id: session.clientId })).toString('base64url')}.eA`;
    const res = await push(t, forged, pushBundle(measure('bp', who)));
    assert.equal(res.status, 401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await calls()).length, before);
  });

  it('the signed report, the HTML and PDF reports, and mesref conformance status', async () => {
    const json = await api(t, pub.cookies, 'GET', `${base()}/report.json`);
    assert.equal(json.statusCode, 200, json.body);
    const { jws, report } = json.json();
    const verified = await verifyTestReport(jws, t.keys.publicJwks as never);
    assert.deepEqual(verified, report);
    assert.equal(report.subject.productName, 'Tension Facile');
    assert.equal(report.session.clientId, session.clientId);
    const html = await t.inject({
      method: 'GET',
      url: `${base()}/report.html`,
      headers: { host: HOST },
      cookies: pub.cookies,
    });
    assert.equal(html.statusCode, 200, html.body.slice(0, 500));
    assert.match(String(html.headers['content-type']), /text\/html/);
    const pdf = await t.inject({
      method: 'GET',
      url: `${base()}/report.pdf`,
      headers: { host: HOST },
      cookies: pub.cookies,
    });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) };
    const deps = { db: t.db, config: t.config, referentials: t.referentials, plans: loadPlans() };
    const code = await runConformanceStatus([String(session.id)], io, deps);
    assert.equal(code, report.passed ? 0 : 1, err.join(''));
    assert.match(out.join(''), /pairing\.authorize-pkce : réussi/);
    assert.match(out.join(''), /mesures\.count-limits : échoué/);
    assert.equal(await runConformanceStatus(['00000000-0000-4000-8000-000000000000'], io, deps), 2);
    assert.equal(
      await runConformanceStatus([String(session.id)], io, { ...deps, config: { mode: 'production' } }),
      2,
    );
  });

  it('closing revokes the client: calls are refused and no longer recorded', async () => {
    const closed = await api(t, pub.cookies, 'POST', `${base()}/close`);
    assert.equal(closed.statusCode, 200, closed.body);
    assert.equal(closed.json().status, 'closed');
    const before = (await calls()).length;
    const refreshed = await client.refresh(String(tokens.refresh_token));
    assert.equal(refreshed.status, 401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await calls()).length, before);
    const action = await api(t, pub.cookies, 'POST', `${base()}/actions`, { action: 'refuse-next-push' });
    assert.equal(action.statusCode, 409);
  });

  describe('authorization on every route', () => {
    let outsider: Cookies;
    let citizen: Cookies;
    const routes = (): Array<[method: 'GET' | 'POST', url: string, body?: Json]> => [
      ['GET', base()],
      ['GET', `${base()}/calls`],
      [
        'POST',
        `${base()}/authorize`,
        { authorizationUrl: `${PUBLIC_URL}/oauth/auth`, citizen: 'test-karim-benali', decision: 'autoriser' },
      ],
      ['POST', `${base()}/actions`, { action: 'refuse-next-push' }],
      ['POST', `${base()}/close`],
      ['GET', `${base()}/report.json`],
      ['GET', `${base()}/report.html`],
      ['GET', `${base()}/report.pdf`],
      [
        'POST',
        '/api/v1/conformance/sessions',
        {
          productId: pub.productId,
          finalites: ['prevention'],
          categories: CATEGORIES,
          redirectUris: [REDIRECT_URI],
        },
      ],
    ];

    before(async () => {
      const other = await publisher(t, 'Autre Service');
      outsider = other.cookies;
      citizen = await sessionCookie(t.db, { citizenId: await createCitizen(t.db) });
    });

    it('another organisation’s member gets 404 on each route, and sees none of its sessions', async () => {
      for (const [method, url, body] of routes()) {
        const res = await api(t, outsider, method, url, body);
        assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
      }
      const list = await api(t, outsider, 'GET', '/api/v1/conformance/sessions');
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json().items, []);
    });

    it('a citizen gets 403 on each route', async () => {
      for (const [method, url, body] of [
        ...routes(),
        ['GET', '/api/v1/conformance/sessions'] as ['GET', string],
      ]) {
        const res = await api(t, citizen, method, url, body);
        assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
      }
    });

    it('a production deployment answers 404 on each route and records nothing', async () => {
      const dir = tempDir();
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const keysFile = join(dir.path, 'keys.json');
      writeFileSync(
        keysFile,
        JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: 'p1', alg: 'ES256' }] }),
      );
      const prod = await startTestApp({
        MESREF_MODE: 'production',
        MESREF_PUBLIC_URL: 'https://mesref.exemple.fr',
        SMTP_URL: 'smtp://127.0.0.1:1',
        MESREF_CITIZEN_OIDC_ISSUER: 'https://idp.exemple.fr',
        MESREF_CITIZEN_OIDC_CLIENT_ID: 'mesref',
        MESREF_CITIZEN_OIDC_CLIENT_SECRET: 'secret',
        MESREF_SIGNING_KEYS_FILE: keysFile,
        MESREF_OID_ROOT: '1.2.250.1.999.1',
        MESREF_DEMO_DATA: 'false',
      });
      try {
        const member = await publisher(prod, 'Service Production');
        const list = await prod.inject({
          method: 'GET',
          url: '/api/v1/conformance/sessions',
          headers: { accept: 'application/json', 'x-csrf-token': CSRF },
          cookies: member.cookies,
        });
        assert.equal(list.statusCode, 404);
        for (const [method, url, body] of routes()) {
          const res = await prod.inject({
            method,
            url,
            headers: { accept: 'application/json', 'x-csrf-token': CSRF },
            cookies: member.cookies,
            ...(body ? { payload: { ...body, productId: member.productId } } : {}),
          });
          assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
        }
        // Sandbox and production each have their keys and issuer: a token of one is refused by the other.
        const sandboxToken = await prod.inject({
          method: 'GET',
          url: '/fhir/Observation?code=29463-7',
          headers: { authorization: `Bearer ${tokens.access_token}` },
        });
        assert.equal(sandboxToken.statusCode, 401);
        const productionToken = await new SignJWT({
          client_id: String(session.clientId),
          scope: 'poids.write',
          grant: 'g',
        })
          .setProtectedHeader({ alg: 'ES256', kid: 'p1', typ: 'at+jwt' })
          .setIssuer('https://mesref.exemple.fr/oauth')
          .setAudience('https://mesref.exemple.fr/fhir')
          .setSubject(who.idPe)
          .setJti('j1')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
        const refused = await t.inject({
          method: 'GET',
          url: '/fhir/Observation?code=29463-7',
          headers: { authorization: `Bearer ${productionToken}` },
        });
        assert.equal(refused.statusCode, 401);
      } finally {
        await prod.stop();
        dir.remove();
      }
    });
  });
});
