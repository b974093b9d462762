import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { exportJWK, generateKeyPair } from 'jose';
import {
  CSRF,
  createAccount,
  freshDatabase,
  sessionCookie,
  startTestApp,
  type TestApp,
  tempDir,
  testConfig,
} from '../../test/helpers.ts';
import { buildApp, type Mesref } from '../app.ts';
import { listAuditEvents } from '../audit/index.ts';
import { loadConfig } from '../platform/config.ts';
import type { DatabaseHandle } from '../platform/db/index.ts';
import { INS_NIR_TEST_SYSTEM } from './citizen-model.ts';
import { SIGN_IN_COOKIE } from './citizen-plugin.ts';
import { testIdpSecrets } from './citizen-test-idp.ts';

const PUBLIC_URL = 'http://sandbox.mesref.test';

type Injector = { inject(options: InjectOptions): Promise<LightMyRequestResponse> };

/**
 * A browser driven through app.inject: keeps cookies, follows redirects, submits forms. `route` picks the
 * app that serves a URL (several apps stand for several mesref processes or deployments).
 */
class Browser {
  readonly cookies = new Map<string, string>();
  readonly visited: string[] = [];
  constructor(private readonly route: (url: URL) => Injector) {}

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
    const target = new URL(url, PUBLIC_URL);
    this.visited.push(`${method} ${target.pathname}`);
    const res = await this.route(target).inject({
      method,
      url: `${target.pathname}${target.search}`,
      headers: {
        host: target.host,
        accept: 'text/html',
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      cookies: Object.fromEntries(this.cookies),
      ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
    });
    for (const c of res.cookies as Array<{ name: string; value: string; expires?: Date; maxAge?: number }>) {
      const gone = c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now());
      if (gone) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  /** Requests, then follows redirects until a page (or `stopAt` matches the next location). */
  async visit(url: string, options: { form?: Record<string, string>; stopAt?: RegExp } = {}) {
    let res = await this.request(options.form ? 'POST' : 'GET', url, options.form);
    for (let hops = 0; hops < 10 && res.statusCode >= 300 && res.statusCode < 400; hops++) {
      const location = String(res.headers.location);
      if (options.stopAt?.test(location)) return res;
      res = await this.request('GET', location);
    }
    return res;
  }

  /** On the test provider's page, signs in as one person. */
  async chooseIdentity(page: { body: string }, sub: string, options: { stopAt?: RegExp } = {}) {
    const uid = /\/test-idp\/interaction\/([^/"]+)\/login/.exec(page.body)?.[1];
    assert.ok(uid, 'the test provider shows its identity chooser');
    return this.visit(`/test-idp/interaction/${uid}/login`, {
      form: { sub, _csrf: this.cookies.get('mesref_csrf') ?? '' },
      ...options,
    });
  }

  /** The whole sign-in: /usager/connexion, the test provider's chooser, back to mesref. */
  async signIn(sub: string, start = '/usager/connexion') {
    const chooser = await this.visit(start);
    assert.equal(chooser.statusCode, 200);
    return this.chooseIdentity(chooser, sub);
  }
}

const single = (t: Injector) => new Browser(() => t);

describe('citizen sign-in through the sandbox test identity provider', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ MESREF_PUBLIC_URL: PUBLIC_URL });
  });
  after(() => t.stop());

  it('publishes an OpenID provider at /test-idp that requires PKCE', async () => {
    const res = await t.inject({
      method: 'GET',
      url: '/test-idp/.well-known/openid-configuration',
      headers: { host: 'sandbox.mesref.test' },
    });
    assert.equal(res.statusCode, 200);
    const meta = res.json();
    assert.equal(meta.issuer, `${PUBLIC_URL}/test-idp`);
    assert.equal(meta.authorization_endpoint, `${PUBLIC_URL}/test-idp/auth`);
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
    assert.ok(meta.scopes_supported.includes('ins'));
    assert.ok(meta.claims_supported.includes('ins_system'));
    // Without PKCE the provider refuses the request.
    const noPkce = await t.inject({
      method: 'GET',
      url: `/test-idp/auth?client_id=mesref-citizen&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(`${PUBLIC_URL}/usager/callback`)}&state=s&nonce=n`,
      headers: { host: 'sandbox.mesref.test' },
    });
    assert.ok([302, 303].includes(noPkce.statusCode));
    assert.match(String(noPkce.headers.location), /error=invalid_request/);
    assert.match(decodeURIComponent(String(noPkce.headers.location)), /requires\+PKCE/);
  });

  it('sends an anonymous visitor of /usager to the sign-in, and refuses a publisher account', async () => {
    const res = await t.inject({ method: 'GET', url: '/usager', headers: { accept: 'text/html' } });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/usager/connexion?retour=%2Fusager');
    const account = await createAccount(t.db);
    const other = await t.inject({
      method: 'GET',
      url: '/usager',
      cookies: await sessionCookie(t.db, { accountId: account.accountId }),
    });
    assert.equal(other.statusCode, 403);
  });

  it('walks the whole sign-in: chooser page, identity, back on /usager with the name and test INS', async () => {
    const browser = single(t);
    const chooser = await browser.visit('/usager');
    assert.equal(chooser.statusCode, 200);
    assert.deepEqual(browser.visited.slice(0, 3), [
      'GET /usager',
      'GET /usager/connexion',
      'GET /test-idp/auth',
    ]);
    assert.match(browser.visited[3] ?? '', /^GET \/test-idp\/interaction\//);
    // The chooser lists the test people with birth date and test INS, in the site's frame.
    assert.match(chooser.body, /Fournisseur d’identité de test/);
    assert.match(chooser.body, /Se connecter en tant que Marie Lefèvre/);
    assert.match(chooser.body, /284036912300175/);
    assert.match(chooser.body, /14 mars 1984/);
    assert.match(chooser.body, /class="fr-table/);
    assert.doesNotMatch(chooser.body, /<script(?! type="module" src="\/(dsfr|assets)\/)/);

    const space = await browser.chooseIdentity(chooser, 'test-marie-lefevre');
    assert.equal(space.statusCode, 200);
    assert.equal(browser.visited.at(-1), 'GET /usager');
    assert.match(space.body, /Bonjour Marie Lefèvre/);
    assert.match(space.body, /248095935001240/);
    assert.match(space.body, /30 septembre 1948/);
    assert.match(space.body, new RegExp(INS_NIR_TEST_SYSTEM.replace(/\./g, '\\.')));
    assert.doesNotMatch(space.body, /Les mineurs que je représente/);

    const citizen = await t.db
      .selectFrom('citizens')
      .selectAll()
      .where('subject', '=', 'test-marie-lefevre')
      .executeTakeFirstOrThrow();
    assert.equal(citizen.issuer, `${PUBLIC_URL}/test-idp`);
    assert.equal(citizen.ins_value, '248095935001240');
    assert.equal(citizen.ins_system, INS_NIR_TEST_SYSTEM);
    assert.ok(citizen.last_sign_in_at);
    const session = await t.db
      .selectFrom('sessions')
      .selectAll()
      .where('citizen_id', '=', citizen.id)
      .executeTakeFirstOrThrow();
    assert.match(session.id_token_hint ?? '', /^ey/);
    const events = await listAuditEvents(t.db, { subjectType: 'citizen', subjectId: citizen.id });
    assert.deepEqual(
      events.map((e) => e.action),
      ['citizen.sign_in'],
    );
    assert.deepEqual(events[0].data, { issuer: `${PUBLIC_URL}/test-idp`, firstSignIn: true });
    // The pending request was used once and is gone.
    const pending = await t.db
      .selectFrom('oidc_payloads')
      .select('id')
      .where('provider', '=', 'citizen-rp')
      .execute();
    assert.equal(pending.length, 0);
    // The test provider keeps its state in the database.
    const stored = await t.db
      .selectFrom('oidc_payloads')
      .select('model')
      .distinct()
      .where('provider', '=', 'test-idp')
      .execute();
    const models = stored.map((r) => r.model);
    for (const model of ['Session', 'Grant', 'AuthorizationCode', 'AccessToken'])
      assert.ok(models.includes(model), model);
  });

  it('shows the citizen space in English', async () => {
    const browser = single(t);
    await browser.signIn('test-karim-benali');
    const en = await browser.visit('/usager?lang=en');
    assert.match(en.body, /<html lang="en"/);
    assert.match(en.body, /Hello Karim Benali/);
    assert.match(en.body, /January 17, 1991|17 January 1991/);
    const chooser = await single(t).visit('/usager/connexion?lang=en');
    assert.match(chooser.body, /Sign in as Sophie Dubois/);
  });

  it('shows a guardian the minor they represent, recorded at the parent’s sign-in', async () => {
    const browser = single(t);
    const space = await browser.signIn('test-sophie-dubois');
    assert.equal(space.statusCode, 200);
    assert.match(space.body, /Bonjour Sophie Dubois/);
    assert.match(space.body, /Les mineurs que je représente/);
    assert.match(space.body, /Léa Dubois/);
    assert.match(space.body, /217067511308763/);

    // The other parent gets the same minor, not a second one.
    await single(t).signIn('test-julien-dubois');
    const rows = await t.db
      .selectFrom('guardianships')
      .innerJoin('citizens as g', 'g.id', 'guardianships.guardian_id')
      .innerJoin('citizens as m', 'm.id', 'guardianships.minor_id')
      .select(['g.subject as guardian', 'm.subject as minor', 'm.last_sign_in_at'])
      .orderBy('g.subject')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.guardian, r.minor, r.last_sign_in_at]),
      [
        ['test-julien-dubois', 'test-lea-dubois', null],
        ['test-sophie-dubois', 'test-lea-dubois', null],
      ],
    );
    // Signing in again records nothing twice.
    await single(t).signIn('test-sophie-dubois');
    const count = await t.db
      .selectFrom('guardianships')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    assert.equal(Number(count?.n), 2);
    const minor = await t.db
      .selectFrom('citizens')
      .select('id')
      .where('subject', '=', 'test-lea-dubois')
      .executeTakeFirstOrThrow();
    const recorded = await listAuditEvents(t.db, { subjectType: 'citizen', subjectId: minor.id });
    assert.equal(recorded.filter((e) => e.action === 'citizen.guardianship.record').length, 2);
  });

  it('returns to the page asked for (same site only)', async () => {
    const browser = single(t);
    const chooser = await browser.visit(
      `/usager/connexion?retour=${encodeURIComponent('/usager?onglet=mineurs')}`,
    );
    const toCallback = await browser.chooseIdentity(chooser, 'test-karim-benali', {
      stopAt: /\/usager\/callback/,
    });
    const back = await browser.request('GET', String(toCallback.headers.location));
    assert.equal(back.statusCode, 303);
    assert.equal(back.headers.location, '/usager?onglet=mineurs');

    const evil = single(t);
    const page = await evil.visit(`/usager/connexion?retour=${encodeURIComponent('//evil.example/x')}`);
    const res = await evil.chooseIdentity(page, 'test-karim-benali', { stopAt: /\/usager\/callback/ });
    // The callback sends to /usager, never elsewhere.
    const landed = await evil.request('GET', String(res.headers.location));
    assert.equal(landed.statusCode, 303);
    assert.equal(landed.headers.location, '/usager');
  });

  it('refuses an answer whose state was tampered with, and one used twice', async () => {
    const browser = single(t);
    const chooser = await browser.visit('/usager/connexion');
    const toCallback = await browser.chooseIdentity(chooser, 'test-marie-lefevre', {
      stopAt: /\/usager\/callback/,
    });
    const callback = new URL(String(toCallback.headers.location));
    const genuine = callback.toString();
    callback.searchParams.set('state', 'forged-state');
    const saved = new Map(browser.cookies);
    const tampered = await browser.request('GET', callback.toString());
    assert.equal(tampered.statusCode, 400);
    assert.match(tampered.body, /La connexion n’a pas abouti/);
    assert.match(tampered.body, /ne correspond pas à la demande/);
    assert.match(tampered.body, /href="\/usager\/connexion"/);
    assert.equal(
      tampered.cookies.find((c: { name: string }) => c.name === 'mesref_session'),
      undefined,
    );
    // The request was spent by the tampered answer: the genuine one, replayed, is refused too.
    for (const [k, v] of saved) browser.cookies.set(k, v);
    const replay = await browser.request('GET', genuine);
    assert.equal(replay.statusCode, 400);
    assert.match(replay.body, /a expiré ou a déjà servi/);
    const noCookie = await t.inject({ method: 'GET', url: `/usager/callback${new URL(genuine).search}` });
    assert.equal(noCookie.statusCode, 400);
  });

  it('says so when the citizen cancels at the provider (access_denied)', async () => {
    const browser = single(t);
    const chooser = await browser.visit('/usager/connexion');
    const uid = /\/test-idp\/interaction\/([^/"]+)\/abort/.exec(chooser.body)?.[1];
    assert.ok(uid);
    const res = await browser.visit(`/test-idp/interaction/${uid}/abort`, {
      form: { _csrf: browser.cookies.get('mesref_csrf') ?? '' },
    });
    assert.equal(browser.visited.at(-1), 'GET /usager/callback');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Vous avez annulé la connexion/);
    assert.ok(!browser.cookies.has('mesref_session'));
  });

  it('shows an expired or unknown interaction as a page, not an error 500', async () => {
    const res = await t.inject({ method: 'GET', url: '/test-idp/interaction/unknown-uid' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /a expiré ou n’existe pas/);
  });

  it('signs out of mesref and of the test provider, then asks for an identity again', async () => {
    const browser = single(t);
    await browser.signIn('test-noah-petit');
    const citizen = await t.db
      .selectFrom('citizens')
      .select('id')
      .where('subject', '=', 'test-noah-petit')
      .executeTakeFirstOrThrow();
    // Signed in at the provider: a new sign-in goes straight through, without the chooser.
    browser.cookies.delete('mesref_session');
    const again = await browser.visit('/usager/connexion');
    assert.equal(again.statusCode, 200);
    assert.match(again.body, /Bonjour Noah Petit/);
    assert.doesNotMatch(again.body, /INS de test/);

    const out = await browser.request('POST', '/usager/deconnexion', {
      _csrf: browser.cookies.get('mesref_csrf') ?? '',
    });
    assert.equal(out.statusCode, 303);
    const endSession = new URL(String(out.headers.location));
    assert.equal(endSession.origin + endSession.pathname, `${PUBLIC_URL}/test-idp/session/end`);
    assert.match(endSession.searchParams.get('id_token_hint') ?? '', /^ey/);
    assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${PUBLIC_URL}/`);

    const confirm = await browser.request('GET', endSession.toString());
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Voulez-vous aussi vous déconnecter du fournisseur d’identité de test/);
    const action = /<form method="post" action="([^"]+)"/.exec(confirm.body)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)?.[1];
    assert.ok(action && xsrf);
    const done = await browser.request('POST', action, { xsrf, logout: 'yes' });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `${PUBLIC_URL}/`);

    const anonymous = await browser.request('GET', '/usager');
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers.location, '/usager/connexion?retour=%2Fusager');
    const chooser = await browser.visit('/usager/connexion');
    assert.match(chooser.body, /Se connecter en tant que/);
    const events = await listAuditEvents(t.db, { subjectType: 'citizen', subjectId: citizen.id });
    assert.ok(events.some((e) => e.action === 'citizen.sign_out'));
  });

  it('sign-out without a session just goes home', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/usager/deconnexion',
      cookies: { mesref_csrf: CSRF },
      payload: { _csrf: CSRF },
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/');
  });

  it('keeps the sign-in request server-side, behind an httpOnly cookie scoped to the callback', async () => {
    const res = await t.inject({ method: 'GET', url: '/usager/connexion' });
    const cookie = res.cookies.find((c: { name: string }) => c.name === SIGN_IN_COOKIE) as
      | { path?: string; httpOnly?: boolean; sameSite?: string; value: string }
      | undefined;
    assert.ok(cookie);
    assert.equal(cookie.path, '/usager/callback');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    const authorize = new URL(String(res.headers.location));
    assert.ok(authorize.searchParams.get('code_challenge'));
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorize.searchParams.get('nonce'));
    // Neither the verifier nor the state is in the cookie.
    assert.ok(!cookie.value.includes(authorize.searchParams.get('state') as string));
  });
});

describe('citizen sign-in across processes and restarts', () => {
  let database: DatabaseHandle;
  const apps: Mesref[] = [];
  const start = async () => {
    const app = await buildApp(testConfig({ MESREF_PUBLIC_URL: PUBLIC_URL }), { database, logger: false });
    apps.push(app);
    return app;
  };
  before(async () => {
    database = await freshDatabase();
  });
  after(async () => {
    for (const app of apps) await app.close();
    await database.close();
  });

  it('starts on one process, signs in at the provider of another, comes back to the first', async () => {
    const a = await start();
    const b = await start();
    // mesref pages on A, the test provider on B: only the shared database links them.
    const browser = new Browser((url) => (url.pathname.startsWith('/test-idp') ? b.app : a.app));
    const space = await browser.signIn('test-sophie-dubois');
    assert.equal(space.statusCode, 200);
    assert.match(space.body, /Bonjour Sophie Dubois/);

    // A restart: a new process on the same database knows the provider session (no chooser).
    await b.close();
    apps.splice(apps.indexOf(b), 1);
    const c = await start();
    const browser2 = new Browser((url) => (url.pathname.startsWith('/test-idp') ? c.app : a.app));
    for (const [k, v] of browser.cookies) if (k.startsWith('mesref_test_idp')) browser2.cookies.set(k, v);
    const again = await browser2.visit('/usager/connexion');
    assert.equal(again.statusCode, 200);
    assert.match(again.body, /Bonjour Sophie Dubois/);
    assert.ok(!browser2.visited.some((v) => v.includes('/interaction/')));
  });
});

describe('citizen sign-in at any OpenID provider (the production path)', () => {
  let provider: Mesref;
  let relyingParty: TestApp;
  let publicUrl: string;
  let providerDb: DatabaseHandle;

  before(async () => {
    // A mesref sandbox listening on a real port plays the outside provider; the one under test reaches it
    // over HTTP with openid-client as it would FranceConnect, with no in-process shortcut.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    publicUrl = `http://127.0.0.1:${port}`;
    providerDb = await freshDatabase();
    provider = await buildApp(testConfig({ PORT: String(port), MESREF_PUBLIC_URL: publicUrl }), {
      database: providerDb,
      logger: false,
    });
    await provider.listen();
    relyingParty = await startTestApp({
      MESREF_PUBLIC_URL: publicUrl,
      MESREF_CITIZEN_IDP: 'oidc',
      MESREF_CITIZEN_OIDC_ISSUER: `${publicUrl}/test-idp`,
      MESREF_CITIZEN_OIDC_CLIENT_ID: 'mesref-citizen',
      MESREF_CITIZEN_OIDC_CLIENT_SECRET: testIdpSecrets(provider.keys).clientSecret,
      MESREF_CITIZEN_OIDC_SCOPE: 'openid profile ins',
    });
  });
  after(async () => {
    await relyingParty?.stop();
    await provider?.close();
    await providerDb?.close();
  });

  it('does not mount the test provider when citizens sign in elsewhere', async () => {
    const res = await relyingParty.inject({
      method: 'GET',
      url: '/test-idp/.well-known/openid-configuration',
    });
    assert.equal(res.statusCode, 404);
  });

  it('signs in over HTTP, and keeps no INS from a provider other than the test one', async () => {
    const browser = new Browser((url) =>
      url.pathname.startsWith('/test-idp') ? provider.app : relyingParty.app,
    );
    const space = await browser.signIn('test-sophie-dubois');
    assert.equal(space.statusCode, 200);
    assert.match(space.body, /Bonjour Sophie Dubois/);
    assert.doesNotMatch(space.body, /284036912300175/);
    // Guardianships come from the sandbox's data file only, never from an outside provider.
    assert.doesNotMatch(space.body, /Léa/);
    const citizen = await relyingParty.db
      .selectFrom('citizens')
      .selectAll()
      .where('subject', '=', 'test-sophie-dubois')
      .executeTakeFirstOrThrow();
    assert.equal(citizen.issuer, `${publicUrl}/test-idp`);
    assert.equal(citizen.ins_value, null);
  });
});

describe('citizen sign-in in production', () => {
  let dir: ReturnType<typeof tempDir>;
  let app: Mesref;
  let database: DatabaseHandle;
  before(async () => {
    dir = tempDir();
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const keysFile = join(dir.path, 'keys.json');
    writeFileSync(
      keysFile,
      JSON.stringify({
        keys: [{ ...(await exportJWK(privateKey)), kid: 'prod-1', alg: 'ES256', use: 'sig' }],
      }),
    );
    database = await freshDatabase();
    const config = loadConfig({
      MESREF_MODE: 'production',
      MESREF_PUBLIC_URL: 'https://mesref.example',
      LOG_LEVEL: 'silent',
      MESREF_IN_PROCESS_WORKER: 'false',
      MESREF_MAIL: 'smtp',
      SMTP_URL: 'smtp://localhost:2525',
      MESREF_SIGNING_KEYS_FILE: keysFile,
      MESREF_OID_ROOT: '1.2.250.1.999.1',
      MESREF_CITIZEN_OIDC_ISSUER: 'https://idp.example',
      MESREF_CITIZEN_OIDC_CLIENT_ID: 'mesref',
      MESREF_CITIZEN_OIDC_CLIENT_SECRET: 'secret',
    });
    app = await buildApp(config, { database, logger: false });
  });
  after(async () => {
    await app?.close();
    await database?.close();
    dir?.remove();
  });

  it('never mounts /test-idp', async () => {
    for (const url of [
      '/test-idp/.well-known/openid-configuration',
      '/test-idp/auth',
      '/test-idp/interaction/x',
    ]) {
      const res = await app.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
    }
    assert.ok(!app.routes.some((r) => r.url.startsWith('/test-idp')));
    assert.ok(app.routes.some((r) => r.url === '/usager/connexion'));
  });
});
