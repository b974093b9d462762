/**
 * The citizen's pages in a real Chromium: sign-in through the sandbox's test identity provider, the citizen
 * space, the sign-out and the pages of a sign-in that did not complete, in French and in English, checked by
 * axe-core (WCAG 2.1 AA), and the whole sign-in and sign-out without JavaScript.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { checkPage, describeBrowser, mainText } from './browser.ts';
import { CONCURRENCY, en, openPage, submitAndCheck, visibleButton } from './browser-forms.ts';

const text = {
  fr: {
    provider: 'Fournisseur d’identité de test',
    chooser: [
      'Fournisseur d’identité de test',
      'Bac à sable : ces personnes sont fictives, leurs INS sont des valeurs de test. Aucune donnée réelle.',
      'mesref vous demande de vous identifier. Choisissez la personne que vous incarnez.',
      'Sophie Dubois',
      'Mère de Léa, représentante légale',
      '14 mars 1984',
      '284036912300175',
      'Aucun (identité non qualifiée)',
    ],
    signInAs: 'Se connecter en tant que Sophie Dubois',
    space: [
      'Bonjour Sophie Dubois',
      'Mon identité',
      'Ces informations viennent de votre fournisseur d’identité',
      '14 mars 1984',
      'INS de test',
      '284036912300175',
      'Identifiant national de santé fictif (INS-NIR-TEST, urn:oid:1.2.250.1.213.1.4.10)',
      'Les mineurs que je représente',
      'Vous êtes représentant légal de ces personnes',
      'Mineurs représentés',
      'Léa Dubois',
      '21 juin 2017',
      '217067511308763',
    ],
    signOut: 'Se déconnecter (Sophie Dubois)',
    logout: ['Se déconnecter', 'Voulez-vous aussi vous déconnecter du fournisseur d’identité de test ?'],
    logoutYes: 'Oui, me déconnecter',
    logoutNo: 'Non, rester connecté',
    home: 'Référencer un service numérique en santé',
    citizenSignIn: 'Espace usager',
    cancel: 'Annuler et revenir au service',
    failed: ['La connexion n’a pas abouti', 'Réessayer de me connecter', 'Retour à l’accueil'],
    cancelled: 'Vous avez annulé la connexion auprès du fournisseur d’identité.',
    noRequest: 'Cette demande de connexion a expiré ou a déjà servi. Recommencez depuis le début.',
    expired: 'Cette demande de connexion a expiré ou n’existe pas. Revenez au service et recommencez.',
    providerError: 'Le fournisseur d’identité de test a refusé la demande :',
    loggedOut: 'Vous êtes déconnecté du fournisseur d’identité de test.',
  },
  en: {
    provider: 'Test identity provider',
    chooser: [
      'Test identity provider',
      'Sandbox: these people are fictitious and their INS are test values. No real data.',
      'mesref asks you to identify yourself. Choose the person you act as.',
      'Sophie Dubois',
      'Léa’s mother, legal guardian',
      '14 March 1984',
      '284036912300175',
      'None (identity not qualified)',
    ],
    signInAs: 'Sign in as Sophie Dubois',
    space: [
      'Hello Sophie Dubois',
      'My identity',
      'This information comes from your identity provider',
      '14 March 1984',
      'Test INS',
      '284036912300175',
      'Fictitious national health identifier (INS-NIR-TEST, urn:oid:1.2.250.1.213.1.4.10)',
      'The minors I represent',
      'You are the legal guardian of these people',
      'Minors represented',
      'Léa Dubois',
      '21 June 2017',
      '217067511308763',
    ],
    signOut: 'Sign out (Sophie Dubois)',
    logout: ['Sign out', 'Do you also want to sign out of the test identity provider?'],
    logoutYes: 'Yes, sign me out',
    logoutNo: 'No, stay signed in',
    home: 'Referencing a digital health service',
    citizenSignIn: 'Citizen space',
    cancel: 'Cancel and go back to the service',
    failed: ['Sign-in did not complete', 'Try signing in again', 'Back to the home page'],
    cancelled: 'You cancelled the sign-in at the identity provider.',
    noRequest: 'This sign-in request has expired or was already used. Please start again.',
    expired: 'This sign-in request has expired or does not exist. Go back to the service and start again.',
    providerError: 'The test identity provider refused the request:',
    loggedOut: 'You are signed out of the test identity provider.',
  },
};

/** Whether `below` is drawn on a line of its own under `above`, not run on beside it. */
async function isBelow(above: Locator, below: Locator): Promise<boolean> {
  const [a, b] = await Promise.all([above.boundingBox(), below.boundingBox()]);
  assert.ok(a && b, 'both are drawn');
  return b.y >= a.y + a.height - 1;
}

const CHOOSER = /\/test-idp\/interaction\/[^/?]+$/;
/** The citizen space (in English, the address keeps the ?lang=en it was first asked with). */
const SPACE = /\/usager(\?lang=en)?$/;

describeBrowser('citizen pages in a browser', {}, (suite) => {
  const url = (path: string) => `${suite.url}${path}`;
  const open = (t: TestContext, options: BrowserContextOptions = {}) => openPage(suite, t, options);

  /** The test provider's chooser, reached as a person does: asking for their space. */
  async function reachChooser(page: Page, lang: 'fr' | 'en', axe = true) {
    await checkPage(page, url(lang === 'fr' ? '/usager' : en('/usager')), {
      lang,
      expectText: text[lang].chooser,
      axe,
    });
    assert.match(page.url(), CHOOSER, 'an anonymous visitor of /usager is sent to the chooser');
  }

  describe('sign-in, space, sign-out and failures', { concurrency: CONCURRENCY }, () => {
    for (const lang of ['fr', 'en'] as const) {
      it(`journey (${lang}): /usager → test provider → Sophie Dubois, a guardian, sees herself and Léa → signs out`, async (t) => {
        const l = text[lang];
        const page = await open(t);
        await reachChooser(page, lang);
        // Each test person's description stands under their name.
        const sophie = page.getByRole('row').filter({ hasText: l.signInAs });
        assert.ok(
          await isBelow(sophie.getByText('Sophie Dubois', { exact: true }), sophie.getByText(l.chooser[4])),
        );

        await submitAndCheck(page, () => page.getByRole('button', { name: l.signInAs }).click(), {
          lang,
          expectText: l.space,
        });
        assert.match(page.url(), SPACE);
        const minors = page.getByRole('table', {
          name: lang === 'fr' ? 'Mineurs représentés' : 'Minors represented',
        });
        assert.ok(await minors.getByRole('cell', { name: 'Léa Dubois' }).isVisible());
        // The INS and what it is are not run together.
        assert.ok(
          await isBelow(page.getByText('284036912300175', { exact: true }), page.getByText(l.space[6])),
        );

        // Signing out of mesref asks whether to leave the provider too.
        await submitAndCheck(page, () => visibleButton(page, l.signOut).click(), {
          lang,
          expectText: l.logout,
        });
        assert.match(page.url(), /\/test-idp\/session\/end/);
        await submitAndCheck(page, () => page.getByRole('button', { name: l.logoutYes }).click(), {
          lang,
          expectText: [l.home],
        });
        assert.equal(page.url(), url('/'));
        assert.equal(await visibleButton(page, l.signOut).count(), 0, 'signed out of mesref');
        assert.ok(
          await page
            .getByRole('banner')
            .getByRole('link', { name: l.citizenSignIn, exact: true })
            .filter({ visible: true })
            .isVisible(),
        );

        // Signed out of the provider as well: the chooser again.
        await reachChooser(page, lang, false);
      });
    }

    it('staying signed in at the provider: the next sign-in skips the chooser', async (t) => {
      const page = await open(t);
      await reachChooser(page, 'fr', false);
      await Promise.all([
        page.waitForURL(SPACE),
        page.getByRole('button', { name: text.fr.signInAs }).click(),
      ]);
      await Promise.all([
        page.waitForURL(/\/test-idp\/session\/end/),
        visibleButton(page, text.fr.signOut).click(),
      ]);
      await submitAndCheck(page, () => page.getByRole('button', { name: text.fr.logoutNo }).click(), {
        expectText: [text.fr.home],
      });
      await checkPage(page, url('/usager'), {
        lang: 'fr',
        expectText: ['Bonjour Sophie Dubois'],
        axe: false,
      });
      assert.match(page.url(), /\/usager$/);
    });

    it('without JavaScript: the same sign-in, the same space, the same sign-out', async (t) => {
      const withJs = await open(t);
      await reachChooser(withJs, 'fr', false);
      await Promise.all([
        withJs.waitForURL(SPACE),
        withJs.getByRole('button', { name: text.fr.signInAs }).click(),
      ]);

      const page = await open(t, { javaScriptEnabled: false });
      await reachChooser(page, 'fr', false);
      await submitAndCheck(page, () => page.getByRole('button', { name: text.fr.signInAs }).click(), {
        lang: 'fr',
        expectText: text.fr.space,
        axe: false,
      });
      assert.equal(await mainText(page), await mainText(withJs));
      await submitAndCheck(page, () => visibleButton(page, text.fr.signOut).click(), {
        expectText: text.fr.logout,
        axe: false,
      });
      await submitAndCheck(page, () => page.getByRole('button', { name: text.fr.logoutYes }).click(), {
        expectText: [text.fr.home],
        axe: false,
      });
      assert.equal(page.url(), url('/'));
      await reachChooser(page, 'fr', false);
    });

    for (const lang of ['fr', 'en'] as const) {
      it(`cancelling at the provider (${lang}): a page says so, and its retry link starts again`, async (t) => {
        const l = text[lang];
        const page = await open(t);
        await reachChooser(page, lang, false);
        await submitAndCheck(page, () => page.getByRole('button', { name: l.cancel }).click(), {
          status: 400,
          lang,
          expectText: [...l.failed, l.cancelled],
        });
        assert.match(page.url(), /\/usager\/callback\?/);
        await Promise.all([page.waitForURL(CHOOSER), page.getByRole('link', { name: l.failed[1] }).click()]);
      });
    }

    const messagePages: Array<{ name: string; path: string; status: number; fr: string[]; en: string[] }> = [
      {
        name: 'the callback without a sign-in request',
        path: '/usager/callback?code=abc&state=xyz',
        status: 400,
        fr: [...text.fr.failed, text.fr.noRequest],
        en: [...text.en.failed, text.en.noRequest],
      },
      {
        name: 'an expired or unknown interaction at the test provider',
        path: '/test-idp/interaction/inconnue',
        status: 400,
        fr: [text.fr.provider, text.fr.expired, 'Retour à l’accueil'],
        en: [text.en.provider, text.en.expired, 'Back to the home page'],
      },
      {
        name: 'a request the test provider refuses',
        path: '/test-idp/auth?client_id=inconnu&response_type=code&scope=openid',
        status: 400,
        fr: [text.fr.provider, text.fr.providerError],
        en: [text.en.provider, text.en.providerError],
      },
    ];
    for (const p of messagePages) {
      it(`${p.name}: a page in French and English, accessible`, async (t) => {
        const page = await open(t);
        await checkPage(page, url(p.path), { status: p.status, lang: 'fr', expectText: p.fr });
        await checkPage(page, url(en(p.path)), { status: p.status, lang: 'en', expectText: p.en });
      });
    }

    it('signing out at the test provider alone ends on its own confirmation page, in French and English', async (t) => {
      for (const lang of ['fr', 'en'] as const) {
        const l = text[lang];
        const page = await open(t);
        await reachChooser(page, lang, false);
        await Promise.all([page.waitForURL(SPACE), page.getByRole('button', { name: l.signInAs }).click()]);
        // Without a return address, the provider ends on its own page rather than sending back to mesref.
        await checkPage(page, url('/test-idp/session/end'), { lang, expectText: l.logout });
        await submitAndCheck(page, () => page.getByRole('button', { name: l.logoutYes }).click(), {
          lang,
          expectText: [l.provider, l.loggedOut],
        });
      }
    });

    it('on a 320-px-wide screen the chooser and the space reflow: only their tables scroll, in their own box', async (t) => {
      const page = await open(t, { viewport: { width: 320, height: 640 } });
      const widthOf = () => page.evaluate(() => document.documentElement.scrollWidth);
      await reachChooser(page, 'fr', false);
      assert.equal(await widthOf(), 320, 'the chooser does not scroll sideways');
      const signInAs = page.getByRole('button', { name: text.fr.signInAs });
      await signInAs.scrollIntoViewIfNeeded();
      await Promise.all([page.waitForURL(SPACE), signInAs.click()]);
      assert.equal(await widthOf(), 320, 'the citizen space does not scroll sideways');
    });

    it('a signed-in citizen sees no sign-in link, and /usager/connexion goes straight to the space', async (t) => {
      const page = await open(t);
      await reachChooser(page, 'fr', false);
      await Promise.all([
        page.waitForURL(SPACE),
        page.getByRole('button', { name: text.fr.signInAs }).click(),
      ]);
      assert.equal(
        await page
          .getByRole('link', { name: 'Espace usager', exact: true })
          .filter({ visible: true })
          .count(),
        0,
      );
      assert.ok(
        await page.getByRole('link', { name: 'Mon espace usager' }).filter({ visible: true }).isVisible(),
      );
      await checkPage(page, url('/usager/connexion'), { expectText: ['Bonjour Sophie Dubois'], axe: false });
      assert.match(page.url(), /\/usager$/);
    });
  });
});
