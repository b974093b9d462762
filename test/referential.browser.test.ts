/**
 * The referential pages in a real Chromium, in French and English, checked by axe-core (WCAG 2.1 AA): the
 * list of versions, one version, a comparison, and the comparison form. Each shows the demonstration notice.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPage, describeBrowser } from './browser.ts';
import { CONCURRENCY, en, openPage, submitAndCheck } from './browser-forms.ts';

const TEXTS = {
  fr: {
    list: 'Référentiels de référencement',
    notice: 'Version de démonstration',
    v2: 'Référentiel de référencement v2 (démonstration)',
    urbanisation: 'Urbanisation',
    exchangeTheme: 'Échange de données avec Mon espace santé',
    condition: 'Le service lira-t-il ou écrira-t-il des données dans Mon espace santé ? : oui',
    diff: 'De 2022-v1 à 2023-v2',
    added: 'Critères ajoutés (17)',
    removed: 'Critères retirés (1)',
    changed: 'Critères modifiés (3)',
    compare: 'Comparer',
    from: 'Version de départ',
    to: 'Version d’arrivée',
    reverse: 'De 2023-v2 à 2022-v1',
  },
  en: {
    list: 'Referencing frameworks',
    notice: 'Demonstration version',
    v2: 'Referencing framework v2 (demonstration)',
    urbanisation: 'Urbanisation',
    exchangeTheme: 'Data exchange with Mon espace santé',
    condition: 'Will the service read or write data in Mon espace santé?: yes',
    diff: 'From 2022-v1 to 2023-v2',
    added: 'Criteria added (17)',
    removed: 'Criteria removed (1)',
    changed: 'Criteria changed (3)',
    compare: 'Compare',
    from: 'From version',
    to: 'To version',
    reverse: 'From 2023-v2 to 2022-v1',
  },
};

describeBrowser('referential pages in a browser', {}, (suite) => {
  describe('French and English', { concurrency: CONCURRENCY }, () => {
    for (const lang of ['fr', 'en'] as const) {
      const l = TEXTS[lang];
      const url = (path: string) => `${suite.url}${lang === 'en' ? en(path) : path}`;

      it(`${lang}: the list of versions`, async (t) => {
        const page = await openPage(suite, t);
        await checkPage(page, url('/referentiels'), {
          lang,
          expectText: [l.list, l.notice, '2023-v2', '2022-v1'],
        });
      });

      it(`${lang}: one version, its rubriques, themes and criteria`, async (t) => {
        const page = await openPage(suite, t);
        await checkPage(page, url('/referentiels/2023-v2'), {
          lang,
          expectText: [l.v2, l.notice, l.urbanisation, l.exchangeTheme, 'SED 15', 'ETH 32', l.condition],
        });
        // The level is a word in its cell, never a colour alone.
        const level = page.locator('#critere-sed-01 td').nth(1);
        assert.equal((await level.textContent())?.trim(), lang === 'fr' ? 'Obligatoire' : 'Mandatory');
      });

      it(`${lang}: a comparison, and the form that leads to another`, async (t) => {
        const page = await openPage(suite, t);
        await checkPage(page, url('/referentiels/2022-v1/diff/2023-v2'), {
          lang,
          expectText: [l.diff, l.notice, l.added, l.removed, l.changed, 'INT 04', 'SED 01'],
        });
        await checkPage(page, url('/referentiels'), { lang, axe: false });
        await page.getByLabel(l.from).selectOption('2023-v2');
        await page.getByLabel(l.to).selectOption('2022-v1');
        await submitAndCheck(page, () => page.getByRole('button', { name: l.compare, exact: true }).click(), {
          lang,
          expectText: [l.reverse, l.notice],
        });
        assert.match(page.url(), /\/referentiels\/2023-v2\/diff\/2022-v1$/);
      });
    }
  });
});
