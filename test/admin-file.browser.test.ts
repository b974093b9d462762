/**
 * The administrative file in a real Chromium: a mandataire fills in the contacts, uploads the signed agreement,
 * meets a colleague's concurrent change and submits; an instructor refuses without a reason (refused), then
 * validates; the publisher sees the validated file with « Modifier ». French and English, each page checked by
 * axe-core (WCAG 2.1 AA).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { demoPdf } from '../src/dossier/admin-file-service.ts';
import { checkPage, describeBrowser, signIn } from './browser.ts';
import { CONCURRENCY, en, openPage, submitAndCheck } from './browser-forms.ts';
import { createAccount, createOrganisation } from './helpers.ts';

const TEXTS = {
  fr: {
    title: 'Dossier administratif',
    save: 'Enregistrer les contacts',
    saved: 'Les contacts ont été enregistrés.',
    file: 'Fichier de la convention',
    upload: 'Envoyer la convention',
    uploaded: 'La convention a été enregistrée.',
    conflict: 'Modification concurrente',
    submit: 'Soumettre pour validation',
    submitted: 'Le dossier a été soumis pour validation.',
    list: 'Dossiers administratifs',
    validate: 'Valider',
    reject: 'Refuser',
    reasonRequired: 'Indiquez le motif du refus.',
    validated: 'Le dossier a été validé.',
    change: 'Modifier',
    again: 'devra être soumis et validé de nouveau',
  },
  en: {
    title: 'Administrative file',
    save: 'Save the contacts',
    saved: 'The contacts have been saved.',
    file: 'Agreement file',
    upload: 'Upload the agreement',
    uploaded: 'The agreement has been saved.',
    conflict: 'Concurrent change',
    submit: 'Submit for validation',
    submitted: 'The file has been submitted for validation.',
    list: 'Administrative files',
    validate: 'Validate',
    reject: 'Reject',
    reasonRequired: 'Give the reason for the rejection.',
    validated: 'The file has been validated.',
    change: 'Change',
    again: 'must be submitted and validated again',
  },
};

const PDF = demoPdf(['Convention signee (test)']);

describeBrowser('the administrative file in a browser', {}, (suite) => {
  let instructor: { accountId: string };
  before(async () => {
    instructor = await createAccount(suite.server.mesref.db, { staff: ['instructeur'] });
  });

  describe('from the draft to the validation', { concurrency: CONCURRENCY }, () => {
    for (const lang of ['fr', 'en'] as const) {
      const l = TEXTS[lang];
      const url = (path: string) => (lang === 'en' ? en(path) : path);

      it(`${lang}: fill in, upload, meet a concurrent change, submit; an instructor validates`, async (t) => {
        const db = suite.server.mesref.db;
        const organisation = lang === 'fr' ? 'Éditeur Administratif' : 'Admin Publisher';
        const orgId = await createOrganisation(db, organisation);
        const publisher = await createAccount(db, { organisation: { id: orgId, role: 'mandataire' } });
        const filePage = `/editeur/organisations/${orgId}/dossier-administratif`;

        const page = await openPage(suite, t);
        await signIn(page, suite.server, { accountId: publisher.accountId });
        // From the publisher home, as a person would.
        await checkPage(page, `${suite.url}${url('/editeur')}`, { lang, expectText: [organisation] });
        await submitAndCheck(
          page,
          () => page.getByRole('link', { name: `${l.title} — ${organisation}` }).click(),
          { lang, expectText: [`${l.title} — ${organisation}`, l.submit] },
        );
        assert.equal(new URL(page.url()).pathname, filePage);

        await page.locator('#f-contact-0-role').selectOption('administratif');
        await page.locator('#f-contact-0-name').fill('Alice Admin');
        await page.locator('#f-contact-0-email').fill('alice@editeur.test');
        await page.locator('#f-contact-0-phone').fill('01 23 45 67 89');
        await page.locator('#f-contact-1-role').selectOption('technique');
        await page.locator('#f-contact-1-name').fill('Théo Tech');
        await page.locator('#f-contact-1-email').fill('theo@editeur.test');
        await submitAndCheck(page, () => page.getByRole('button', { name: l.save }).click(), {
          lang,
          expectText: [l.saved],
        });

        await page
          .getByLabel(l.file)
          .setInputFiles({ name: 'convention.pdf', mimeType: 'application/pdf', buffer: PDF });
        await submitAndCheck(page, () => page.getByRole('button', { name: l.upload }).click(), {
          lang,
          expectText: [l.uploaded, 'convention.pdf'],
        });

        // A colleague changes the file meanwhile: saving shows their change, and what was typed stays.
        await db
          .updateTable('admin_files')
          .set((eb) => ({
            contacts: JSON.stringify([
              { role: 'administratif', name: 'Alice Admin', email: 'alice@editeur.test', phone: '' },
              { role: 'technique', name: 'Zoé Collègue', email: 'zoe@editeur.test', phone: '' },
            ]),
            row_version: eb('row_version', '+', 1),
          }))
          .where('organisation_id', '=', orgId)
          .execute();
        await page.locator('#f-contact-2-role').selectOption('dpo');
        await page.locator('#f-contact-2-name').fill('Dora DPO');
        await page.locator('#f-contact-2-email').fill('dpo@editeur.test');
        await submitAndCheck(page, () => page.getByRole('button', { name: l.save }).click(), {
          lang,
          status: 409,
          expectText: [l.conflict, /Zoé Collègue/],
        });
        assert.equal(await page.locator('#f-contact-2-name').inputValue(), 'Dora DPO');
        await submitAndCheck(page, () => page.getByRole('button', { name: l.save }).click(), {
          lang,
          expectText: [l.saved],
        });

        await submitAndCheck(page, () => page.getByRole('button', { name: l.submit }).click(), {
          lang,
          expectText: [l.submitted],
        });

        // The instructor, in another browser.
        const staff = await openPage(suite, t);
        await signIn(staff, suite.server, { accountId: instructor.accountId });
        await checkPage(staff, `${suite.url}${url('/instruction/dossiers-administratifs')}`, {
          lang,
          expectText: [l.list, organisation],
        });
        await submitAndCheck(staff, () => staff.getByRole('link', { name: organisation }).click(), {
          lang,
          expectText: ['Dora DPO', l.validate],
        });
        await submitAndCheck(staff, () => staff.getByRole('button', { name: l.reject }).click(), {
          lang,
          status: 422,
          expectText: [l.reasonRequired],
        });
        await submitAndCheck(staff, () => staff.getByRole('button', { name: l.validate }).click(), {
          lang,
          expectText: [l.validated],
        });

        // Back to the publisher: validated, read-only, « Modifier » says it must be validated again.
        await checkPage(page, `${suite.url}${url(filePage)}`, {
          lang,
          expectText: [l.again, 'Dora DPO'],
        });
        assert.ok(await page.getByRole('button', { name: l.change, exact: true }).isVisible());
        assert.equal(await page.locator('#formulaire-contacts').count(), 0);
        const row = await db
          .selectFrom('admin_files')
          .select(['status', 'row_version'])
          .where('organisation_id', '=', orgId)
          .executeTakeFirstOrThrow();
        assert.deepEqual(row, { status: 'validated', row_version: 6 });
      });
    }
  });
});
