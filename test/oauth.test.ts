import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { pairingByIdPe, unpair } from '../src/consent/index.ts';
import type { Actor } from '../src/identity/model.ts';
import { clientSecretOf, providerMetadataOf } from '../src/oauth/clients.ts';
import {
  findServiceClient,
  issueClientSecret,
  redirectUriAllowed,
  verifyServiceToken,
} from '../src/oauth/index.ts';
import { createStaff, type Staff } from './dossier-fixtures.ts';
import { CSRF, createCitizen, sessionCookie, startTestApp, type TestApp } from './helpers.ts';
import {
  CookieJar,
  injectTransport,
  type PublishedService,
  pathAt,
  pkcePair,
  publishExchangeService,
  randomValue,
  suspendService,
  TestServiceClient,
  type TokenSet,
} from './oauth-fixtures.ts';

const PUBLIC_URL = 'http://127.0.0.1:4999';
const ISSUER = `${PUBLIC_URL}/oauth`;
const FHIR = `${PUBLIC_URL}/fhir`;
const HOST = '127.0.0.1:4999';

const pathOf = (location: string) => pathAt(location, PUBLIC_URL);

describe('oauth: the authorization server of referenced services', () => {
  let t: TestApp;
  let staff: Staff;
  let service: PublishedService;
  let client: TestServiceClient;
  let citizenId: string;
  let citizenCookies: Record<string, string>;

  before(async () => {
    t = await startTestApp({ MESREF_PUBLIC_URL: PUBLIC_URL });
    staff = await createStaff(t);
    service = await publishExchangeService(t, {
      name: 'Tension Connect',
      redirectUri: 'http://127.0.0.1:4999/client/callback',
      staff,
    });
    client = new TestServiceClient({ service, issuer: ISSUER, transport: injectTransport(t, HOST) });
    citizenId = await createCitizen(t.db, 'Claire', 'Martin');
    citizenCookies = await sessionCookie(t.db, { citizenId });
  });
  after(() => t.stop());

  const get = (url: string, cookies: Record<string, string>) =>
    t.inject({ method: 'GET', url, headers: { host: HOST }, cookies });

  /**
   * The whole authorization as the citizen's browser does it: authorization request, consent page, the
   * choices posted, back to the client's redirect URI. Returns where the browser was sent, and the request's
   * PKCE verifier, state and nonce.
   */
  async function authorize(
    options: {
      scope?: string;
      finalites?: string[];
      decision?: 'autoriser' | 'refuser';
      cookies?: Record<string, string>;
      extra?: Record<string, string>;
      pour?: string;
      tc?: TestServiceClient;
    } = {},
  ) {
    const tc = options.tc ?? client;
    const jar = new CookieJar();
    const { verifier, challenge } = pkcePair();
    const state = randomValue();
    const nonce = randomValue();
    const start = await get(
      tc.authorizationPath({
        scope: options.scope ?? 'openid offline_access pression-arterielle.read pression-arterielle.write',
        state,
        nonce,
        challenge,
        extra: options.extra,
      }),
      {},
    );
    assert.equal(start.statusCode, 303, start.body);
    jar.take(start.headers['set-cookie']);
    const interaction = pathOf(String(start.headers.location));
    assert.match(interaction, /^\/appariement\/[\w-]+$/);
    const cookies = options.cookies ?? citizenCookies;
    const page = await get(
      options.pour ? `${interaction}?pour=${options.pour}` : interaction,
      jar.get(cookies),
    );
    assert.equal(page.statusCode, 200, page.body);
    const pour = /name="pour" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const form = new URLSearchParams({ _csrf: CSRF, pour, decision: options.decision ?? 'autoriser' });
    for (const f of options.finalites ?? ['prevention']) form.append('finalites', f);
    const posted = await t.inject({
      method: 'POST',
      url: interaction,
      headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded' },
      cookies: jar.get(cookies),
      payload: form.toString(),
    });
    assert.equal(posted.statusCode, 303, posted.body);
    jar.take(posted.headers['set-cookie']);
    const resumed = await get(pathOf(String(posted.headers.location)), jar.get());
    assert.equal(resumed.statusCode, 303, resumed.body);
    const back = new URL(String(resumed.headers.location));
    return { back, verifier, state, nonce, page: page.body };
  }

  async function tokens(options: Parameters<typeof authorize>[0] = {}) {
    const flow = await authorize(options);
    const code = flow.back.searchParams.get('code');
    assert.ok(code, flow.back.href);
    const res = await (options.tc ?? client).exchange(code, flow.verifier);
    assert.equal(res.status, 200, JSON.stringify(res.json()));
    return { ...flow, code, tokens: res.json() as TokenSet };
  }

  const pairingApi = (accessToken: string) =>
    t.inject({
      method: 'GET',
      url: '/api/v1/appariement',
      headers: { authorization: `Bearer ${accessToken}` },
    });

  it('publishes discovery, the JWKS and the SMART configuration, with PKCE S256 only', async () => {
    const discovery = (await get('/oauth/.well-known/openid-configuration', {})).json();
    assert.equal(discovery.issuer, ISSUER);
    assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(discovery.response_types_supported, ['code']);
    assert.deepEqual(discovery.grant_types_supported, ['authorization_code', 'refresh_token']);
    assert.ok(discovery.introspection_endpoint.endsWith('/oauth/token/introspection'));
    assert.ok(discovery.revocation_endpoint.endsWith('/oauth/token/revocation'));
    assert.deepEqual(discovery.scopes_supported, ['openid', 'offline_access']);
    const jwks = (await get('/oauth/jwks', {})).json();
    assert.ok(jwks.keys.length >= 1 && jwks.keys.every((k: Record<string, unknown>) => !('d' in k)));
    const smart = await get('/fhir/.well-known/smart-configuration', {});
    assert.equal(smart.statusCode, 200);
    const conf = smart.json();
    assert.equal(conf.issuer, ISSUER);
    assert.equal(conf.token_endpoint, `${ISSUER}/token`);
    assert.deepEqual(conf.code_challenge_methods_supported, ['S256']);
    assert.ok(conf.capabilities.includes('client-confidential-asymmetric'));
    assert.ok(!conf.capabilities.includes('permission-v2'));
    assert.ok(conf.scopes_supported.includes('poids.read'));
  });

  it('pairs through the consent page and issues RFC 9068 access tokens and an ID token naming the idPe and OID', async () => {
    const flow = await tokens({
      scope: 'openid offline_access pression-arterielle.read pression-arterielle.write poids.read',
      finalites: ['prevention', 'soins'],
      extra: { service_user_id: 'patient-42' },
    });
    // The consent page showed the service, its information text, the finalités and what each covers.
    assert.match(flow.page, /Tension Connect/);
    assert.match(flow.page, /lise mes mesures de tension et de poids/);
    assert.match(flow.page, /Prévention/);
    assert.match(flow.page, /Soins/);
    assert.match(flow.page, /Autoriser/);
    assert.match(flow.page, /Refuser/);
    assert.equal(flow.back.searchParams.get('state'), flow.state);
    assert.equal(flow.back.searchParams.get('iss'), ISSUER);
    assert.equal(`${flow.back.origin}${flow.back.pathname}`, service.redirectUri);
    const { tokens: set } = flow;
    assert.equal(set.token_type, 'Bearer');
    assert.ok(set.refresh_token, 'offline_access gives a refresh token');
    assert.equal(decodeProtectedHeader(set.access_token).typ, 'at+jwt');
    const at = await client.verify(set.access_token, { audience: FHIR, typ: 'at+jwt' });
    const pairing = await pairingByIdPe(t.db, at.sub as string);
    assert.ok(pairing, 'sub is the idPe of a pairing');
    assert.equal(pairing.citizenId, citizenId);
    assert.equal(pairing.serviceOid, service.oid);
    assert.equal(pairing.serviceUserId, 'patient-42');
    assert.notEqual(at.sub, citizenId);
    assert.equal(at.client_id, service.oid);
    assert.equal(at.service_oid, service.oid);
    assert.deepEqual(String(at.scope).split(' ').sort(), [
      'poids.read',
      'pression-arterielle.read',
      'pression-arterielle.write',
    ]);
    // The ID token: same idPe and OID, and the nonce the client sent (the client checks it).
    assert.ok(set.id_token);
    const id = await client.verify(set.id_token, { audience: service.oid });
    assert.equal(id.sub, at.sub);
    assert.equal(id.service_oid, service.oid);
    assert.equal(id.nonce, flow.nonce);
    // The pairing API tells the service what it may do.
    const api = await pairingApi(set.access_token);
    assert.equal(api.statusCode, 200, api.body);
    const body = api.json();
    assert.equal(body.idPe, at.sub);
    assert.equal(body.status, 'active');
    assert.equal(body.serviceUserId, 'patient-42');
    assert.deepEqual(
      body.consents
        .map((c: { finalite: string; category: string; action: string }) =>
          [c.finalite, c.category, c.action].join(' '),
        )
        .sort(),
      [
        'prevention poids read',
        'prevention pression-arterielle read',
        'prevention pression-arterielle write',
        'soins poids read',
        'soins pression-arterielle read',
        'soins pression-arterielle write',
      ],
    );
    const verified = await verifyServiceToken(t, `Bearer ${set.access_token}`);
    assert.equal(verified.idPe, at.sub);
    assert.equal(verified.pairingId, pairing.id);
    await assert.rejects(
      verifyServiceToken(t, `Bearer ${set.access_token}`, { expectedIdPe: 'someone-else' }),
      (e: Error & { status?: number }) => e.status === 403 && e.message === 'oauth.error.idpe_mismatch',
    );
  });

  it('grants only what the citizen ticked and the convention allows', async () => {
    const { tokens: set } = await tokens({
      // documents.read is not in the convention: never offered, never granted.
      scope: 'openid pression-arterielle.read documents.read',
      finalites: ['soins'],
    });
    const at = await client.verify(set.access_token, { audience: FHIR });
    assert.equal(at.scope, 'pression-arterielle.read');
    assert.equal(set.refresh_token, undefined, 'no offline_access, no refresh token');
  });

  it('refuses a consent without any finalité ticked, and says why', async () => {
    const jar = new CookieJar();
    const { challenge } = pkcePair();
    const start = await get(
      client.authorizationPath({ scope: 'openid poids.read', state: 's', nonce: 'n', challenge }),
      {},
    );
    jar.take(start.headers['set-cookie']);
    const interaction = pathOf(String(start.headers.location));
    const posted = await t.inject({
      method: 'POST',
      url: interaction,
      headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded' },
      cookies: jar.get(citizenCookies),
      payload: new URLSearchParams({ _csrf: CSRF, pour: citizenId, decision: 'autoriser' }).toString(),
    });
    assert.equal(posted.statusCode, 422);
    assert.match(posted.body, /Cochez au moins une finalité/);
    assert.match(posted.body, /aria-describedby="finalites-messages"/);
  });

  it('sends the citizen who refuses back to the service with access_denied and the state', async () => {
    const flow = await authorize({ decision: 'refuser' });
    assert.equal(flow.back.searchParams.get('error'), 'access_denied');
    assert.equal(flow.back.searchParams.get('state'), flow.state);
    assert.equal(flow.back.searchParams.get('code'), null);
  });

  it('sends an anonymous browser to the citizens’ sign-in, back to the pairing afterwards', async () => {
    const { challenge } = pkcePair();
    const jar = new CookieJar();
    const start = await get(
      client.authorizationPath({ scope: 'openid poids.read', state: 's', nonce: 'n', challenge }),
      {},
    );
    jar.take(start.headers['set-cookie']);
    const interaction = pathOf(String(start.headers.location));
    const page = await get(interaction, jar.get());
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, `/usager/connexion?retour=${encodeURIComponent(interaction)}`);
  });

  it('lets a guardian choose whose space: their own or a minor’s in their care', async () => {
    const guardian = await createCitizen(t.db, 'Sophie', 'Dubois');
    const minor = await createCitizen(t.db, 'Léa', 'Dubois');
    const birth = new Date(Date.now() - 10 * 365 * 86_400_000).toISOString().slice(0, 10);
    await t.db.updateTable('citizens').set({ birthdate: birth }).where('id', '=', minor).execute();
    await t.db.insertInto('guardianships').values({ guardian_id: guardian, minor_id: minor }).execute();
    const cookies = await sessionCookie(t.db, { citizenId: guardian });
    // Without a choice, the page asks whose space.
    const { challenge } = pkcePair();
    const jar = new CookieJar();
    const start = await get(
      client.authorizationPath({ scope: 'openid poids.read', state: 's', nonce: 'n', challenge }),
      {},
    );
    jar.take(start.headers['set-cookie']);
    const whose = await get(pathOf(String(start.headers.location)), jar.get(cookies));
    assert.equal(whose.statusCode, 200);
    assert.match(whose.body, /Pour quel espace santé/);
    assert.match(whose.body, /Léa Dubois \(mineur dont j’ai la charge\)/);
    // For the minor: the pairing is the minor's, decided by the guardian.
    const { tokens: set, page } = await tokens({ scope: 'openid poids.read', cookies, pour: minor });
    assert.match(page, /Vous décidez pour Léa Dubois/);
    const at = await client.verify(set.access_token, { audience: FHIR });
    const pairing = await pairingByIdPe(t.db, at.sub as string);
    assert.equal(pairing?.citizenId, minor);
    assert.equal(pairing?.pairedBy, guardian);
    // Another citizen's id in `pour` is refused.
    const stranger = await createCitizen(t.db, 'Jean', 'Autre');
    const jar2 = new CookieJar();
    const again = await get(
      client.authorizationPath({ scope: 'openid poids.read', state: 's', nonce: 'n', challenge }),
      {},
    );
    jar2.take(again.headers['set-cookie']);
    const refused = await get(
      `${pathOf(String(again.headers.location))}?pour=${stranger}`,
      jar2.get(cookies),
    );
    assert.equal(refused.statusCode, 422);
    assert.doesNotMatch(refused.body, /Jean Autre/);
  });

  it('requires PKCE with S256: no code_challenge, or the plain method, is an error sent back to the client', async () => {
    const missing = await get(
      client.authorizationPath({ scope: 'openid poids.read', state: 'st1', nonce: 'n' }),
      {},
    );
    assert.equal(missing.statusCode, 303);
    const back = new URL(String(missing.headers.location));
    assert.equal(`${back.origin}${back.pathname}`, service.redirectUri);
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.match(String(back.searchParams.get('error_description')), /PKCE/);
    assert.equal(back.searchParams.get('state'), 'st1');
    const { verifier } = pkcePair();
    const plain = await get(
      client.authorizationPath({
        scope: 'openid poids.read',
        state: 'st2',
        nonce: 'n',
        challenge: verifier,
        method: 'plain',
      }),
      {},
    );
    const plainBack = new URL(String(plain.headers.location));
    assert.equal(plainBack.searchParams.get('error'), 'invalid_request');
    assert.match(String(plainBack.searchParams.get('error_description')), /code_challenge_method/);
  });

  it('refuses a code exchanged with the wrong verifier', async () => {
    const flow = await authorize();
    const code = flow.back.searchParams.get('code') as string;
    const wrong = await client.exchange(code, pkcePair().verifier);
    assert.equal(wrong.status, 400);
    assert.equal((wrong.json() as { error: string }).error, 'invalid_grant');
  });

  it('matches redirect URIs exactly, and never redirects to one not registered', async () => {
    const { challenge } = pkcePair();
    for (const redirectUri of [
      `${service.redirectUri}/`,
      `${service.redirectUri}?x=1`,
      'http://127.0.0.1:4998/client/callback',
      'https://evil.example/client/callback',
    ]) {
      const res = await get(
        client.authorizationPath({
          scope: 'openid poids.read',
          state: 's',
          nonce: 'n',
          challenge,
          redirectUri,
        }),
        {},
      );
      assert.equal(res.statusCode, 400, redirectUri);
      assert.equal(res.headers.location, undefined);
      assert.match(res.body, /La demande du service n’a pas abouti/);
      assert.match(res.body, /redirect_uri/);
    }
  });

  it('refuses a code used twice, and revokes what the first use gave', async () => {
    const flow = await tokens();
    const again = await client.exchange(flow.code, flow.verifier);
    assert.equal(again.status, 400);
    assert.equal((again.json() as { error: string }).error, 'invalid_grant');
    const refresh = await client.refresh(flow.tokens.refresh_token as string);
    assert.equal(refresh.status, 400, 'the grant of a replayed code is revoked');
    assert.equal((await pairingApi(flow.tokens.access_token)).statusCode, 401);
  });

  it('rotates refresh tokens; a rotated one used again revokes the whole family', async () => {
    const { tokens: first } = await tokens();
    const r1 = await client.refresh(first.refresh_token as string);
    assert.equal(r1.status, 200, JSON.stringify(r1.json()));
    const second = r1.json() as TokenSet;
    assert.ok(second.refresh_token && second.refresh_token !== first.refresh_token, 'rotated');
    assert.equal((await pairingApi(second.access_token)).statusCode, 200);
    // The old one, replayed (stolen?): refused, and everything of the grant with it.
    const replay = await client.refresh(first.refresh_token as string);
    assert.equal(replay.status, 400);
    assert.equal((replay.json() as { error: string }).error, 'invalid_grant');
    const afterReplay = await client.refresh(second.refresh_token as string);
    assert.equal(afterReplay.status, 400, 'the newest refresh token of the family is revoked too');
    assert.equal((await pairingApi(second.access_token)).statusCode, 401, 'and its access tokens');
    assert.equal((await pairingApi(first.access_token)).statusCode, 401);
  });

  it('records each token issued in the citizen’s audit chain: service, grant type, scopes, never a token', async () => {
    const issued = async () => {
      const rows = await t.db
        .selectFrom('audit_events')
        .select(['actor_id', 'data'])
        .where('action', '=', 'oauth.token_issued')
        .where('subject_type', '=', 'citizen')
        .where('subject_id', '=', citizenId)
        .orderBy('seq')
        .execute();
      return rows.map((r) => ({
        actor: r.actor_id,
        data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
      }));
    };
    /** The events are appended after the answer: waits for `n` more than `before`. */
    const waitFor = async (n: number) => {
      for (let i = 0; i < 100; i++) {
        const rows = await issued();
        if (rows.length >= n) return rows;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return issued();
    };
    const before = (await issued()).length;
    const { tokens: set } = await tokens();
    const refreshed = await client.refresh(set.refresh_token as string);
    assert.equal(refreshed.status, 200);
    const rows = (await waitFor(before + 2)).slice(before);
    assert.deepEqual(
      rows.map((r) => [r.actor, r.data.grantType]),
      [
        [service.oid, 'authorization_code'],
        [service.oid, 'refresh_token'],
      ],
    );
    for (const row of rows) {
      assert.equal(row.data.serviceOid, service.oid);
      assert.match(String(row.data.scope), /pression-arterielle\.read/);
      const text = JSON.stringify(row.data);
      for (const token of [set.access_token, set.refresh_token as string]) assert.ok(!text.includes(token));
    }
  });

  it('introspects (RFC 7662) access and refresh tokens for their own client only, and revokes (RFC 7009)', async () => {
    const { tokens: set } = await tokens();
    const at = await client.introspect(set.access_token);
    assert.equal(at.status, 200);
    const atBody = at.json() as Record<string, unknown>;
    assert.equal(atBody.active, true);
    assert.equal(atBody.client_id, service.oid);
    assert.equal(atBody.service_oid, service.oid);
    assert.equal(atBody.token_type, 'Bearer');
    assert.equal(atBody.aud, FHIR);
    assert.match(String(atBody.scope), /pression-arterielle\.read/);
    const pairing = await pairingByIdPe(t.db, String(atBody.sub));
    assert.equal(pairing?.citizenId, citizenId);
    const rt = (await client.introspect(set.refresh_token as string)).json() as Record<string, unknown>;
    assert.equal(rt.active, true);
    assert.equal(rt.sub, atBody.sub);
    assert.equal((await client.introspect('not-a-token')).json().active, false);
    // Another service may not introspect this one's tokens.
    const other = await publishExchangeService(t, {
      name: 'Autre Service',
      redirectUri: 'http://127.0.0.1:4999/other/callback',
      staff,
    });
    const otherClient = new TestServiceClient({
      service: other,
      issuer: ISSUER,
      transport: injectTransport(t, HOST),
    });
    assert.equal((await otherClient.introspect(set.access_token)).json().active, false);
    assert.equal((await otherClient.introspect(set.refresh_token as string)).json().active, false);
    // Revoking the refresh token revokes its grant: the access token stops at once.
    const revoked = await client.revoke(set.refresh_token as string);
    assert.equal(revoked.status, 200);
    assert.equal((await client.introspect(set.refresh_token as string)).json().active, false);
    assert.equal((await client.introspect(set.access_token)).json().active, false);
    assert.equal((await pairingApi(set.access_token)).statusCode, 401);
    // Revoking an access token (not stored: a JWT) revokes its grant as well.
    const { tokens: set2 } = await tokens();
    const revokedAt = await client.revoke(set2.access_token);
    assert.equal(revokedAt.status, 200);
    assert.equal((await pairingApi(set2.access_token)).statusCode, 401);
    assert.equal((await client.refresh(set2.refresh_token as string)).status, 400);
  });

  it('rejects the tokens of an unpaired pairing, on the next call', async () => {
    const { tokens: set } = await tokens();
    const at = await client.verify(set.access_token, { audience: FHIR });
    const pairing = await pairingByIdPe(t.db, at.sub as string);
    assert.ok(pairing);
    const actor: Actor = { kind: 'citizen', citizenId, displayName: 'Claire Martin' };
    await unpair(t, actor, pairing.id, pairing.rowVersion);
    const api = await pairingApi(set.access_token);
    assert.equal(api.statusCode, 401);
    assert.equal(api.json().error.message, 'The access_token is not valid.');
    assert.equal(api.headers['www-authenticate'], 'Bearer error="invalid_token"');
    assert.equal((await client.refresh(set.refresh_token as string)).status, 400);
    const intro = await client.introspect(set.access_token);
    assert.equal(intro.status, 200, JSON.stringify(intro.json()));
    assert.equal((intro.json() as { active: boolean }).active, false);
  });

  it('answers 401 without a valid bearer token, whatever else the caller holds', async () => {
    for (const authorization of [undefined, 'Bearer ', 'Bearer abc.def.ghi', 'Basic Zm9vOmJhcg==']) {
      const res = await t.inject({
        method: 'GET',
        url: '/api/v1/appariement',
        headers: authorization ? { authorization } : {},
        cookies: citizenCookies,
      });
      assert.equal(res.statusCode, 401, String(authorization));
    }
    // A token signed by someone else, shaped like ours.
    const { SignJWT, generateKeyPair } = await import('jose');
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({
      client_id: service.oid,
      service_oid: service.oid,
      grant_id: 'x',
      scope: 'poids.read',
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(FHIR)
      .setSubject('idpe')
      .setJti('j')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    assert.equal((await pairingApi(forged)).statusCode, 401);
  });

  it('gives a suspended service no token, and rejects the tokens it holds', async () => {
    const suspended = await publishExchangeService(t, {
      name: 'Tension Suspendue',
      redirectUri: 'http://127.0.0.1:4999/suspended/callback',
      staff,
    });
    const sc = new TestServiceClient({
      service: suspended,
      issuer: ISSUER,
      transport: injectTransport(t, HOST),
    });
    const { tokens: set } = await tokens({ tc: sc });
    assert.equal((await pairingApi(set.access_token)).statusCode, 200);
    await suspendService(t, suspended);
    assert.equal((await findServiceClient(t.db, suspended.oid))?.status, 'suspended');
    assert.equal((await pairingApi(set.access_token)).statusCode, 401);
    const refresh = await sc.refresh(set.refresh_token as string);
    assert.equal(refresh.status, 401);
    assert.equal((refresh.json() as { error: string }).error, 'invalid_client');
    const { challenge } = pkcePair();
    const start = await get(
      sc.authorizationPath({ scope: 'openid poids.read', state: 's', nonce: 'n', challenge }),
      {},
    );
    assert.equal(start.statusCode, 400);
    assert.match(start.body, /invalid_client/);
  });

  it('accepts loopback http redirect URIs in a sandbox only', () => {
    assert.equal(redirectUriAllowed('http://127.0.0.1:8080/cb', 'sandbox'), true);
    assert.equal(redirectUriAllowed('http://localhost/cb', 'sandbox'), true);
    assert.equal(redirectUriAllowed('http://127.0.0.1:8080/cb', 'production'), false);
    assert.equal(redirectUriAllowed('http://exemple.test/cb', 'sandbox'), false);
    assert.equal(redirectUriAllowed('https://exemple.test/cb', 'production'), true);
    assert.equal(redirectUriAllowed('https://exemple.test/cb#frag', 'production'), false);
  });

  it('keeps a client secret only as a salt and a hash, and authenticates client_secret_basic with it', async () => {
    const other = await publishExchangeService(t, {
      name: 'Tension Secrète',
      redirectUri: 'http://127.0.0.1:4999/secret/callback',
      staff,
    });
    const secret = await issueClientSecret(t.db, t.keys, other.oid);
    const row = await t.db
      .selectFrom('oauth_clients')
      .selectAll()
      .where('client_id', '=', other.oid)
      .executeTakeFirstOrThrow();
    assert.equal(row.token_endpoint_auth_method, 'client_secret_basic');
    assert.ok(!JSON.stringify(row).includes(secret), 'the secret is not in the database');
    const stored = await findServiceClient(t.db, other.oid);
    assert.ok(stored);
    assert.equal(clientSecretOf(t.keys, stored), secret);
    assert.equal(providerMetadataOf(stored, { keys: t.keys, mode: 'sandbox' })?.client_secret, secret);
    // The token endpoint authenticates the client with it (a wrong secret is invalid_client).
    const basic = (s: string) =>
      `Basic ${Buffer.from(`${encodeURIComponent(other.oid)}:${encodeURIComponent(s)}`).toString('base64')}`;
    const call = (s: string) =>
      t.inject({
        method: 'POST',
        url: '/oauth/token/introspection',
        headers: { host: HOST, authorization: basic(s), 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'token=nothing',
      });
    assert.equal((await call(secret)).statusCode, 200);
    assert.equal((await call(`${secret}x`)).statusCode, 401);
  });
});
