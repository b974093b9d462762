import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { pairingByIdPe } from '../src/consent/index.ts';
import { assertAccessible, describeBrowser, freePort, isVisibleText } from './browser.ts';
import {
  fetchTransport,
  pkcePair,
  publishExchangeService,
  randomValue,
  TestServiceClient,
  type TokenSet,
} from './oauth-fixtures.ts';

/**
 * The whole pairing in a real browser, with a test client application on its own port: the service starts
 * the authorization (PKCE, state, nonce), the citizen signs in with the sandbox's test identity provider,
 * chooses whose space, reads the consent page and ticks a finalité, and the service exchanges the code with
 * private_key_jwt, checks state and nonce, calls the pairing API, refreshes, introspects and revokes.
 */
interface ClientOutcome {
  error?: string;
  stateOk?: boolean;
  nonceOk?: boolean;
  tokens?: TokenSet;
  idPe?: string;
  pairingApi?: { status: number; body: Record<string, unknown> };
  refreshed?: TokenSet;
  introspection?: Record<string, unknown>;
  afterRevocation?: { introspection: Record<string, unknown>; refreshStatus: number; apiStatus: number };
}

describeBrowser('pairing: a citizen pairs a service in a real browser', {}, (suite) => {
  let clientServer: Server;
  let clientUrl = '';
  let client: TestServiceClient;
  const pending = new Map<string, { verifier: string; nonce: string }>();
  const outcomes: ClientOutcome[] = [];

  before(async () => {
    const port = await freePort();
    clientUrl = `http://127.0.0.1:${port}`;
    const service = await publishExchangeService(suite.server.mesref, {
      name: 'Tension Navigateur',
      redirectUri: `${clientUrl}/callback`,
    });
    client = new TestServiceClient({
      service,
      issuer: `${suite.url}/oauth`,
      transport: fetchTransport(suite.url),
    });
    const api = (token: string) =>
      fetch(`${suite.url}/api/v1/appariement`, { headers: { authorization: `Bearer ${token}` } });

    clientServer = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', clientUrl);
      const page = (status: number, title: string) => {
        res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          `<!doctype html><html lang="fr"><title>${title}</title><main><h1>${title}</h1></main></html>`,
        );
      };
      if (url.pathname === '/start') {
        const { verifier, challenge } = pkcePair();
        const state = randomValue();
        const nonce = randomValue();
        pending.set(state, { verifier, nonce });
        const path = client.authorizationPath({
          scope: 'openid offline_access pression-arterielle.read pression-arterielle.write poids.read',
          state,
          nonce,
          challenge,
          extra: { service_user_id: 'utilisateur-7' },
        });
        res.writeHead(302, { location: `${suite.url}${path}` });
        res.end();
        return;
      }
      if (url.pathname !== '/callback') return page(404, 'Introuvable');
      const outcome: ClientOutcome = {};
      outcomes.push(outcome);
      try {
        const state = url.searchParams.get('state') ?? '';
        const request = pending.get(state);
        outcome.stateOk = request !== undefined;
        pending.delete(state);
        const error = url.searchParams.get('error');
        if (error || !request) {
          outcome.error = error ?? 'state';
          return page(200, `Refusé : ${outcome.error}`);
        }
        const exchanged = await client.exchange(url.searchParams.get('code') ?? '', request.verifier);
        if (exchanged.status !== 200) throw new Error(`token: ${JSON.stringify(exchanged.json())}`);
        const tokens = exchanged.json() as TokenSet;
        outcome.tokens = tokens;
        const id = await client.verify(tokens.id_token as string, { audience: client.clientId });
        outcome.nonceOk = id.nonce === request.nonce;
        outcome.idPe = String(id.sub);
        const called = await api(tokens.access_token);
        outcome.pairingApi = {
          status: called.status,
          body: (await called.json()) as Record<string, unknown>,
        };
        const refreshed = await client.refresh(tokens.refresh_token as string);
        outcome.refreshed = refreshed.json() as TokenSet;
        outcome.introspection = (await client.introspect(outcome.refreshed.access_token)).json() as Record<
          string,
          unknown
        >;
        await client.revoke(outcome.refreshed.refresh_token as string);
        outcome.afterRevocation = {
          introspection: (await client.introspect(outcome.refreshed.access_token)).json() as Record<
            string,
            unknown
          >,
          refreshStatus: (await client.refresh(outcome.refreshed.refresh_token as string)).status,
          apiStatus: (await api(outcome.refreshed.access_token)).status,
        };
        return page(200, 'Appariement réussi');
      } catch (e) {
        outcome.error = (e as Error).message;
        return page(500, 'Échec');
      }
    });
    await new Promise<void>((resolve) => clientServer.listen(port, '127.0.0.1', resolve));
  });
  after(async () => {
    await new Promise<void>((resolve) => clientServer?.close(() => resolve()));
  });

  it('signs in, chooses whose space, consents per finalité, and the service gets, refreshes and revokes its tokens', async () => {
    const page = await suite.newPage();
    // The service sends the citizen to mesref; not signed in yet: the sandbox's test identity provider.
    await page.goto(`${clientUrl}/start`);
    await page.waitForURL(/\/test-idp\/interaction\//);
    await page.getByRole('button', { name: 'Se connecter en tant que Sophie Dubois' }).click();
    // Back at the pairing: Sophie is Léa's guardian, so she says whose space first.
    await page.waitForURL(/\/appariement\/[\w-]+/);
    assert.ok(await isVisibleText(page, 'Pour quel espace santé autorisez-vous Tension Navigateur ?'));
    await assertAccessible(page);
    await page.locator('label', { hasText: 'Mon espace (Sophie Dubois)' }).click();
    await page.getByRole('button', { name: 'Continuer' }).click();
    // The consent page: the service, its information text, per finalité what it reads and adds.
    await page.waitForURL(/\/appariement\/[\w-]+\?pour=/);
    const heading = page.getByRole('heading', { level: 1 });
    assert.equal(await heading.textContent(), 'Autoriser Tension Navigateur à accéder à votre espace santé');
    for (const text of [
      'Service édité par Tension Navigateur SAS',
      'lise mes mesures de tension et de poids',
      'Prévention',
      'Soins',
      'Pression artérielle',
      'Poids',
      'Vous pourrez modifier ou retirer ces autorisations à tout moment',
    ]) {
      assert.ok(await isVisibleText(page, text), `"${text}" is visible on the consent page`);
    }
    await assertAccessible(page);
    // « Autoriser » with nothing ticked: the page says what to do, the error linked to the choices.
    await page.getByRole('button', { name: 'Autoriser' }).click();
    assert.ok(await isVisibleText(page, 'Cochez au moins une finalité, ou choisissez « Refuser ».'));
    await assertAccessible(page);
    await page.locator('label[for="finalites-prevention"]').click();
    assert.ok(await page.getByRole('checkbox', { name: /Prévention/ }).isChecked());
    await page.getByRole('button', { name: 'Autoriser' }).click();
    await page.waitForURL(/\/callback\?/);
    assert.ok(await isVisibleText(page, 'Appariement réussi'), JSON.stringify(outcomes.at(-1)));

    const outcome = outcomes.at(-1) as ClientOutcome;
    assert.equal(outcome.error, undefined);
    assert.equal(outcome.stateOk, true);
    assert.equal(outcome.nonceOk, true);
    const tokens = outcome.tokens as TokenSet;
    assert.equal(decodeProtectedHeader(tokens.access_token).typ, 'at+jwt');
    const pairing = await pairingByIdPe(suite.server.mesref.db, outcome.idPe as string);
    assert.equal(pairing?.serviceUserId, 'utilisateur-7');
    assert.equal(pairing?.status, 'active');
    assert.equal(outcome.pairingApi?.status, 200);
    assert.equal(outcome.pairingApi?.body.idPe, outcome.idPe);
    const consents = outcome.pairingApi?.body.consents as Array<{ finalite: string }>;
    assert.ok(consents.length > 0 && consents.every((c) => c.finalite === 'prevention'));
    assert.ok(outcome.refreshed?.refresh_token && outcome.refreshed.refresh_token !== tokens.refresh_token);
    assert.equal(outcome.introspection?.active, true);
    assert.equal(outcome.introspection?.sub, outcome.idPe);
    assert.equal(outcome.afterRevocation?.introspection.active, false);
    assert.equal(outcome.afterRevocation?.refreshStatus, 400);
    assert.equal(outcome.afterRevocation?.apiStatus, 401);
  });

  it('sends the service an access_denied when the citizen refuses, in English too', async () => {
    const page = await suite.newPage({ locale: 'en-GB' });
    await page.goto(`${clientUrl}/start`);
    await page.waitForURL(/\/test-idp\/interaction\//);
    await page.getByRole('button', { name: /Sophie Dubois/ }).click();
    await page.waitForURL(/\/appariement\/[\w-]+/);
    await page.locator('label', { hasText: 'The space of Léa Dubois (a minor in my care)' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\?pour=/);
    assert.equal(
      await page.getByRole('heading', { level: 1 }).textContent(),
      'Allow Tension Navigateur to access the health space of Léa Dubois',
    );
    assert.ok(await isVisibleText(page, 'You decide for Léa Dubois'));
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Refuse' }).click();
    await page.waitForURL(/\/callback\?/);
    assert.equal(outcomes.at(-1)?.error, 'access_denied');
    assert.equal(outcomes.at(-1)?.stateOk, true);
  });
});
