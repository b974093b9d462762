/**
 * Citizens' reports and audits in a real Chromium, in French and English, each page checked by axe-core
 * (WCAG 2.1 AA): a citizen reports a problem (a refused form first), reads the confirmation and their list;
 * an instructor goes through the queue, takes the report, meets a refused answer, answers, opens an audit
 * from it, adds a finding, and opens the form of an audit from the file.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { checkPage, describeBrowser, signIn } from './browser.ts';
import { CONCURRENCY, en, openPage, submitAndCheck } from './browser-forms.ts';
import { createStaff, draftDossier, readyPublisher, type Staff, walkTo } from './dossier-fixtures.ts';
import { createCitizen } from './helpers.ts';

const TEXTS = {
  fr: {
    form: 'Signaler un problème sur ce service',
    scope: 'Ce que vous pouvez signaler ici',
    category: 'Données personnelles',
    message: 'Votre signalement',
    send: 'Envoyer le signalement',
    tooShort: 'Au moins 20 caractères',
    chooseCategory: 'Choisissez une catégorie de la liste.',
    sent: 'Signalement envoyé',
    mine: 'Mes signalements',
    queue: 'Signalements des usagers',
    take: 'Prendre en charge',
    taken: 'Signalement pris en charge.',
    answerLabel: 'Réponse à l’usager',
    answerSubmit: 'Envoyer la réponse',
    required: 'Ce champ est obligatoire.',
    answered: 'Réponse envoyée à l’usager.',
    scopeLabel: 'Périmètre',
    due: 'Échéance',
    openAudit: 'Ouvrir l’audit',
    auditOpened: 'Audit ouvert ; l’éditeur est notifié.',
    finding: 'Constat',
    findingDue: 'Délai de correction',
    addFinding: 'Ajouter le constat',
    findingAdded: 'Constat ajouté ; l’éditeur est notifié.',
    audits: 'Audits des services référencés',
    newAudit: 'Ouvrir un audit — ',
    answerOf: 'Réponse de l’administration',
  },
  en: {
    form: 'Report a problem on this service',
    scope: 'What you can report here',
    category: 'Personal data',
    message: 'Your report',
    send: 'Send the report',
    tooShort: 'At least 20 characters',
    chooseCategory: 'Choose a category from the list.',
    sent: 'Report sent',
    mine: 'My reports',
    queue: 'Citizens’ reports',
    take: 'Take it on',
    taken: 'Report taken on.',
    answerLabel: 'Answer to the citizen',
    answerSubmit: 'Send the answer',
    required: 'This field is required.',
    answered: 'Answer sent to the citizen.',
    scopeLabel: 'Scope',
    due: 'Deadline',
    openAudit: 'Open the audit',
    auditOpened: 'Audit opened; the publisher is notified.',
    finding: 'Finding',
    findingDue: 'Correction deadline',
    addFinding: 'Add the finding',
    findingAdded: 'Finding added; the publisher is notified.',
    audits: 'Audits of referenced services',
    newAudit: 'Open an audit — ',
    answerOf: 'The administration’s answer',
  },
};

const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describeBrowser('citizens’ reports and audits in a browser', {}, (suite) => {
  let staff: Staff;
  // One published service for both languages: walking a file to publication is the slow part.
  const name = 'Tension Claire';
  let dossierId = '';
  before(async () => {
    const app = suite.server.mesref;
    staff = await createStaff(app);
    const publisher = await readyPublisher(app, { name });
    const view = await walkTo(app, staff, publisher, await draftDossier(app, publisher), 'published');
    assert.equal(view.catalogueStatus, 'EN_LIGNE');
    dossierId = view.id;
  });

  describe('from the report to the audit', { concurrency: CONCURRENCY }, () => {
    for (const lang of ['fr', 'en'] as const) {
      const l = TEXTS[lang];
      const url = (path: string) => `${suite.url}${lang === 'en' ? en(path) : path}`;

      it(`${lang}: a citizen reports; an instructor answers and opens an audit`, async (t) => {
        const db = suite.server.mesref.db;
        const citizenId = await createCitizen(db, 'Inès', lang === 'fr' ? 'Signalante' : 'Reporter');

        // The citizen.
        const page = await openPage(suite, t);
        await signIn(page, suite.server, { citizenId });
        await checkPage(page, url(`/services/${dossierId}/signaler`), {
          lang,
          expectText: [l.form, l.scope, name],
        });
        await submitAndCheck(
          page,
          async () => {
            await page.getByLabel(l.message).fill('Trop court');
            await page.getByRole('button', { name: l.send }).click();
          },
          { lang, status: 422, expectText: [l.chooseCategory, l.tooShort] },
        );
        // As a person does: the DSFR draws the radio on its label, which takes the click.
        await page.locator('label[for="f-category-donnees-personnelles"]').click();
        assert.ok(await page.getByRole('radio', { name: l.category }).isChecked());
        await page
          .getByLabel(l.message)
          .fill('Le service transmet mes mesures à un outil de publicité sans me le dire.');
        await submitAndCheck(page, () => page.getByRole('button', { name: l.send }).click(), {
          lang,
          expectText: [l.sent, /SIG-[0-9A-F]{8}/],
        });
        const reference = (
          /SIG-[0-9A-F]{8}/.exec((await page.locator('main').textContent()) ?? '') as RegExpExecArray
        )[0];
        await checkPage(page, url('/usager/signalements'), { lang, expectText: [l.mine, reference, name] });
        await checkPage(page, url('/usager'), { lang, expectText: [l.mine] });

        // The instructor.
        const agent = await openPage(suite, t);
        await signIn(agent, suite.server, {
          accountId: staff.instructeur.kind === 'account' ? staff.instructeur.accountId : '',
        });
        await checkPage(agent, url('/instruction/plaintes'), { lang, expectText: [l.queue, reference] });
        await submitAndCheck(agent, () => agent.getByRole('link', { name: reference }).click(), {
          lang,
          expectText: [reference, name, l.take],
        });
        await submitAndCheck(agent, () => agent.getByRole('button', { name: l.take }).click(), {
          lang,
          expectText: [l.taken, l.answerLabel],
        });
        await submitAndCheck(agent, () => agent.getByRole('button', { name: l.answerSubmit }).click(), {
          lang,
          status: 422,
          expectText: [l.required],
        });
        await agent
          .getByLabel(l.answerLabel)
          .fill('Nous contrôlons le service ; merci de votre signalement.');
        await submitAndCheck(agent, () => agent.getByRole('button', { name: l.answerSubmit }).click(), {
          lang,
          expectText: [l.answered],
        });
        await agent.locator('#f-scope').fill('Traceurs et destinataires des données.');
        await agent.locator('#f-dueAt').fill(day(30));
        await agent.locator('#f-finding-0-text').fill('Un traceur publicitaire reçoit les mesures.');
        await agent.locator('#f-finding-0-dueAt').fill(day(10));
        await submitAndCheck(agent, () => agent.getByRole('button', { name: l.openAudit }).click(), {
          lang,
          expectText: [l.auditOpened, 'Un traceur publicitaire reçoit les mesures.', reference],
        });
        await agent.getByLabel(l.finding, { exact: true }).fill('La politique ne cite pas ce destinataire.');
        await agent.getByLabel(l.findingDue).fill(day(12));
        await submitAndCheck(agent, () => agent.getByRole('button', { name: l.addFinding }).click(), {
          lang,
          expectText: [l.findingAdded, 'La politique ne cite pas ce destinataire.'],
        });
        await checkPage(agent, url('/instruction/audits'), { lang, expectText: [l.audits, name] });
        await checkPage(agent, url(`/instruction/dossiers/${dossierId}/audits/nouveau`), {
          lang,
          expectText: [`${l.newAudit}${name}`, l.scopeLabel, l.due],
        });

        // The citizen reads the answer.
        await checkPage(page, url('/usager/signalements'), { lang, expectText: [reference] });
        await submitAndCheck(page, () => page.getByRole('link', { name: reference }).click(), {
          lang,
          expectText: [l.answerOf, 'Nous contrôlons le service'],
        });
      });
    }
  });
});
