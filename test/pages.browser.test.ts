import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Page } from 'playwright-core';
import { queueMail } from '../src/platform/mail.ts';
import {
  assertAccessible,
  axeViolations,
  blockPageScripts,
  checkPage,
  describeBrowser,
  isVisibleText,
  mainText,
  signIn,
} from './browser.ts';
import { createAccount } from './helpers.ts';

interface PageCase {
  name: string;
  path: string;
  status?: number;
  fr: string[];
  en: string[];
}

const pages: PageCase[] = [
  {
    name: 'home',
    path: '/',
    fr: ['Référencer un service numérique en santé', 'Espace éditeur', 'Documentation de l’API'],
    en: ['Referencing a digital health service', 'Publisher space', 'API documentation'],
  },
  {
    name: 'accessibility statement',
    path: '/accessibilite',
    fr: ['Déclaration d’accessibilité', 'État de conformité : partiellement conforme'],
    en: ['Accessibility statement', 'Compliance status: partially compliant'],
  },
  {
    name: 'legal notice',
    path: '/mentions-legales',
    fr: ['Mentions légales', 'licence EUPL 1.2'],
    en: ['Legal notice', 'EUPL 1.2 licence'],
  },
  {
    name: 'personal data',
    path: '/donnees-personnelles',
    fr: ['Données personnelles', 'Aucun traceur'],
    en: ['Personal data', 'No tracker'],
  },
  {
    name: 'sandbox mailbox',
    path: '/bac-a-sable/courriels',
    fr: [
      'Courriels capturés du bac à sable',
      'aucun courriel ne quitte mesref',
      'Bienvenue sur mesref',
      'À : camille@exemple.test',
      'Code de vérification : 123456',
    ],
    en: [
      'Sandbox captured mail',
      'no mail leaves mesref',
      'Bienvenue sur mesref',
      'To: camille@exemple.test',
      'Code de vérification : 123456',
    ],
  },
  {
    name: 'not found',
    path: '/page-qui-n-existe-pas',
    status: 404,
    fr: ['Erreur 404', 'Page ou ressource introuvable.', 'Retour à l’accueil'],
    en: ['Error 404', 'Page or resource not found.', 'Back to the home page'],
  },
];

/** The visible language switch link (the header has a copy for the mobile menu, hidden on a desktop). */
function languageSwitch(page: Page, name: 'English' | 'Français') {
  return page.getByRole('link', { name, exact: true }).filter({ visible: true });
}

describeBrowser('public pages in a browser (neutral operator)', {}, (suite) => {
  before(async () => {
    await queueMail(suite.server.mesref.db, {
      to: 'camille@exemple.test',
      subject: 'Bienvenue sur mesref',
      text: 'Votre compte est prêt. Code de vérification : 123456\nConfirmez : https://mesref.exemple.test/verifier?code=123456',
    });
  });

  it('the accessibility check itself reports violations (it would not pass a broken page)', async () => {
    const page = await suite.newPage();
    await page.setContent(
      '<html><body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><a href="/x"></a></body></html>',
    );
    const ids = (await axeViolations(page)).map((v) => v.id);
    for (const id of ['html-has-lang', 'image-alt', 'link-name'])
      assert.ok(ids.includes(id), `axe reports ${id}: ${ids}`);
  });

  it('sandbox mailbox: a captured mail is shown whole, with its links clickable', async () => {
    const page = await suite.newPage({ javaScriptEnabled: false });
    await page.goto(`${suite.url}/bac-a-sable/courriels`);
    const mail = page.getByRole('region', { name: 'Bienvenue sur mesref' });
    assert.ok(await mail.isVisible());
    const link = mail.getByRole('link', { name: 'https://mesref.exemple.test/verifier?code=123456' });
    assert.equal(await link.getAttribute('href'), 'https://mesref.exemple.test/verifier?code=123456');
  });

  it('on a small screen without JavaScript, the menu and the sign-in links are in the page', async () => {
    const page = await suite.newPage({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    await page.goto(`${suite.url}/`);
    assert.ok(await page.getByRole('navigation', { name: 'Menu principal' }).isVisible());
    assert.ok(
      await page.getByRole('link', { name: 'Se connecter' }).filter({ visible: true }).first().isVisible(),
    );
    assert.equal(await page.getByRole('button', { name: 'Menu' }).isVisible(), false);
  });

  it('on a small screen with JavaScript, the menu opens from the Menu button', async () => {
    const page = await suite.newPage({ viewport: { width: 390, height: 844 } });
    await checkPage(page, `${suite.url}/`, { expectText: ['Référencer un service numérique en santé'] });
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    assert.equal(await nav.isVisible(), false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await nav.getByRole('link', { name: 'Courriels capturés' }).waitFor({ state: 'visible' });
    await assertAccessible(page);
    await nav.getByRole('link', { name: 'Courriels capturés' }).click();
    await page.waitForURL(/\/bac-a-sable\/courriels$/);
  });

  for (const p of pages) {
    it(`${p.name}: French, then English through the language switch, kept by the cookie`, async () => {
      const page = await suite.newPage();
      await checkPage(page, `${suite.url}${p.path}`, { status: p.status, lang: 'fr', expectText: p.fr });

      await languageSwitch(page, 'English').click();
      await page.waitForURL(/lang=en/);
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      for (const text of p.en) assert.ok(await isVisibleText(page, text), `"${text}" not visible in English`);

      // Without ?lang the cookie keeps English (and the English page is checked with axe here).
      await checkPage(page, `${suite.url}${p.path}`, { status: p.status, lang: 'en', expectText: p.en });

      await languageSwitch(page, 'Français').click();
      await page.waitForURL(/lang=fr/);
      assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
      for (const text of p.fr) assert.ok(await isVisibleText(page, text), `"${text}" not visible in French`);
    });

    it(`${p.name}: ?lang=en gives English directly`, async () => {
      const page = await suite.newPage();
      await checkPage(page, `${suite.url}${p.path}?lang=en`, {
        status: p.status,
        lang: 'en',
        expectText: p.en,
        axe: false, // the same English page is checked with axe above
      });
    });

    it(`${p.name}: works without JavaScript, with the same main content`, async () => {
      const withJs = await suite.newPage();
      await withJs.goto(`${suite.url}${p.path}`);
      const noJs = await suite.newPage({ javaScriptEnabled: false });
      await checkPage(noJs, `${suite.url}${p.path}`, {
        status: p.status,
        lang: 'fr',
        expectText: p.fr,
        axe: false,
      });
      assert.equal(await mainText(noJs), await mainText(withJs));
      // The navigation and the footer links are reachable without JavaScript too.
      assert.ok(await noJs.getByRole('navigation', { name: 'Menu principal' }).isVisible());
      assert.ok(await noJs.getByRole('link', { name: 'Mentions légales' }).isVisible());
      // The page as rendered without its scripts is accessible as well.
      const scriptless = await suite.newPage();
      await blockPageScripts(scriptless);
      await checkPage(scriptless, `${suite.url}${p.path}`, {
        status: p.status,
        lang: 'fr',
        expectText: p.fr,
      });
    });
  }

  it('signed in, the header names the person and signs them out, in an accessible page', async () => {
    const account = await createAccount(suite.server.mesref.db);
    const page = await suite.newPage();
    await signIn(page, suite.server, { accountId: account.accountId });
    await checkPage(page, `${suite.url}/mentions-legales`, { expectText: ['Mentions légales'] });
    const signOut = page.getByRole('button', { name: /^Se déconnecter \(Test / }).filter({ visible: true });
    assert.equal(await signOut.count(), 1);
    await signOut.click();
    await page.waitForURL((url) => !url.pathname.startsWith('/deconnexion'));
    assert.ok(await page.getByRole('link', { name: 'Se connecter' }).filter({ visible: true }).isVisible());
  });

  it('has skip links to the content and the footer', async () => {
    const page = await suite.newPage();
    await page.goto(`${suite.url}/`);
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    assert.equal(await focused.getAttribute('href'), '#contenu');
    assert.ok(await focused.isVisible(), 'the first skip link shows when focused');
    const skipLinks = page.getByRole('navigation', { name: 'Accès rapide' }).getByRole('link');
    assert.deepEqual(await skipLinks.allInnerTexts(), ['Contenu', 'Menu', 'Pied de page']);
    for (const href of await skipLinks.evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
      assert.equal(await page.locator(href as string).count(), 1, `the target of ${href} exists`);
    }
    await focused.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'contenu');
  });

  it('shows no State brand block and never loads the Marianne or Spectral fonts', async () => {
    const page = await suite.newPage();
    const fonts: string[] = [];
    const seen: string[] = []; // what the page had when a font was asked for, to explain a failure
    page.on('request', (request) => {
      if (request.resourceType() === 'font' || /Marianne|Spectral/i.test(request.url()))
        fonts.push(request.url());
    });
    page.on('response', (response) => {
      if (/\.css$/.test(new URL(response.url()).pathname))
        seen.push(`${response.status()} ${response.url()}`);
    });
    for (const p of pages) {
      await page.goto(`${suite.url}${p.path}`, { waitUntil: 'networkidle' });
      if (fonts.length > 0) {
        const state = await page.evaluate(() => ({
          htmlClass: document.documentElement.className,
          bodyFont: getComputedStyle(document.body).fontFamily,
          sheets: [...document.styleSheets].map((sheet) => sheet.href),
        }));
        assert.fail(
          `fonts requested on ${p.path}: ${fonts.join(', ')}\n${JSON.stringify(state, null, 2)}\n${seen.join('\n')}`,
        );
      }
    }
    assert.equal(await page.locator('.fr-logo').count(), 0);
    assert.equal(await isVisibleText(page, 'République'), false);
    // The operator's name stands in the header and the footer instead.
    assert.ok(await page.locator('.fr-header__service-title').getByText('mesref').isVisible());
  });
});
