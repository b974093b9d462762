/**
 * « Mes services » in a real Chromium: a publisher declares a service, uploads its logo and sees it, and meets a
 * colleague's concurrent change; French and English, each page checked by axe-core (WCAG 2.1 AA).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { generatePng } from '../src/product/png.ts';
import { checkPage, describeBrowser, signIn } from './browser.ts';
import { CONCURRENCY, en, openPage, submitAndCheck } from './browser-forms.ts';
import { createAccount, createOrganisation } from './helpers.ts';

const TEXTS = {
  fr: {
    list: 'Mes services',
    declare: 'Déclarer un service',
    submit: 'Déclarer le service',
    created: 'Le service a été déclaré.',
    thematic: 'Activité physique',
    audience: 'Tout public',
    economic: 'Gratuit',
    file: 'Fichier image',
    upload: 'Envoyer l’image',
    added: 'L’image a été ajoutée.',
    logoAlt: (name: string) => `Logo de ${name}`,
    save: 'Enregistrer les modifications',
    conflict: 'Modification concurrente',
    required: 'Ce champ est obligatoire.',
  },
  en: {
    list: 'My services',
    declare: 'Declare a service',
    submit: 'Declare the service',
    created: 'The service has been declared.',
    thematic: 'Physical activity',
    audience: 'Everyone',
    economic: 'Free',
    file: 'Image file',
    upload: 'Upload the image',
    added: 'The image has been added.',
    logoAlt: (name: string) => `Logo of ${name}`,
    save: 'Save the changes',
    conflict: 'Concurrent change',
    required: 'This field is required.',
  },
};

const LOGO = generatePng(48, 48, (x, y) => [(x * 5) % 256, (y * 5) % 256, 160]);

describeBrowser('« Mes services » in a browser', {}, (suite) => {
  let publisher: { accountId: string };
  const organisation = 'Éditeur des services';
  before(async () => {
    const orgId = await createOrganisation(suite.server.mesref.db, organisation);
    publisher = await createAccount(suite.server.mesref.db, { organisation: { id: orgId, role: 'salarie' } });
  });

  describe('declaring a service', { concurrency: CONCURRENCY }, () => {
    for (const lang of ['fr', 'en'] as const) {
      const l = TEXTS[lang];
      const url = (path: string) => (lang === 'en' ? en(path) : path);
      const name = lang === 'fr' ? 'Bouger Plus' : 'Move More';
      const displayName = `${name} Android Mobile`;

      it(`${lang}: declare a service, upload its logo, see it; meet a concurrent change`, async (t) => {
        const page = await openPage(suite, t);
        // A session cookie rather than the sign-in form: the sign-in rate limit stays for the tests of sign-in.
        await signIn(page, suite.server, { accountId: publisher.accountId });
        await checkPage(page, `${suite.url}${url('/editeur/services')}`, {
          lang,
          expectText: [l.list, organisation],
        });

        await submitAndCheck(
          page,
          () => page.getByRole('link', { name: new RegExp(`^${l.declare}`) }).click(),
          {
            lang,
            expectText: [l.submit],
          },
        );
        // An empty form: each problem is named, and the page stays accessible.
        await submitAndCheck(page, () => page.getByRole('button', { name: l.submit }).click(), {
          lang,
          status: 422,
          expectText: [l.required],
        });
        await page.locator('#f-commercialName').fill(name);
        await page.locator('#f-os').selectOption('android');
        await page.locator('#f-device').selectOption('mobile');
        await page.locator('#f-version').fill('1.0.0');
        await page
          .locator('#f-description')
          .fill(lang === 'fr' ? 'Des défis de marche.' : 'Walking challenges.');
        await page
          .locator('#f-url_android')
          .fill('https://play.google.com/store/apps/details?id=test.bouger');
        // As a person does: the DSFR draws the box on the label, which takes the click.
        await page.locator('label[for="f-thematics-activite-physique"]').click();
        await page.locator('label[for="f-audience-tout-public"]').click();
        await page.locator('label[for="f-economicModel-gratuit"]').click();
        assert.ok(await page.getByLabel(l.thematic, { exact: true }).isChecked());
        assert.ok(await page.getByLabel(l.audience, { exact: true }).isChecked());
        assert.ok(await page.getByLabel(l.economic, { exact: true }).isChecked());
        await submitAndCheck(page, () => page.getByRole('button', { name: l.submit }).click(), {
          lang,
          expectText: [l.created, displayName],
        });
        const productUrl = page.url().split('?')[0];

        // The logo: chosen, sent, shown with its text alternative, and really loaded.
        await page
          .getByLabel(l.file)
          .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: LOGO });
        await submitAndCheck(page, () => page.getByRole('button', { name: l.upload }).click(), {
          lang,
          expectText: [l.added],
        });
        const logo = page.getByRole('img', { name: l.logoAlt(displayName) });
        assert.ok(await logo.isVisible());
        assert.ok((await logo.evaluate((img: HTMLImageElement) => img.naturalWidth)) === 48);

        // A colleague saves a change meanwhile (the stored version moves on).
        const id = productUrl.split('/').pop() as string;
        await suite.server.mesref.db
          .updateTable('products')
          .set((eb) => ({ version: '1.0.1', row_version: eb('row_version', '+', 1) }))
          .where('id', '=', id)
          .execute();
        await page.locator('#f-version').fill('2.0.0');
        await submitAndCheck(page, () => page.getByRole('button', { name: l.save }).click(), {
          lang,
          status: 409,
          expectText: [l.conflict, '1.0.1'],
        });
        // What the person typed is kept, now based on the current version: saving again goes through.
        assert.equal(await page.locator('#f-version').inputValue(), '2.0.0');
        await submitAndCheck(page, () => page.getByRole('button', { name: l.save }).click(), { lang });
        const row = await suite.server.mesref.db
          .selectFrom('products')
          .select(['version', 'row_version'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        assert.deepEqual(row, { version: '2.0.0', row_version: 3 });
      });
    }
  });
});
