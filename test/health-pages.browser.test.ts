/**
 * The citizen's health pages in a real Chromium, in French and English, each checked by axe-core: « Mes
 * mesures » draws a chart per category with JavaScript and shows the table of values without it; « Mes
 * documents » lists the documents (a minor's too) and its download link gives the file.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import { blockPageScripts, checkPage, describeBrowser, signIn } from './browser.ts';
import { CONCURRENCY, openPage, submitAndCheck } from './browser-forms.ts';
import { type HealthFamily, healthFamily, publishHealthService } from './health-fixtures.ts';

describeBrowser('the citizen’s health pages in a browser', {}, (suite) => {
  let family: HealthFamily;

  before(async () => {
    const app = suite.server.mesref;
    const service = await publishHealthService(app, 'Santé Suivi');
    family = await healthFamily(app, service, { guardian: 'Hélène', minor: 'Noé', stranger: 'Bruno' });
  });

  describe('measures and documents', { concurrency: CONCURRENCY }, () => {
    it('fr: draws a chart per category with JavaScript, then narrows the period', async (t) => {
      const page = await openPage(suite, t);
      await signIn(page, suite.server, { citizenId: family.guardian });
      await checkPage(page, `${suite.url}/usager/mesures`, {
        lang: 'fr',
        expectText: ['Mes mesures de santé', 'Pression artérielle', 'Poids', 'Santé Suivi'],
      });
      const charts = page.locator('.mesref-chart');
      assert.equal(await charts.count(), 2);
      assert.equal(await page.locator('.mesref-chart canvas').count(), 2, 'one canvas per chart');
      const bp = page.getByRole('img', { name: /^Courbe Pression artérielle : \d+ mesure/ });
      assert.ok(await bp.isVisible());
      assert.ok(((await bp.boundingBox())?.height ?? 0) > 200);
      // The table stays, with JavaScript too.
      assert.ok(
        await page.getByRole('table', { name: 'Pression artérielle : valeurs mesurées' }).isVisible(),
      );

      await page.locator('label[for="periode-30j"]').click();
      await submitAndCheck(page, () => page.getByRole('button', { name: 'Afficher', exact: true }).click(), {
        lang: 'fr',
        expectText: ['Pression artérielle'],
      });
      assert.match(page.url(), /periode=30j/);
      assert.ok(await page.getByRole('radio', { name: '30 derniers jours' }).isChecked());
      assert.equal(await page.locator('.mesref-chart canvas').count(), 2);
    });

    it('en: without JavaScript, the tables hold every value and no chart shows', async (t) => {
      const page = await openPage(suite, t);
      await blockPageScripts(page);
      await signIn(page, suite.server, { citizenId: family.guardian });
      await checkPage(page, `${suite.url}/usager/mesures?lang=en`, {
        lang: 'en',
        expectText: ['My health measures', 'Blood pressure', 'Weight', 'Last 12 months'],
      });
      assert.equal(await page.locator('.mesref-chart canvas').count(), 0);
      assert.equal(await page.getByRole('img', { name: /^Chart of Blood pressure/ }).isVisible(), false);
      const table = page.getByRole('table', { name: 'Blood pressure: measured values' });
      assert.ok(await table.isVisible());
      const data = JSON.parse(
        (await page.locator('#mesures-donnees-pression-arterielle').textContent()) as string,
      ) as { x: number[] };
      assert.equal(await table.locator('tbody tr').count(), data.x.length);
      assert.ok(await table.getByRole('columnheader', { name: 'Systolic' }).isVisible());
    });

    it('fr: lists my documents and downloads one', async (t) => {
      const page = await openPage(suite, t, { acceptDownloads: true });
      await signIn(page, suite.server, { citizenId: family.guardian });
      await checkPage(page, `${suite.url}/usager/documents`, {
        lang: 'fr',
        expectText: ['Mes documents de santé', 'Compte rendu d’examens biologiques', /PDF – \d/],
      });
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /^Télécharger Compte rendu d’échographie abdominale/ }).click(),
      ]);
      assert.equal(download.suggestedFilename(), 'Compte rendu d echographie abdominale.pdf');
      const bytes = await readFile((await download.path()) as string);
      assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    });

    it('en: the documents and measures of the minor in my care', async (t) => {
      const page = await openPage(suite, t);
      await signIn(page, suite.server, { citizenId: family.guardian });
      await checkPage(page, `${suite.url}/usager/documents?lang=en`, {
        lang: 'en',
        expectText: ['My health documents', 'Download Compte rendu'],
      });
      await page.getByLabel('Profile').selectOption({ label: 'Noé Famille' });
      await submitAndCheck(page, () => page.getByRole('button', { name: 'Show', exact: true }).click(), {
        lang: 'en',
        expectText: ['Profile of Noé Famille', 'Documents of Noé Famille'],
      });
      await checkPage(page, `${suite.url}/usager/mesures?personne=${family.minor}`, {
        lang: 'en',
        expectText: ['Profile of Noé Famille', 'Weight'],
      });
      assert.equal(await page.locator('.mesref-chart canvas').count(), 1);
    });
  });
});
