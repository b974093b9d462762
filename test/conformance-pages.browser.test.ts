/**
 * The connection-test pages in a real Chromium: a publisher opens a session from the form, reads the client
 * secret once, the test citizens, the plans and their instructions; the platform-side action button works;
 * a call of the session's client turns a test's status on the page while it is open (the live progress
 * script polls the JSON API), and the page shows the same statuses without JavaScript. French and English,
 * each page checked by axe-core (WCAG 2.1 AA).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CONFORMANCE_PATH } from '../src/conformance/pages.tsx';
import {
  assertAccessible,
  blockPageScripts,
  checkPage,
  describeBrowser,
  isVisibleText,
  signIn,
} from './browser.ts';
import { CONCURRENCY, en, openPage, submitAndCheck } from './browser-forms.ts';
import { type ReadyPublisher, readyPublisher } from './dossier-fixtures.ts';

const TEXTS = {
  fr: {
    list: 'Tests d’accrochage',
    open: 'Ouvrir la session',
    write: 'Pression artérielle : écriture',
    read: 'Pression artérielle : lecture',
    finalite: 'Suivi social et médico-social',
    secretOnce: 'Copiez le secret client maintenant',
    citizens: 'Citoyens de test',
    pairingPlan: 'Appairage (OAuth 2.0, PKCE)',
    mesuresPlan: 'API Mesures de santé',
    instructions: 'code_challenge_method=S256',
    notRun: 'Non exécuté',
    failed: 'Échoué',
    refuse: 'Refuser le prochain envoi (422)',
    actionDone: 'Action enregistrée : Refus du prochain envoi.',
    calls: 'Appels enregistrés',
    reportPdf: 'Rapport (PDF)',
    reportHtml: 'Rapport (HTML)',
    reportTitle: 'Rapport de tests d’accrochage — Tension Accroche',
    notPassed: 'Des plans requis ne sont pas réussis.',
  },
  en: {
    list: 'Connection tests',
    open: 'Open the session',
    write: 'Blood pressure: write',
    read: 'Blood pressure: read',
    finalite: 'Social and medico-social follow-up',
    secretOnce: 'Copy the client secret now',
    citizens: 'Test citizens',
    pairingPlan: 'Pairing (OAuth 2.0, PKCE)',
    mesuresPlan: 'Health measures API',
    instructions: 'code_challenge_method=S256',
    notRun: 'Not run',
    failed: 'Failed',
    refuse: 'Refuse the next push (422)',
    actionDone: 'Action recorded: Refusal of the next push.',
    calls: 'Recorded calls',
    reportPdf: 'Report (PDF)',
    reportHtml: 'Report (HTML)',
    reportTitle: 'Connection-test report — Pressure Hook',
    notPassed: 'Some required plans have not passed.',
  },
};

describeBrowser('connection tests: the session pages in a browser', {}, (suite) => {
  const publishers: Record<'fr' | 'en', ReadyPublisher | undefined> = { fr: undefined, en: undefined };
  before(async () => {
    publishers.fr = await readyPublisher(suite.server.mesref, {
      name: 'Tension Accroche',
      dataExchange: true,
    });
    publishers.en = await readyPublisher(suite.server.mesref, { name: 'Pressure Hook', dataExchange: true });
  });

  describe('a session', { concurrency: CONCURRENCY }, () => {
    for (const lang of ['fr', 'en'] as const) {
      const l = TEXTS[lang];
      const url = (path: string) => (lang === 'en' ? en(path) : path);

      it(`${lang}: opens a session, shows its secret once, its plans and live statuses`, async (t) => {
        const publisher = publishers[lang] as ReadyPublisher;
        const page = await openPage(suite, t);
        await signIn(page, suite.server, { accountId: publisher.accountId });
        await checkPage(page, `${suite.url}${url(CONFORMANCE_PATH)}`, { lang, expectText: [l.list, l.open] });

        // Without a finalité the form comes back with the problem, and what was typed.
        await page.locator('#session-product').selectOption(publisher.productId);
        await page.getByText(l.write, { exact: true }).click();
        await page.getByText(l.read, { exact: true }).click();
        await page.locator('#session-redirect-uris').fill('http://localhost:8765/retour');
        await submitAndCheck(page, () => page.getByRole('button', { name: l.open }).click(), {
          lang,
          status: 422,
        });
        assert.equal(await page.getByLabel(l.write, { exact: true }).isChecked(), true);

        await page.getByText(l.finalite, { exact: true }).click();
        await submitAndCheck(page, () => page.getByRole('button', { name: l.open }).click(), {
          lang,
          status: 201,
          expectText: [
            l.secretOnce,
            l.citizens,
            l.pairingPlan,
            l.mesuresPlan,
            l.instructions,
            l.calls,
            l.reportPdf,
          ],
        });
        const secret = await page.locator('[data-client-secret]').textContent();
        assert.ok(secret && secret.length >= 20, 'the client secret is shown');
        const sessionUrl = new URL(
          (await page.locator('[data-conformance-session]').getAttribute('data-conformance-session')) ?? '',
          `${suite.url}${CONFORMANCE_PATH}/`,
        ).toString();
        const clientId = (await page.locator('main code').first().textContent()) ?? '';
        assert.match(clientId, /^sandbox-[0-9a-f]{12}$/);
        const authorizeBadge = page.locator('[data-test-status="pairing.authorize-pkce"]');
        assert.equal((await authorizeBadge.textContent())?.trim(), l.notRun);

        // Shown once: the session's page, read again, never shows it.
        await checkPage(page, sessionUrl, { lang, expectText: [l.pairingPlan] });
        assert.equal(await page.locator('[data-client-secret]').count(), 0);
        assert.equal(await page.content().then((html) => html.includes(secret)), false);

        // A platform-side action from its button.
        await submitAndCheck(page, () => page.getByRole('button', { name: l.refuse }).click(), {
          lang,
          expectText: [l.actionDone],
        });

        // The session's client asks for an authorization without PKCE: the page, left open, turns the test
        // to failed without being reloaded.
        const authorize = new URL(`${suite.url}/oauth/auth`);
        authorize.searchParams.set('client_id', clientId);
        authorize.searchParams.set('response_type', 'code');
        authorize.searchParams.set('redirect_uri', 'http://localhost:8765/retour');
        authorize.searchParams.set('scope', 'openid');
        authorize.searchParams.set('state', 'etat-sans-pkce');
        await fetch(authorize, { redirect: 'manual' });
        await page.waitForFunction(
          (text) =>
            document.querySelector('[data-test-status="pairing.authorize-pkce"]')?.textContent?.trim() ===
            text,
          l.failed,
          { timeout: 15_000 },
        );
        assert.equal((await page.locator('[data-plan-status="pairing"]').textContent())?.trim(), l.failed);
        await assertAccessible(page);

        // The report's page, from its link.
        await submitAndCheck(page, () => page.getByRole('link', { name: l.reportHtml }).click(), {
          lang,
          expectText: [l.reportTitle, l.notPassed, 'pairing.authorize-pkce'],
        });
        await page.goBack();

        // Without JavaScript the page tells the same, from the server.
        const plain = await openPage(suite, t);
        await blockPageScripts(plain);
        await signIn(plain, suite.server, { accountId: publisher.accountId });
        await checkPage(plain, lang === 'en' ? en(sessionUrl) : sessionUrl, {
          lang,
          expectText: [l.pairingPlan],
        });
        assert.equal(
          (await plain.locator('[data-test-status="pairing.authorize-pkce"]').textContent())?.trim(),
          l.failed,
        );
        assert.ok(await isVisibleText(plain, 'oauth.authorize'));
      });
    }
  });

  it('is not offered to someone outside the organisation', async (t) => {
    const outsider = await readyPublisher(suite.server.mesref, { name: 'Autre Éditeur' });
    const publisher = publishers.fr as ReadyPublisher;
    const page = await openPage(suite, t);
    await signIn(page, suite.server, { accountId: publisher.accountId });
    await page.goto(`${suite.url}${CONFORMANCE_PATH}`);
    const first = await page.locator('tbody a').first().getAttribute('href');
    assert.ok(first);
    const other = await openPage(suite, t);
    await signIn(other, suite.server, { accountId: outsider.accountId });
    await checkPage(other, `${suite.url}${first}`, { status: 404, axe: false });
  });
});
