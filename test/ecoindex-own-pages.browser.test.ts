import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { type EcoindexResult, ecoindex } from '../src/ecoscore/ecoindex.ts';
import type { Journey } from '../src/ecoscore/journey.ts';
import { type PageReached, pagesReached, runJourney } from '../src/ecoscore/runner.ts';
import { browserSkipReason, type RunningMesref, startServer } from './browser.ts';
import { createAccount, createOrganisation, sessionCookie } from './helpers.ts';

/**
 * mesref eats its own cooking: the EcoIndex of its own public pages and of a publisher's « Mes services »,
 * measured by the écoscore runner as a publisher's journey would be (desktop profile, each page loaded then
 * scrolled to the bottom, HTTP cache empty). The target is grade A (a score above 80); the figures are
 * printed so that they can be quoted.
 */

const PUBLIC_PAGES = ['/', '/parcours', '/referentiels', '/ressources'];

describe('EcoIndex of mesref’s own pages', { skip: browserSkipReason() }, () => {
  let server: RunningMesref;
  let host: string;

  before(async () => {
    server = await startServer();
    host = new URL(server.url).host;
  });
  after(() => server?.stop());

  const journeyOf = (paths: string[]): Journey => ({
    name: 'pages de mesref',
    device: 'desktop',
    steps: paths.flatMap((path) => [
      { label: `ouvre ${path}`, goto: `${server.url}${path}` },
      { label: `bas de ${path}`, scroll: 'bottom' as const },
    ]),
  });

  function report(t: TestContext, pages: Array<PageReached & { index: EcoindexResult }>): void {
    for (const page of pages) {
      const path = new URL(page.url).pathname;
      t.diagnostic(
        `${path.padEnd(20)} DOM ${String(page.dom).padStart(4)}  requêtes ${String(page.requests).padStart(3)}  ` +
          `${page.sizeKb.toFixed(1).padStart(7)} Ko  EcoIndex ${page.index.score} (${page.index.grade})  ` +
          `${page.index.ghgGco2e} gCO2e  ${page.index.waterCl} cl`,
      );
    }
  }

  async function measure(paths: string[], cookies?: Array<{ name: string; value: string; url: string }>) {
    const result = await runJourney(journeyOf(paths), {
      runs: 1,
      allowedHosts: [host],
      idleMs: 200,
      cookies,
    });
    assert.deepEqual(result.failures, [], 'every page loads');
    assert.deepEqual(result.blocked, [], 'no page reaches another host');
    const pages = pagesReached(result.medians).map((page) => ({ ...page, index: ecoindex(page) }));
    assert.deepEqual(
      pages.map((page) => new URL(page.url).pathname),
      paths,
    );
    return pages;
  }

  it('gives the public pages grade A', async (t) => {
    const pages = await measure(PUBLIC_PAGES);
    report(t, pages);
    for (const page of pages) {
      assert.ok(
        page.index.score > 80,
        `${page.url}: EcoIndex ${page.index.score} (${page.index.grade}); DOM ${page.dom}, ` +
          `${page.requests} requêtes, ${page.sizeKb.toFixed(1)} Ko`,
      );
    }
  });

  // The frame's style sheets and scripts come as a few compressed bundles, and the small logos inside the page.
  it('gives the public catalogue, with a full page of 20 services, grade A and under 300 KB', async (t) => {
    const { publishedService } = await import('./catalogue-fixtures.ts');
    const { createStaff } = await import('./dossier-fixtures.ts');
    const { addProductImage, demoLogo } = await import('../src/product/index.ts');
    const app = server.mesref;
    const staff = await createStaff(app);
    for (let i = 0; i < 21; i++) {
      const service = await publishedService(app, staff, `Service mesuré ${String(i + 1).padStart(2, '0')}`, {
        product: {
          description:
            'Un service numérique en santé mesuré par mesref : suivi, conseils de prévention et rappels, avec une description de longueur ordinaire.',
        },
      });
      await addProductImage({ db: app.db, config: app.config }, service.actor, service.productId, {
        kind: 'logo',
        bytes: demoLogo(48, [0, 99, 203]),
      });
    }
    const pages = await measure(['/catalogue']);
    report(t, pages);
    const [page] = pages;
    assert.ok(page.dom > 200, `the list of 20 services is measured (DOM ${page.dom})`);
    t.diagnostic(`poids de /catalogue : ${page.sizeKb.toFixed(1)} Ko (cible 300 Ko)`);
    assert.ok(page.sizeKb < 300, `/catalogue weighs ${page.sizeKb.toFixed(1)} KB on a first visit`);
    assert.ok(
      page.index.score > 80,
      `${page.url}: EcoIndex ${page.index.score} (${page.index.grade}); DOM ${page.dom}, ` +
        `${page.requests} requêtes, ${page.sizeKb.toFixed(1)} Ko`,
    );
  });

  it('gives a publisher’s « Mes services » grade A', async (t) => {
    const organisationId = await createOrganisation(server.mesref.db, 'Éditeur mesuré');
    const publisher = await createAccount(server.mesref.db, {
      organisation: { id: organisationId, role: 'salarie' },
    });
    const cookies = Object.entries(
      await sessionCookie(server.mesref.db, { accountId: publisher.accountId }),
    ).map(([name, value]) => ({ name, value, url: server.url }));
    const pages = await measure(['/editeur/services'], cookies);
    report(t, pages);
    const [page] = pages;
    assert.ok(page.dom > 50, `the signed-in page is measured, not a sign-in redirect (DOM ${page.dom})`);
    assert.ok(
      page.index.score > 80,
      `${page.url}: EcoIndex ${page.index.score} (${page.index.grade}); DOM ${page.dom}, ` +
        `${page.requests} requêtes, ${page.sizeKb.toFixed(1)} Ko`,
    );
  });
});
