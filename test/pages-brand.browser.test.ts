import assert from 'node:assert/strict';
import { it } from 'node:test';
import { checkPage, describeBrowser } from './browser.ts';

// The neutral operator's pages are in pages.browser.test.ts; this file starts its own server with the State brand.
describeBrowser(
  'public pages in a browser (public administration operator)',
  { env: { MESREF_STATE_BRAND: 'true' } },
  (suite) => {
    it('shows the République Française brand block in the header and the footer, with the Marianne font', async () => {
      const page = await suite.newPage();
      const fonts: string[] = [];
      page.on('request', (request) => {
        if (request.resourceType() === 'font') fonts.push(request.url());
      });
      await checkPage(page, `${suite.url}/`, {
        lang: 'fr',
        expectText: ['Référencer un service numérique en santé'],
      });
      const header = page.locator('header .fr-logo');
      const footer = page.locator('footer .fr-logo');
      assert.ok(await header.isVisible());
      assert.ok(await footer.isVisible());
      // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator; <br> only shows in the rendered text
      assert.match((await header.innerText()).replace(/\s+/g, ' '), /République Française/i);
      await page.waitForLoadState('networkidle');
      assert.ok(
        fonts.some((url) => url.includes('/dsfr/fonts/Marianne')),
        `the Marianne font is loaded (requested fonts: ${fonts.join(', ') || 'none'})`,
      );
    });

    it('keeps the brand block accessible in English', async () => {
      const page = await suite.newPage();
      await checkPage(page, `${suite.url}/mentions-legales?lang=en`, {
        lang: 'en',
        expectText: ['Legal notice'],
      });
      assert.ok(await page.locator('header .fr-logo').isVisible());
    });
  },
);
