import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { addProductImage, demoLogo } from '../src/product/index.ts';
import { checkPage, describeBrowser, isVisibleText } from './browser.ts';
import { type PublishedService, publishedService } from './catalogue-fixtures.ts';
import { createStaff } from './dossier-fixtures.ts';

/** The public catalogue in Chromium, without signing in: search, filter, open a service; axe-core on each page. */
describeBrowser('the public catalogue in a browser', {}, (suite) => {
  let tension: PublishedService;

  before(async () => {
    const app = suite.server.mesref;
    const staff = await createStaff(app);
    const forme = await publishedService(app, staff, 'Forme Prévention', {
      product: {
        description: 'Un programme de marche pour rester en forme.',
        thematics: ['prevention', 'activite-physique'],
        audience: ['seniors'],
      },
    });
    await addProductImage({ db: app.db, config: app.config }, forme.actor, forme.productId, {
      kind: 'logo',
      bytes: demoLogo(48, [0, 99, 203]),
    });
    tension = await publishedService(app, staff, 'Tension Suivi', {
      dataExchange: true,
      product: {
        description: 'Carnet de tension artérielle relié à Mon espace santé.',
        os: 'android',
        device: 'mobile',
        url_android: 'https://play.google.com/store/apps/details?id=test.tension',
        thematics: ['suivi-de-mesures'],
        regions: ['53'],
        economic_model: 'payant',
        medical_device: true,
        medical_device_class: 'IIa',
      },
    });
  });

  it('searches, filters and opens a service, each page accessible', async () => {
    const page = await suite.newPage();
    await checkPage(page, `${suite.url}/catalogue`, {
      lang: 'fr',
      expectText: ['Catalogue des services', '2 service(s) trouvé(s)', 'Forme Prévention iOS Mobile'],
    });
    // A search typed with neither accents nor capitals
    await page.getByLabel('Nom, description ou éditeur').fill('PREVENTION');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/q=PREVENTION/);
    assert.ok(await isVisibleText(page, '1 service(s) trouvé(s)'));
    assert.ok(await isVisibleText(page, 'Forme Prévention iOS Mobile'));
    assert.ok(!(await isVisibleText(page, 'Tension Suivi Android Mobile')));
    // Clear, then filter on data exchange and a region
    await page.getByRole('link', { name: 'Effacer la recherche et les filtres' }).first().click();
    await page.getByLabel('Échange de données avec Mon espace santé').selectOption('oui');
    await page.getByLabel('Région').selectOption('53');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/echange=oui/);
    assert.ok(await isVisibleText(page, '1 service(s) trouvé(s)'));
    await checkPage(page, page.url(), { expectText: ['Tension Suivi Android Mobile'] });
    // Nothing found: the way back
    await checkPage(page, `${suite.url}/catalogue?q=introuvable`, {
      expectText: ['Aucun résultat', 'Effacer la recherche et les filtres'],
    });
    // Open a service from the list
    await page.goto(`${suite.url}/catalogue?echange=oui`);
    await page.getByRole('link', { name: 'Tension Suivi Android Mobile' }).click();
    await page.waitForURL(new RegExp(`/services/${tension.dossierId}$`));
    await checkPage(page, page.url(), {
      expectText: [
        'Tension Suivi Android Mobile',
        'Pression artérielle',
        'Signaler un problème',
        'Oui, classe IIa',
      ],
    });
  });

  it('shows the catalogue in English', async () => {
    const page = await suite.newPage({ locale: 'en-GB' });
    await checkPage(page, `${suite.url}/catalogue?lang=en`, {
      lang: 'en',
      expectText: ['Service catalogue', '2 service(s) found'],
    });
    await checkPage(page, `${suite.url}/services/${tension.dossierId}?lang=en`, {
      lang: 'en',
      expectText: ['Blood pressure', 'Report a problem'],
    });
  });
});
