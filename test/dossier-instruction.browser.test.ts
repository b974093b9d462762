/**
 * The instruction's pages in a real Chromium, French and English, each checked by axe-core (WCAG 2.1 AA):
 * the dashboard, a filed request (a refused step with its field error, then a step done), the evaluation
 * with a verdict recorded, the commission's opinion form and the convention form.
 */
import { before, describe, it } from 'node:test';
import type { DossierView } from '../src/dossier/service.ts';
import { act } from '../src/dossier/service.ts';
import type { Actor } from '../src/identity/model.ts';
import { checkPage, describeBrowser, signIn } from './browser.ts';
import { CONCURRENCY, en, openPage, submitAndCheck } from './browser-forms.ts';
import {
  createStaff,
  dossierDepsOf,
  draftDossier,
  readyPublisher,
  type Staff,
  walkTo,
} from './dossier-fixtures.ts';

const TEXTS = {
  fr: {
    dashboard: [
      'Dossiers de référencement',
      'File d’instruction',
      'Charge par instructeur',
      'Délais de traitement',
    ],
    overdue: /En retard de \d+ j/,
    file: ['La demande telle que déposée', 'Étapes possibles', 'Historique', 'Pression artérielle'],
    admissible: 'Déclarer recevable',
    inadmissible: 'Déclarer irrecevable',
    required: 'Ce champ est obligatoire.',
    done: 'Étape enregistrée : Déclarer recevable.',
    evaluation: ['critère(s) sur', 'Réponse déposée'],
    conforme: 'Conforme',
    saved: 'Verdict enregistré sur',
    opinion: ['Rendre l’avis de la commission', 'Quorum : 3 membres sur 5', 'Finalités autorisées'],
    convention: ['Enregistrer la convention signée', 'Parties signataires', 'Durée du référencement (mois)'],
  },
  en: {
    dashboard: ['Referencing files', 'Instruction queue', 'Workload per instructor', 'Processing times'],
    overdue: /\d+ d overdue/,
    file: ['The request as filed', 'Possible steps', 'Timeline', 'Blood pressure'],
    admissible: 'Declare admissible',
    inadmissible: 'Declare inadmissible',
    required: 'This field is required.',
    done: 'Step recorded: Declare admissible.',
    evaluation: ['of', 'Answer filed'],
    conforme: 'Compliant',
    saved: 'Verdict recorded on',
    opinion: ['Give the commission’s opinion', 'Quorum: 3 members of 5', 'Finalités authorised'],
    convention: ['Record the signed agreement', 'Signing parties', 'Duration of the referencing (months)'],
  },
};

const accountOf = (actor: Actor) => (actor.kind === 'account' ? actor.accountId : '');

describeBrowser('the instruction pages in a browser', {}, (suite) => {
  let staff: Staff;
  /** A filed request per language (its test moves it on), and two files only read, shared by both. */
  const submitted = {} as Record<'fr' | 'en', DossierView>;
  let commission: DossierView;
  let accepted: DossierView;

  before(async () => {
    const app = suite.server.mesref;
    const deps = dossierDepsOf(app);
    staff = await createStaff(app);
    const filed = async (name: string) => {
      const publisher = await readyPublisher(app, { name, dataExchange: true });
      const draft = await draftDossier(app, publisher, true);
      return {
        publisher,
        view: await act(deps, publisher.actor, draft.id, draft.rowVersion, { type: 'submit' }),
      };
    };
    for (const lang of ['fr', 'en'] as const) submitted[lang] = (await filed(`Recevable ${lang}`)).view;
    const forCommission = await filed('Commission');
    commission = await walkTo(
      app,
      staff,
      forCommission.publisher,
      forCommission.view,
      'ready_for_commission',
    );
    const forConvention = await filed('Convention');
    accepted = await walkTo(app, staff, forConvention.publisher, forConvention.view, 'accepted');
    // One file late, for the dashboard's overdue badge (one no test moves on).
    await app.db
      .updateTable('dossiers')
      .set({ phase_due_at: new Date(Date.now() - 4 * 86_400_000) })
      .where('id', '=', commission.id)
      .execute();
  });

  describe('pages and forms', { concurrency: CONCURRENCY }, () => {
    for (const lang of ['fr', 'en'] as const) {
      const l = TEXTS[lang];
      const url = (path: string) => `${suite.url}${lang === 'en' ? en(path) : path}`;

      it(`${lang}: the dashboard`, async (t) => {
        const page = await openPage(suite, t);
        await signIn(page, suite.server, { accountId: accountOf(staff.instructeur) });
        await checkPage(page, url('/instruction/dossiers'), {
          lang,
          expectText: [...l.dashboard, commission.number as string, l.overdue],
        });
        // The filters are a GET form: the address carries them.
        await checkPage(page, url('/instruction/dossiers?overdue=1&state=ready_for_commission'), {
          lang,
          expectText: [commission.number as string, l.overdue],
        });
      });

      it(`${lang}: a filed request, a refused step, then a step done`, async (t) => {
        const page = await openPage(suite, t);
        await signIn(page, suite.server, { accountId: accountOf(staff.instructeur) });
        const id = submitted[lang].id;
        await checkPage(page, url(`/instruction/dossiers/${id}`), {
          lang,
          expectText: [...l.file, submitted[lang].number as string],
        });
        await submitAndCheck(
          page,
          () => page.getByRole('button', { name: l.inadmissible, exact: true }).click(),
          {
            lang,
            status: 422,
            expectText: [l.required],
          },
        );
        await submitAndCheck(
          page,
          () => page.getByRole('button', { name: l.admissible, exact: true }).click(),
          {
            lang,
            expectText: [l.done],
          },
        );

        // The evaluation: a verdict recorded on the first criterion.
        await checkPage(page, url(`/instruction/dossiers/${id}/evaluation`), {
          lang,
          expectText: l.evaluation,
        });
        const form = page.locator('form[action*="/verdicts/"]').first();
        const radio = form.locator('input[name="verdict"][value="conforme"]');
        // As a person does: the DSFR draws the radio on its label, which takes the click.
        await form.locator(`label[for="${await radio.getAttribute('id')}"]`).click();
        await submitAndCheck(page, () => form.getByRole('button').click(), { lang, expectText: [l.saved] });
      });

      it(`${lang}: the commission's opinion form and the convention form`, async (t) => {
        const member = await openPage(suite, t);
        await signIn(member, suite.server, { accountId: accountOf(staff.commission) });
        await checkPage(member, url(`/instruction/dossiers/${commission.id}`), {
          lang,
          expectText: l.opinion,
        });
        const instructor = await openPage(suite, t);
        await signIn(instructor, suite.server, { accountId: accountOf(staff.instructeur) });
        await checkPage(instructor, url(`/instruction/dossiers/${accepted.id}`), {
          lang,
          expectText: l.convention,
        });
      });
    }
  });
});
