/**
 * The publisher's pages of the referencing file in a real Chromium, each checked by axe-core (WCAG 2.1 AA), in
 * French and in English: the list of files with its « Nouvelle demande » form, a new draft, the draft form
 * (data-exchange declaration with its problems shown on the fields, a document uploaded), and a filed file
 * with its timeline and a request for information waiting for the publisher, and what was filed; a published
 * service's OAuth2 credentials and a client secret shown once.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Locator } from 'playwright-core';
import { act } from '../src/dossier/service.ts';
import { checkPage, describeBrowser, signIn } from './browser.ts';
import { CONCURRENCY, en, openPage, submitAndCheck } from './browser-forms.ts';
import {
  createStaff,
  dossierDepsOf,
  draftDossier,
  PDF,
  type PublisherFixture,
  publisherWithReadyProduct,
  type ReadyPublisher,
  readyPublisher,
  walkTo,
} from './dossier-fixtures.ts';
import { createAccount } from './helpers.ts';
import { type PublishedService, publishExchangeService } from './oauth-fixtures.ts';

const TEXTS = {
  fr: {
    list: 'Mes demandes de référencement',
    adminFile: 'Dossier administratif non validé',
    service: /^Service concerné/,
    create: 'Créer la demande',
    created: 'La demande est créée (brouillon). Complétez-la puis déposez-la.',
    expected: 'Ce qui est attendu de vous',
    complete: 'Compléter la demande',
    before: 'Avant de déposer',
    declaration: 'Déclaration d’échange de données (CSP R.1111-39)',
    justification: /^Pourquoi le service a besoin de ces données/,
    save: 'Enregistrer la demande',
    saved: 'La demande est enregistrée.',
    required: 'Ce champ est obligatoire.',
    attach: 'Joindre la pièce',
    attached: 'La pièce est jointe.',
    history: 'Historique du dossier',
    asked: 'Demander des compléments',
    paused: 'Le délai d’instruction est suspendu pendant votre réponse.',
    answer: 'Envoyer la réponse',
    times: 'Délais de traitement',
    filed: 'Ce qui a été déposé',
    byRubrique: 'Par rubrique',
  },
  en: {
    list: 'My referencing requests',
    adminFile: 'Administrative file not validated',
    service: /^Service concerned/,
    create: 'Create the request',
    created: 'The request is created (draft). Complete it, then file it.',
    expected: 'What is expected of you',
    complete: 'Complete the request',
    before: 'Before filing',
    declaration: 'Data-exchange declaration (CSP R.1111-39)',
    justification: /^Why the service needs these data/,
    save: 'Save the request',
    saved: 'The request is saved.',
    required: 'This field is required.',
    attach: 'Attach the document',
    attached: 'The document is attached.',
    history: 'History of the file',
    asked: 'Request information',
    paused: 'The instruction deadline is suspended while you answer.',
    answer: 'Send the answer',
    times: 'Processing times',
    filed: 'What was filed',
    byRubrique: 'By rubrique',
  },
};

/** Checks a DSFR radio or checkbox as a person does: by clicking its label (the label covers the input). */
async function pick(input: Locator): Promise<void> {
  const id = await input.getAttribute('id');
  await input.page().locator(`label[for="${id}"]`).click();
  assert.ok(await input.isChecked());
}

describeBrowser('the publisher pages of the referencing file', {}, (suite) => {
  const publishers: Partial<Record<'fr' | 'en', PublisherFixture>> = {};
  const filed: Partial<Record<'fr' | 'en', { publisher: ReadyPublisher; id: string; message: string }>> = {};
  /** A published data-exchange service and a mandataire of its organisation (the OAuth2 credentials). */
  let exchange: { service: PublishedService; managerId: string };

  before(async () => {
    const mesref = suite.server.mesref;
    const staff = await createStaff(mesref);
    const deps = dossierDepsOf(mesref);
    for (const lang of ['fr', 'en'] as const) {
      publishers[lang] = await publisherWithReadyProduct(mesref, {
        dataExchange: true,
        adminFile: null,
        organisationName: lang === 'fr' ? 'Éditeur Tension' : 'Tension Publisher',
        productName: lang === 'fr' ? 'Tension Suivie' : 'Pressure Log',
      });
      // A file filed, admissible, and waiting for the publisher's answer to a request for information.
      const publisher = await readyPublisher(mesref, { name: lang === 'fr' ? 'Bouger Plus' : 'Move More' });
      let view = await walkTo(mesref, staff, publisher, await draftDossier(mesref, publisher), 'evaluation');
      const message =
        lang === 'fr'
          ? 'Précisez l’hébergement de vos sauvegardes.'
          : 'Tell us where your backups are hosted.';
      view = await act(deps, staff.instructeur, view.id, view.rowVersion, {
        type: 'request_info',
        message,
        criteria: [mesref.referentials.newest().criteria[0]?.id as string],
        dueAt: new Date(Date.now() + 15 * 86_400_000).toISOString(),
      });
      filed[lang] = { publisher, id: view.id, message };
    }
    const service = await publishExchangeService(mesref, {
      name: 'Tension Clé',
      redirectUri: 'http://127.0.0.1:4997/retour',
    });
    const manager = await createAccount(mesref.db, {
      organisation: { id: service.organisationId, role: 'mandataire' },
    });
    exchange = { service, managerId: manager.accountId };
  });

  describe('lists, creates and prepares a request, and follows a filed one', {
    concurrency: CONCURRENCY,
  }, () => {
    for (const lang of ['fr', 'en'] as const) {
      const l = TEXTS[lang];
      const url = (path: string) => `${suite.url}${lang === 'en' ? en(path) : path}`;

      it(`${lang}: the list, a new draft and its form`, async (t) => {
        const publisher = publishers[lang] as PublisherFixture;
        const page = await openPage(suite, t);
        await signIn(page, suite.server, { accountId: publisher.manager.accountId });
        await checkPage(page, url('/editeur/dossiers'), {
          lang,
          expectText: [l.list, publisher.organisationName, l.adminFile],
        });
        await page.getByLabel(l.service).selectOption(publisher.productId);
        await submitAndCheck(page, () => page.getByRole('button', { name: l.create }).click(), {
          lang,
          expectText: [l.created, l.expected, l.history, l.times],
        });
        const fileUrl = page.url().split('?')[0] as string;
        await checkPage(page, `${suite.url}/editeur/dossiers`, { lang, expectText: [publisher.productName] });

        await checkPage(page, `${fileUrl}/demande`, { lang, expectText: [l.before, l.declaration] });
        const version = suite.server.mesref.referentials.newest();
        const category = version.dataCategories[0];
        const finalite = version.finalites[0];
        assert.ok(category && finalite);
        await page
          .getByLabel(l.justification)
          .fill(lang === 'fr' ? 'Suivre la tension.' : 'Follow blood pressure.');
        await pick(page.locator(`#f-cat-${category.code}-read`));
        await pick(page.locator(`#f-finalites-${finalite.code}`));
        // Saved as it is: what is still missing is shown on each field, in the DSFR error state.
        await submitAndCheck(page, () => page.getByRole('button', { name: l.save }).click(), {
          lang,
          expectText: [l.saved, l.required],
        });
        assert.ok(await page.locator(`#f-cat-${category.code}-read`).isChecked());
        assert.equal(await page.locator('#f-access').getAttribute('aria-invalid'), 'true');

        await page.locator('#f-file').setInputFiles({
          name: 'cgu.pdf',
          mimeType: 'application/pdf',
          buffer: PDF,
        });
        await submitAndCheck(page, () => page.getByRole('button', { name: l.attach }).click(), {
          lang,
          expectText: [l.attached, 'cgu.pdf'],
        });
      });

      it(`${lang}: a filed file with its timeline and a request for information`, async (t) => {
        const { publisher, id, message } = filed[lang] as {
          publisher: ReadyPublisher;
          id: string;
          message: string;
        };
        const page = await openPage(suite, t);
        await signIn(page, suite.server, { accountId: publisher.accountId });
        await checkPage(page, url(`/editeur/dossiers/${id}`), {
          lang,
          expectText: [l.expected, l.paused, message, l.history, l.asked, l.answer, l.times],
        });
        await checkPage(page, `${suite.url}/editeur/dossiers/${id}/depot`, {
          lang,
          expectText: [l.filed, l.byRubrique],
        });
        await checkPage(page, `${suite.url}/editeur/dossiers`, { lang, expectText: [l.list] });
      });
    }

    it('fr: the OAuth2 credentials of a published service, and a client secret shown once', async (t) => {
      const page = await openPage(suite, t);
      await signIn(page, suite.server, { accountId: exchange.managerId });
      await checkPage(page, `${suite.url}/editeur/dossiers/${exchange.service.dossierId}`, {
        lang: 'fr',
        expectText: ['Identifiants OAuth2', exchange.service.oid, 'Actif'],
      });
      await submitAndCheck(page, () => page.getByRole('link', { name: 'Générer un secret client' }).click(), {
        lang: 'fr',
        expectText: ['Effet immédiat'],
      });
      const shown = await submitAndCheck(
        page,
        () => page.getByRole('button', { name: 'Confirmer : générer le secret client' }).click(),
        { lang: 'fr', expectText: ['Ce secret ne sera plus jamais affiché'] },
      );
      assert.equal(shown.headers()['cache-control'], 'no-store');
      const secret = await page.getByLabel(/^Secret client \(client_secret\)/).inputValue();
      assert.ok(secret.length >= 32);
    });
  });
});
