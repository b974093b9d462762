/**
 * A published service's OAuth2 credentials on its publisher's file: the « Identifiants OAuth2 » section (client
 * id, endpoints, redirect URIs, authentication method, status), a client secret issued by a mandataire from
 * the page and from the API, shown once and accepted by the token endpoint (client_secret_basic), the previous
 * one refused at once, the way back to private_key_jwt, rights (a salarié 403, another organisation 404,
 * staff 403), refusals (not published, suspended: 409), and no secret in the audit log nor the timeline.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listAuditEvents } from '../src/audit/index.ts';
import { createDossier } from '../src/dossier/service.ts';
import { findServiceClient } from '../src/oauth/index.ts';
import { createStaff, dossierDepsOf, readyPublisher, type Staff } from './dossier-fixtures.ts';
import {
  CSRF,
  createAccount,
  createOrganisation,
  sessionCookie,
  startTestApp,
  type TestApp,
} from './helpers.ts';
import {
  injectTransport,
  type PublishedService,
  publishExchangeService,
  suspendService,
  TestServiceClient,
} from './oauth-fixtures.ts';

const PUBLIC_URL = 'http://127.0.0.1:4998';
const ISSUER = `${PUBLIC_URL}/oauth`;
const HOST = '127.0.0.1:4998';

type Cookies = Record<string, string>;

/** The text of a page, tags dropped and whitespace collapsed, as a person reads it. */
function text(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

function includes(html: string, ...expected: string[]): void {
  const page = text(html);
  for (const e of expected)
    if (!page.includes(e)) assert.fail(`expected « ${e} » in the page (it reads: ${page.slice(0, 800)}…)`);
}

/** The token endpoint as a publisher's client calls it with its secret (client_secret_basic, RFC 6749 §2.3.1). */
function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

describe('dossier: the OAuth2 credentials of a published service', () => {
  let t: TestApp;
  let staff: Staff;
  let service: PublishedService;
  let keyClient: TestServiceClient;
  let manager: Cookies;
  let salarie: Cookies;
  let outsider: Cookies;
  let instructor: Cookies;
  /** Every secret this suite was shown: none may be found anywhere else. */
  const secrets: string[] = [];

  before(async () => {
    t = await startTestApp({ MESREF_PUBLIC_URL: PUBLIC_URL });
    staff = await createStaff(t);
    service = await publishExchangeService(t, {
      name: 'Tension Secrète',
      redirectUri: 'http://127.0.0.1:4998/client/callback',
      staff,
    });
    keyClient = new TestServiceClient({ service, issuer: ISSUER, transport: injectTransport(t, HOST) });
    const org = service.organisationId;
    manager = await sessionCookie(
      t.db,
      await createAccount(t.db, { organisation: { id: org, role: 'mandataire' } }),
    );
    salarie = await sessionCookie(
      t.db,
      await createAccount(t.db, { organisation: { id: org, role: 'salarie' } }),
    );
    const otherOrg = await createOrganisation(t.db, 'Autre Éditeur');
    outsider = await sessionCookie(
      t.db,
      await createAccount(t.db, { organisation: { id: otherOrg, role: 'mandataire' } }),
    );
    instructor = await sessionCookie(t.db, await createAccount(t.db, { staff: ['instructeur'] }));
  });
  after(() => t.stop());

  const filePath = () => `/editeur/dossiers/${service.dossierId}`;
  const apiPath = (id = service.dossierId) => `/api/v1/dossiers/${id}/client-secret`;

  const get = (url: string, cookies: Cookies, headers: Record<string, string> = {}) =>
    t.inject({ method: 'GET', url, cookies, headers: { host: HOST, ...headers } });
  const postForm = (url: string, cookies: Cookies) =>
    t.inject({
      method: 'POST',
      url,
      cookies,
      headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: CSRF }).toString(),
    });
  const api = (method: 'POST' | 'DELETE', cookies: Cookies, id?: string) =>
    t.inject({
      method,
      url: apiPath(id),
      cookies,
      headers: { host: HOST, accept: 'application/json', 'x-csrf-token': CSRF },
    });

  /** The token endpoint, authenticated with a secret: 400 invalid_grant once the client is authenticated. */
  const tokenWith = async (secret: string) => {
    const res = await t.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: {
        host: HOST,
        authorization: basic(service.oid, secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'grant_type=refresh_token&refresh_token=not-a-refresh-token',
    });
    return { status: res.statusCode, error: (res.json() as { error: string }).error };
  };
  const introspectWith = async (secret: string) =>
    (
      await t.inject({
        method: 'POST',
        url: '/oauth/token/introspection',
        headers: {
          host: HOST,
          authorization: basic(service.oid, secret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: 'token=nothing',
      })
    ).statusCode;

  const issueFromPage = async (): Promise<string> => {
    const res = await postForm(`${filePath()}/secret-client`, manager);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    const secret = /id="client-secret"[^>]*value="([^"]+)"/.exec(res.body)?.[1] ?? '';
    assert.ok(secret.length >= 32, 'the page shows the secret in its field');
    secrets.push(secret);
    return secret;
  };

  it('shows the section to every member of the organisation, the actions to its mandataire only', async () => {
    const member = await get(filePath(), salarie);
    assert.equal(member.statusCode, 200);
    includes(
      member.body,
      'Identifiants OAuth2',
      service.oid,
      'Actif',
      ISSUER,
      `${ISSUER}/.well-known/openid-configuration`,
      `${ISSUER}/auth`,
      `${ISSUER}/token`,
      service.redirectUri,
      'private_key_jwt : une assertion signée avec votre clé privée',
      `clé ${service.keys.publicJwk.kid} (EC, ES256)`,
      'docs/pairing.md',
      'Seuls le mandataire et le représentant légal',
    );
    assert.doesNotMatch(member.body, /secret-client/);

    const own = await get(filePath(), manager);
    assert.match(own.body, new RegExp(`href="${filePath()}/secret-client"`));
    includes(own.body, 'Générer un secret client');
    // No secret yet: nothing to drop.
    assert.doesNotMatch(own.body, /secret-client\/suppression/);

    const english = await get(`${filePath()}?lang=en`, manager);
    includes(english.body, 'OAuth2 credentials', 'Client id', 'Token endpoint', 'Generate a client secret');
  });

  it('issues a secret once, after a confirmation; the token endpoint accepts it with client_secret_basic', async () => {
    const confirm = await get(`${filePath()}/secret-client`, manager);
    assert.equal(confirm.statusCode, 200);
    includes(confirm.body, 'Effet immédiat', 'le secret précédent (s’il y en a un) cesse de fonctionner');
    assert.match(confirm.body, /<form method="post" action="[^"]+\/secret-client">/);

    const secret = await issueFromPage();
    const now = await get(filePath(), manager);
    includes(now.body, 'client_secret_basic', 'Générer un nouveau secret client');
    assert.ok(!now.body.includes(secret), 'the file page does not show the secret again');
    assert.match(now.body, /secret-client\/suppression/);

    // The client is authenticated (the made-up refresh token is what fails), and a wrong secret is not.
    assert.deepEqual(await tokenWith(secret), { status: 400, error: 'invalid_grant' });
    assert.deepEqual(await tokenWith(`${secret}x`), { status: 401, error: 'invalid_client' });
    assert.equal(await introspectWith(secret), 200);
    // Its keys no longer authenticate it while the secret is the method.
    assert.equal((await keyClient.introspect('nothing')).status, 401);
    const row = await t.db
      .selectFrom('oauth_clients')
      .selectAll()
      .where('client_id', '=', service.oid)
      .executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes(secret), 'the secret is not stored');
  });

  it('through the API: a new secret replaces the previous one at once; DELETE goes back to the keys', async () => {
    const previous = await issueFromPage();
    const issued = await api('POST', manager);
    assert.equal(issued.statusCode, 201, issued.body);
    assert.equal(issued.headers['cache-control'], 'no-store');
    const body = issued.json() as { clientId: string; clientSecret: string; tokenEndpointAuthMethod: string };
    secrets.push(body.clientSecret);
    assert.equal(body.clientId, service.oid);
    assert.equal(body.tokenEndpointAuthMethod, 'client_secret_basic');
    assert.notEqual(body.clientSecret, previous);
    assert.deepEqual(await tokenWith(previous), { status: 401, error: 'invalid_client' });
    assert.deepEqual(await tokenWith(body.clientSecret), { status: 400, error: 'invalid_grant' });

    const dropped = await api('DELETE', manager);
    assert.equal(dropped.statusCode, 200, dropped.body);
    assert.deepEqual(dropped.json(), { clientId: service.oid, tokenEndpointAuthMethod: 'private_key_jwt' });
    assert.equal((await findServiceClient(t.db, service.oid))?.clientSecretHash, null);
    assert.deepEqual(await tokenWith(body.clientSecret), { status: 401, error: 'invalid_client' });
    assert.equal((await keyClient.introspect('nothing')).status, 200, 'private_key_jwt works again');

    const again = await api('DELETE', manager);
    assert.equal(again.statusCode, 409);
    assert.match((again.json() as { error: { message: string } }).error.message, /déjà par clé/);
  });

  it('goes back to private_key_jwt from the page, after a confirmation', async () => {
    const nothing = await get(`${filePath()}/secret-client/suppression`, manager);
    assert.equal(nothing.statusCode, 409, 'no secret to delete yet');
    includes(nothing.body, 'il n’y a pas de secret client à supprimer');
    assert.doesNotMatch(nothing.body, /action="[^"]*\/secret-client\/suppression"/);
    const secret = await issueFromPage();
    const confirm = await get(`${filePath()}/secret-client/suppression`, manager);
    assert.equal(confirm.statusCode, 200);
    includes(confirm.body, 'le secret actuel cesse de fonctionner', 'Confirmer : revenir à private_key_jwt');
    const done = await postForm(`${filePath()}/secret-client/suppression`, manager);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `${filePath()}?ok=client_secret_dropped#identifiants-oauth`);
    const page = await get(`${filePath()}?ok=client_secret_dropped`, manager);
    includes(page.body, 'Le secret client est supprimé', 'private_key_jwt : une assertion signée');
    assert.equal(await introspectWith(secret), 401);
  });

  it('lets only the organisation’s mandataire or représentant change it: a salarié 403, another organisation 404, staff 403', async () => {
    const before = await findServiceClient(t.db, service.oid);
    const member = await api('POST', salarie);
    assert.equal(member.statusCode, 403);
    assert.match((member.json() as { error: { message: string } }).error.message, /mandataire/);
    const memberPage = await postForm(`${filePath()}/secret-client`, salarie);
    assert.equal(memberPage.statusCode, 403);
    includes(memberPage.body, 'Seuls le mandataire et le représentant légal');
    assert.doesNotMatch(memberPage.body, /id="client-secret"/);
    assert.equal((await get(`${filePath()}/secret-client`, salarie)).statusCode, 403);
    assert.equal((await api('DELETE', salarie)).statusCode, 403);

    assert.equal((await api('POST', outsider)).statusCode, 404);
    assert.equal((await postForm(`${filePath()}/secret-client`, outsider)).statusCode, 404);
    assert.equal((await api('POST', instructor)).statusCode, 403);
    assert.equal((await api('DELETE', instructor)).statusCode, 403);
    assert.equal((await postForm(`${filePath()}/secret-client`, instructor)).statusCode, 403);
    assert.deepEqual(await findServiceClient(t.db, service.oid), before, 'nothing changed');
  });

  it('refuses a file not published (409), and a suspended service’s client (409), with why', async () => {
    const publisher = await readyPublisher(t, { name: 'Brouillon Tension', dataExchange: true });
    const draft = await createDossier(dossierDepsOf(t), publisher.actor, { productId: publisher.productId });
    const draftCookies = await sessionCookie(t.db, { accountId: publisher.accountId });
    const refused = await api('POST', draftCookies, draft.id);
    assert.equal(refused.statusCode, 409);
    assert.match(
      (refused.json() as { error: { message: string } }).error.message,
      /pas celui d’un service publié avec échange de données/,
    );
    const draftPage = await get(`/editeur/dossiers/${draft.id}`, draftCookies);
    assert.doesNotMatch(draftPage.body, /Identifiants OAuth2/);

    const suspended = await publishExchangeService(t, {
      name: 'Tension Suspendue',
      redirectUri: 'http://127.0.0.1:4998/suspendue/callback',
      staff,
    });
    await suspendService(t, suspended);
    const suspendedManager = await sessionCookie(
      t.db,
      await createAccount(t.db, { organisation: { id: suspended.organisationId, role: 'representant' } }),
    );
    const res = await api('POST', suspendedManager, suspended.dossierId);
    assert.equal(res.statusCode, 409);
    assert.match((res.json() as { error: { message: string } }).error.message, /suspendu/);
    const page = await get(`/editeur/dossiers/${suspended.dossierId}`, suspendedManager);
    includes(page.body, 'Identifiants OAuth2', 'Suspendu', 'lorsque le client est actif');
    assert.doesNotMatch(page.body, /href="[^"]+\/secret-client"/);
    const pageRefused = await postForm(
      `/editeur/dossiers/${suspended.dossierId}/secret-client`,
      suspendedManager,
    );
    assert.equal(pageRefused.statusCode, 409);
    includes(pageRefused.body, 'Le client OAuth2 est suspendu');
  });

  it('records each change in the audit log and on the timeline, never the secret', async () => {
    assert.ok(secrets.length >= 4);
    const events = await listAuditEvents(t.db, { subjectType: 'dossier', subjectId: service.dossierId });
    const actions = events.map((e) => e.action);
    assert.ok(actions.includes('dossier.client_secret_issued'));
    assert.ok(actions.includes('dossier.client_secret_dropped'));
    const allAudit = JSON.stringify(await t.db.selectFrom('audit_events').selectAll().execute());
    const timeline = await t.inject({
      method: 'GET',
      url: `/api/v1/dossiers/${service.dossierId}/timeline`,
      cookies: manager,
      headers: { host: HOST, accept: 'application/json' },
    });
    const types = (timeline.json() as { items: Array<{ type: string }> }).items.map((e) => e.type);
    assert.ok(types.includes('client_secret_issued') && types.includes('client_secret_dropped'));
    const page = await get(filePath(), manager);
    includes(page.body, 'Secret client généré', 'Retour à l’authentification par clé (private_key_jwt)');
    const events2 = JSON.stringify(await t.db.selectFrom('dossier_events').selectAll().execute());
    for (const secret of secrets) {
      assert.ok(!allAudit.includes(secret), 'no secret in the audit log');
      assert.ok(!timeline.body.includes(secret) && !events2.includes(secret), 'no secret on the timeline');
      assert.ok(!page.body.includes(secret));
    }
  });

  it('documents both calls in the OpenAPI description', async () => {
    const doc = (await get('/api/docs/json', {})).json() as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const path = doc.paths['/api/v1/dossiers/{id}/client-secret'];
    assert.ok(path?.post?.responses['201'] && path.delete?.responses['200']);
  });
});
