/**
 * The self-assessment pages in a real Chromium, checked by axe-core (WCAG 2.1 AA) in French and English: a
 * publisher starts an assessment, answers the orientation questionnaire, answers a criterion with a URL
 * and a file, and sees the progress move. Sessions are made in the database (no sign-in form, no rate limit).
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Locator } from 'playwright-core';
import { newId } from '../src/platform/crypto.ts';
import { checkPage, describeBrowser, isVisibleText, signIn } from './browser.ts';
import { submitAndCheck } from './browser-forms.ts';
import { createAccount, createOrganisation, type TestAccount } from './helpers.ts';

/** Checks a DSFR radio or checkbox as a person does: by clicking its label (the label covers the input). */
async function pick(input: Locator): Promise<void> {
  const id = await input.getAttribute('id');
  await input.page().locator(`label[for="${id}"]`).click();
  assert.ok(await input.isChecked());
}

describeBrowser('assessment pages', {}, (suite) => {
  let publisher: TestAccount;
  let productId: string;

  before(async () => {
    const db = suite.server.mesref.db;
    const orgId = await createOrganisation(db);
    publisher = await createAccount(db, { organisation: { id: orgId, role: 'mandataire' } });
    productId = newId();
    await db
      .insertInto('products')
      .values({
        id: productId,
        organisation_id: orgId,
        commercial_name: 'Suivi Tension',
        os: 'ios',
        device: 'mobile',
        version: '2.1',
        description: 'Relevés de tension',
        url_web: null,
        url_ios: null,
        url_android: null,
        url_cgu: null,
        url_privacy: null,
        thematics: '[]',
        regions: '[]',
        audience: '[]',
        economic_model: 'gratuit',
        medical_device: false,
        medical_device_class: null,
        data_exchange: false,
        row_version: 1,
        created_by: null,
        updated_at: new Date(),
      })
      .execute();
  });

  it('starts, orients and answers a criterion with evidence, in French then English', async (t) => {
    const page = await suite.newPage();
    t.after(() => page.context().close());
    await signIn(page, suite.server, { accountId: publisher.accountId });
    const referentials = suite.server.mesref.referentials;

    await checkPage(page, `${suite.url}/editeur/services/${productId}/auto-evaluation`, {
      lang: 'fr',
      expectText: ['Auto-évaluation — Suivi Tension', 'Aucune auto-évaluation pour ce service.'],
    });
    await page.getByLabel('Version du référentiel').selectOption(referentials.newest().id);
    await Promise.all([
      page.waitForURL(/\/editeur\/auto-evaluations\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Commencer' }).click(),
    ]);
    const base = page.url();
    await checkPage(page, base, {
      expectText: ['Pas encore prêt pour le dépôt.', 'Avancement par rubrique', 'Version de démonstration'],
    });

    // Orientation: answering "yes" to data exchange brings the finalités question in after the save.
    await checkPage(page, `${base}/orientation`, { expectText: ['Questionnaire d’orientation'] });
    const exchange = page.getByRole('group', { name: /lira-t-il ou écrira-t-il/ });
    await pick(exchange.getByLabel('Oui'));
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Enregistrer les réponses' }).click(), {
      expectText: ['De nouvelles questions sont apparues'],
    });
    assert.ok(await isVisibleText(page, 'Pour quelles finalités ?'));
    await pick(page.getByLabel('Prévention'));
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Enregistrer les réponses' }).click(), {
      expectText: ['Réponses d’orientation enregistrées.'],
    });

    // A criterion that applies to every service: answer it with a URL and a file.
    const criterion = referentials.newest().criteria.find((c) => !c.appliesWhen && c.level === 'obligatoire');
    assert.ok(criterion);
    const rubrique = referentials.newest().rubriques.find((r) => r.id === criterion.rubrique);
    assert.ok(rubrique);
    await checkPage(page, `${base}/rubriques/${criterion.rubrique}`, {
      expectText: [`Critères — ${rubrique.title.fr}`, criterion.title.fr],
    });
    const section = page
      .locator(`section[aria-labelledby$="-title"]`, { hasText: criterion.title.fr })
      .first();
    await pick(section.getByLabel('Conforme', { exact: true }));
    await section.getByLabel(/Justification/).fill('Certificat en pièce jointe.');
    await section.getByLabel(/adresse web/).fill('https://exemple.test/certificat');
    await section.getByLabel(/Ajouter une preuve : fichier/).setInputFiles({
      name: 'certificat.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% preuve\n%%EOF\n'),
    });
    await submitAndCheck(
      page,
      () =>
        section.getByRole('button', { name: `Enregistrer la réponse au critère ${criterion.id}` }).click(),
      {
        expectText: [`Réponse au critère ${criterion.id} enregistrée.`, 'Télécharger certificat.pdf'],
      },
    );
    assert.ok(await isVisibleText(page, new RegExp(`${rubrique.title.fr} : 1 critères satisfaits sur \\d+`)));

    await checkPage(page, base, { expectText: [new RegExp(`${rubrique.title.fr} : 1 critères satisfaits`)] });
    await checkPage(page, `${base}/plan`, { expectText: ['Écarts et dates cibles'] });
    await checkPage(page, `${base}/fichier`, { expectText: ['Importer un fichier de réponses'] });
    await checkPage(page, `${base}/version`, { expectText: ['Version cible'] });

    // English.
    await checkPage(page, `${base}?lang=en`, {
      lang: 'en',
      expectText: ['Not ready to file yet.', 'Progress by section', 'Demonstration version'],
    });
    await checkPage(page, `${base}/orientation`, { lang: 'en', expectText: ['For which purposes?'] });
    await checkPage(page, `${base}/rubriques/${criterion.rubrique}`, {
      lang: 'en',
      expectText: [`Criteria — ${rubrique.title.en}`, 'Download certificat.pdf'],
    });
    await checkPage(page, `${base}/plan`, { lang: 'en', expectText: ['Gaps and target dates'] });
    await checkPage(page, `${base}/fichier`, { lang: 'en', expectText: ['Import an answers file'] });
    await checkPage(page, `${suite.url}/editeur/services/${productId}/auto-evaluation`, {
      lang: 'en',
      expectText: ['Self-assessments of the service'],
    });
  });
});
