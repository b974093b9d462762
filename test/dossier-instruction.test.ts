/**
 * The instruction's pages through app.inject: the dashboard (queue by deadline, overdue in words, filters,
 * workload), a file walked from its filing to the catalogue by the forms of the file page and the evaluation
 * page, two instructors acting on the same version (one wins, the other sees the conflict, nothing is lost),
 * and who may do what (a commission member gives no verdict, a publisher sees no instruction page).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dossierDeps } from '../src/dossier/plugin.ts';
import { act, answerInfoRequest, type DossierDeps, getDossier } from '../src/dossier/service.ts';
import type { Actor } from '../src/identity/model.ts';
import {
  createStaff,
  draftDossier,
  type ReadyPublisher,
  readyPublisher,
  type Staff,
  walkTo,
} from './dossier-fixtures.ts';
import { CSRF, sessionCookie, startTestApp, type TestApp } from './helpers.ts';

type Cookies = Record<string, string>;
type Fields = Array<[string, string]>;

const accountOf = (actor: Actor) => (actor.kind === 'account' ? actor.accountId : '');

/** The text of a page, tags dropped and whitespace collapsed, for assertions on what a person reads. */
function text(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

/** Asserts a page matches, naming the pattern rather than dumping the whole page when it does not. */
function match(page: string, pattern: RegExp, message?: string): void {
  if (!pattern.test(page)) {
    const excerpt = text(page).slice(0, 400);
    assert.fail(message ?? `expected ${pattern} in the page (it begins: ${excerpt}…)`);
  }
}

function noMatch(page: string, pattern: RegExp, message?: string): void {
  const found = pattern.exec(page);
  if (found) assert.fail(message ?? `did not expect ${pattern} in the page (found « ${found[0]} »)`);
}

/** The file's version as the page's step forms carry it. */
function formVersion(html: string): string {
  const m = /name="rowVersion" value="(\d+)"/.exec(html);
  assert.ok(m, 'the page has a versioned form');
  return m[1] as string;
}

/** The verdict version carried by a criterion's form on the evaluation page. */
function verdictVersion(html: string, criterionId: string): string {
  const action = `/verdicts/${encodeURIComponent(criterionId)}"`;
  const at = html.indexOf(action);
  assert.ok(at > 0, `a verdict form for ${criterionId}`);
  const m = /name="rowVersion" value="(\d+)"/.exec(html.slice(at));
  return (m as RegExpExecArray)[1] as string;
}

describe('the instruction pages', () => {
  let app: TestApp;
  let deps: DossierDeps;
  let staff: Staff;
  const cookies: Record<keyof Staff, Cookies> = {} as Record<keyof Staff, Cookies>;

  before(async () => {
    app = await startTestApp();
    deps = dossierDeps(app);
    staff = await createStaff(app);
    for (const role of Object.keys(staff) as Array<keyof Staff>)
      cookies[role] = await sessionCookie(app.db, { accountId: accountOf(staff[role]) });
  });
  after(() => app.stop());

  const get = (url: string, who: Cookies) =>
    app.inject({ method: 'GET', url, cookies: who, headers: { accept: 'text/html' } });
  const post = (url: string, who: Cookies, fields: Fields) =>
    app.inject({
      method: 'POST',
      url,
      cookies: who,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: new URLSearchParams([['_csrf', CSRF], ...fields]).toString(),
    });
  const file = (id: string) => `/instruction/dossiers/${id}`;

  /** Does a step through the file page's form, reading the version from the page first. */
  async function step(id: string, who: Cookies, type: string, fields: Fields = []) {
    const page = await get(file(id), who);
    assert.equal(page.statusCode, 200, page.body);
    return post(`${file(id)}/etapes`, who, [
      ['type', type],
      ['rowVersion', formVersion(page.body)],
      ...fields,
    ]);
  }

  async function filed(publisher: ReadyPublisher, dataExchange = false) {
    const draft = await draftDossier(app, publisher, dataExchange);
    return act(deps, publisher.actor, draft.id, draft.rowVersion, { type: 'submit' });
  }

  const setDeadline = (id: string, at: Date) =>
    app.db.updateTable('dossiers').set({ phase_due_at: at }).where('id', '=', id).execute();

  describe('the dashboard', () => {
    const ids: Record<'late' | 'soon' | 'later', { id: string; number: string }> = {} as never;

    before(async () => {
      const day = 86_400_000;
      const deadlines = { late: -3, soon: 5, later: 20 } as const;
      for (const [key, days] of Object.entries(deadlines)) {
        const publisher = await readyPublisher(app, { name: `Tableau ${key}` });
        const view = await filed(publisher);
        // Three days late: the day count is whole days since the deadline.
        await setDeadline(view.id, new Date(Date.now() + days * day - (days < 0 ? 3_600_000 : 0)));
        ids[key as keyof typeof ids] = { id: view.id, number: view.number as string };
      }
    });

    it('lists the files by deadline, the late one first and said late in words', async () => {
      const res = await get('/instruction/dossiers', cookies.instructeur);
      assert.equal(res.statusCode, 200);
      const body = text(res.body);
      const [late, soon, later] = [ids.late, ids.soon, ids.later].map((x) => body.indexOf(x.number));
      assert.ok(late > 0 && soon > late && later > soon, 'sorted by deadline');
      match(body, /En retard de 3 j/);
      // The badge is in the late file's row, and only there.
      const rowOf = (number: string) => {
        const start = res.body.indexOf(number);
        return res.body.slice(start, res.body.indexOf('</tr>', start));
      };
      match(rowOf(ids.late.number), /fr-badge--error[^>]*>En retard de 3 j/);
      noMatch(rowOf(ids.soon.number), /En retard/);
      match(body, /Tableau late iOS Mobile/);
      match(body, /Dossiers en retard chez l’administration : 1/);
      match(body, /Déposé — recevabilité 3/);
      // English too.
      const en = text((await get('/instruction/dossiers?lang=en', cookies.instructeur)).body);
      match(en, /3 d overdue/);
      match(en, /Instruction queue/);
    });

    it('filters by overdue, number, state and assignment, and shows the workload', async () => {
      const overdue = text((await get('/instruction/dossiers?overdue=1', cookies.instructeur)).body);
      assert.ok(overdue.includes(ids.late.number));
      assert.ok(!overdue.includes(ids.soon.number));

      const search = text(
        (await get(`/instruction/dossiers?q=${ids.soon.number}`, cookies.instructeur)).body,
      );
      assert.ok(search.includes(ids.soon.number));
      assert.ok(!search.includes(ids.later.number));

      // Beyond the last page: nothing listed, and the pagination leads back.
      const beyond = await get('/instruction/dossiers?page=2', cookies.instructeur);
      match(beyond.body, /<nav class="fr-pagination"/);
      match(beyond.body, /href="\/instruction\/dossiers"[^>]*>Première page/);
      match(text(beyond.body), /Aucun dossier ne correspond à ces critères/);

      const evaluation = text(
        (await get('/instruction/dossiers?state=evaluation', cookies.instructeur)).body,
      );
      match(evaluation, /Aucun dossier ne correspond à ces critères/);

      // Assigned through the file page's form: the dashboard's « me » filter and the workload follow.
      const page = await get(file(ids.later.id), cookies.instructeur);
      const assigned = await post(`${file(ids.later.id)}/attribution`, cookies.instructeur, [
        ['rowVersion', formVersion(page.body)],
        ['accountId', accountOf(staff.instructeur2)],
      ]);
      assert.equal(assigned.statusCode, 303);
      const mine = text((await get('/instruction/dossiers?assigned=me', cookies.instructeur2)).body);
      assert.ok(mine.includes(ids.later.number));
      assert.ok(!mine.includes(ids.late.number));
      const none = text((await get('/instruction/dossiers?assigned=none', cookies.instructeur)).body);
      assert.ok(none.includes(ids.late.number));
      assert.ok(!none.includes(ids.later.number));

      const dashboard = await get('/instruction/dossiers', cookies.instructeur);
      const workload = dashboard.body.slice(dashboard.body.indexOf('id="charge-title"'));
      const rows = text(workload.slice(0, workload.indexOf('</table>')));
      const name = (
        await app.db
          .selectFrom('accounts')
          .select('display_name')
          .where('id', '=', accountOf(staff.instructeur2))
          .executeTakeFirstOrThrow()
      ).display_name;
      match(rows, new RegExp(`${name} 1 0`));
    });

    it('is for staff: a publisher gets 403', async () => {
      const publisher = await readyPublisher(app, { name: 'Curieux' });
      const own = await sessionCookie(app.db, { accountId: publisher.accountId });
      assert.equal((await get('/instruction/dossiers', own)).statusCode, 403);
      assert.equal((await get(file(ids.late.id), own)).statusCode, 403);
    });

    it('links the staff home to the lists', async () => {
      const home = await get('/instruction', cookies.commission);
      assert.equal(home.statusCode, 200);
      match(home.body, /href="\/instruction\/dossiers"/);
      match(home.body, /href="\/instruction\/dossiers-administratifs"/);
      match(home.body, /href="\/instruction\/plaintes"/);
    });
  });

  describe('a file from its filing to the catalogue', () => {
    it('walks a data-exchange request through evaluation, information, opinion, decision and convention', async () => {
      const publisher = await readyPublisher(app, { name: 'Tension Plus', dataExchange: true });
      const view = await filed(publisher, true);
      const id = view.id;

      // The file as filed, for the instructor: the declaration, the documents, the step forms.
      let page = await get(file(id), cookies.instructeur);
      assert.equal(page.statusCode, 200);
      let body = text(page.body);
      assert.ok(body.includes(view.number as string));
      match(body, /Tension Plus iOS Mobile/);
      match(body, /Pression artérielle \(pression-arterielle\) Oui Oui/);
      match(body, /J’accepte que Suivi Tension lise et écrive/);
      match(body, /https:\/\/exemple\.test\/retour/);
      match(page.body, new RegExp(`href="/instruction/dossiers-administratifs/${publisher.organisationId}"`));
      match(page.body, /href="\/instruction\/dossiers\/[^"]+\/demande\.pdf"/);
      noMatch(page.body, /avis\.pdf/);
      match(body, /Déclarer recevable/);
      // A document, as an attachment that is never sniffed nor run.
      const docId = /\/documents\/([0-9a-f-]{36})"/.exec(page.body)?.[1] as string;
      const doc = await get(`${file(id)}/documents/${docId}`, cookies.instructeur);
      assert.equal(doc.statusCode, 200);
      match(String(doc.headers['content-disposition']), /^attachment;/);
      assert.equal(doc.headers['x-content-type-options'], 'nosniff');
      match(String(doc.headers['content-security-policy']), /sandbox/);

      let res = await step(id, cookies.instructeur, 'declare_admissible');
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `${file(id)}?ok=declare_admissible`);
      body = text((await get(String(res.headers.location), cookies.instructeur)).body);
      match(body, /Étape enregistrée : Déclarer recevable/);
      match(body, /En évaluation/);

      // The evaluation: each criterion with its answer as filed, one verdict form each.
      const evaluation = await get(`${file(id)}/evaluation`, cookies.instructeur);
      assert.equal(evaluation.statusCode, 200);
      const criteria = [...evaluation.body.matchAll(/\/verdicts\/([^"]+)"/g)].map((m) =>
        decodeURIComponent(m[1] as string),
      );
      assert.ok(criteria.length >= 3);
      body = text(evaluation.body);
      match(body, new RegExp(`0 critère\\(s\\) sur ${criteria.length} ont un verdict`));
      match(body, /Conforme \(test\)/);
      const [first, ...rest] = criteria as [string, ...string[]];
      // « à compléter » needs a comment: the form says so at its field.
      res = await post(`${file(id)}/verdicts/${encodeURIComponent(first)}`, cookies.instructeur, [
        ['rowVersion', '0'],
        ['verdict', 'a_completer'],
        ['comment', ''],
      ]);
      assert.equal(res.statusCode, 422);
      match(res.body, /fr-input-group--error/);
      match(text(res.body), /Motivez un verdict non conforme ou à compléter/);
      res = await post(`${file(id)}/verdicts/${encodeURIComponent(first)}`, cookies.instructeur, [
        ['rowVersion', '0'],
        ['verdict', 'a_completer'],
        ['comment', 'Le certificat joint est expiré.'],
      ]);
      assert.equal(res.statusCode, 303);
      match(String(res.headers.location), /\/evaluation\?ok=.+#criterion-/);
      // One more by its own form, then the rest « conforme » in one step.
      res = await post(`${file(id)}/verdicts/${encodeURIComponent(rest[0] as string)}`, cookies.instructeur, [
        ['rowVersion', '0'],
        ['verdict', 'non_conforme'],
        ['comment', 'Pas de politique de sécurité signée.'],
      ]);
      assert.equal(res.statusCode, 303);
      res = await post(`${file(id)}/evaluation/conformes`, cookies.instructeur, []);
      assert.equal(res.statusCode, 303);
      body = text((await get(String(res.headers.location), cookies.instructeur)).body);
      match(body, new RegExp(`${criteria.length - 2} critère\\(s\\) déclaré\\(s\\) conforme\\(s\\)`));
      match(body, new RegExp(`${criteria.length} critère\\(s\\) sur ${criteria.length} ont un verdict`));
      match(body, /Non conformes : 1/);
      // The verdicts already given are kept.
      const kept = await get(`${file(id)}/evaluation`, cookies.instructeur);
      match(kept.body, /Pas de politique de sécurité signée\./);
      noMatch(kept.body, /Déclarer conformes les/);
      match(body, /À compléter : 1/);

      // A criterion « à compléter » stops the transmission to the commission, with the count.
      res = await step(id, cookies.instructeur, 'send_to_commission');
      assert.equal(res.statusCode, 422);
      match(text(res.body), /Des critères sont « à compléter » \(1\)/);

      // A request for information: the clock pauses, and the deadline moves by the pause.
      const before = await getDossier(deps, staff.instructeur, id);
      page = await get(file(id), cookies.instructeur);
      match(
        page.body,
        new RegExp(`name="criteria" value="${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" checked`),
      );
      res = await step(id, cookies.instructeur, 'request_info', [
        ['message', 'Merci de joindre un certificat HDS en cours de validité.'],
        ['criteria', first],
        ['dueAt', new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10)],
      ]);
      assert.equal(res.statusCode, 303, text(res.body));
      body = text((await get(file(id), cookies.instructeur)).body);
      match(body, /Compléments demandés/);
      match(body, /Délai suspendu/);
      match(body, /Merci de joindre un certificat HDS/);
      const queue = text((await get(`/instruction/dossiers?q=${view.number}`, cookies.instructeur)).body);
      match(queue, /Délai suspendu/);
      // Ten days pass while the publisher answers.
      await app.db
        .updateTable('dossiers')
        .set({ paused_at: new Date(Date.now() - 10 * 86_400_000) })
        .where('id', '=', id)
        .execute();
      const waiting = await getDossier(deps, publisher.actor, id);
      await answerInfoRequest(
        deps,
        publisher.actor,
        id,
        waiting.rowVersion,
        'Voici le certificat renouvelé.',
        [],
      );
      const after = await getDossier(deps, staff.instructeur, id);
      assert.equal(after.state, 'evaluation');
      const moved = (after.phaseDueAt as Date).getTime() - (before.phaseDueAt as Date).getTime();
      assert.ok(Math.abs(moved - 10 * 86_400_000) < 120_000, `deadline moved by the pause (${moved} ms)`);
      body = text((await get(file(id), cookies.instructeur)).body);
      match(body, /Voici le certificat renouvelé/);
      noMatch(body, /Délai suspendu/);

      // The verdict revised (its version read from the page), then to the commission.
      const again = await get(`${file(id)}/evaluation`, cookies.instructeur);
      res = await post(`${file(id)}/verdicts/${encodeURIComponent(first)}`, cookies.instructeur, [
        ['rowVersion', verdictVersion(again.body, first)],
        ['verdict', 'conforme'],
        ['comment', 'Certificat à jour reçu.'],
      ]);
      assert.equal(res.statusCode, 303);
      res = await step(id, cookies.instructeur, 'send_to_commission');
      assert.equal(res.statusCode, 303);

      // The commission's opinion: the quorum is checked, the seats and finalités come from the process
      // file and the referential.
      page = await get(file(id), cookies.commission);
      body = text(page.body);
      match(body, /Quorum : 3 membres sur 5/);
      match(
        body,
        /Délégué ministériel au numérique en santé \(coprésidence\) — Titulaire de démonstration A/,
      );
      match(page.body, /name="finalites" value="prevention" checked/);
      const seats = deps.process.commission.seats.map((s) => s.id);
      const opinion = (sitting: string[]): Fields => [
        ['opinion', 'FAVORABLE_RESERVES_SUSPENSIVES'],
        ['reasons', 'Le service répond aux exigences sous réserve du chiffrement des sauvegardes.'],
        ['reservation_0_text', 'Chiffrer les sauvegardes.'],
        ['reservation_0_suspensive', 'on'],
        ['reservation_1_text', 'Publier la politique de conservation.'],
        ...sitting.map((s): [string, string] => ['sitting', s]),
        ['finalites', 'prevention'],
      ];
      res = await step(id, cookies.commission, 'give_opinion', opinion(seats.slice(0, 2)));
      assert.equal(res.statusCode, 422);
      match(text(res.body), /Le quorum de la commission n’est pas atteint/);
      match(res.body, /fr-fieldset--error/);
      // What was typed is kept in the form.
      match(res.body, /value="Chiffrer les sauvegardes\."/);
      res = await step(id, cookies.commission, 'give_opinion', opinion(seats.slice(0, 3)));
      assert.equal(res.statusCode, 303, text(res.body));
      page = await get(file(id), cookies.decideur);
      body = text(page.body);
      match(body, /Favorable avec réserves suspensives/);
      match(page.body, /href="\/instruction\/dossiers\/[^"]+\/avis\.pdf"/);

      // Refused while the suspensive reservation stands; lifted; then decided.
      res = await step(id, cookies.decideur, 'decide', [
        ['decision', 'referenced'],
        ['reasons', 'Avis favorable.'],
      ]);
      assert.equal(res.statusCode, 422);
      match(text(res.body), /Des réserves suspensives ne sont pas levées/);
      res = await step(id, cookies.instructeur, 'lift_reservation', [['reservationId', 'R1']]);
      assert.equal(res.statusCode, 303);
      res = await step(id, cookies.decideur, 'decide', [
        ['decision', 'referenced'],
        ['reasons', 'Avis favorable, réserve suspensive levée.'],
      ]);
      assert.equal(res.statusCode, 303);

      // The convention, prefilled from the process file and the request.
      page = await get(file(id), cookies.instructeur);
      match(page.body, /name="parties"[^>]*value="Le ministre chargé de la santé"/);
      match(page.body, /name="category_pression-arterielle_read" value="on" checked/);
      match(page.body, /name="durationMonths"[^>]*value="12"/);
      res = await step(id, cookies.instructeur, 'sign_convention', [
        ['parties', 'L’éditeur du service'],
        ['parties', 'Le ministre chargé de la santé'],
        ['parties', 'La Caisse nationale de l’Assurance maladie'],
        ['category_pression-arterielle_read', 'on'],
        ['finalites', 'prevention'],
        ['durationMonths', '12'],
        ['withdrawalTerms', 'Retrait après procédure contradictoire.'],
        ['signedOn', new Date().toISOString().slice(0, 10)],
      ]);
      assert.equal(res.statusCode, 303, text(res.body));
      const signed = await getDossier(deps, staff.instructeur, id);
      assert.equal(signed.state, 'connection_tests');
      assert.deepEqual((signed.convention as { categories: unknown }).categories, [
        { code: 'pression-arterielle', read: true, write: false },
      ]);

      // The connection-test gate: no passing report, no publication.
      res = await step(id, cookies.instructeur, 'publish');
      assert.equal(res.statusCode, 422);
      match(text(res.body), /Un rapport de tests d’accrochage réussi/);
      assert.equal((await getDossier(deps, staff.instructeur, id)).state, 'connection_tests');

      // The timeline shows the steps and the working notes, with who acted.
      body = text((await get(file(id), cookies.instructeur)).body);
      match(body, /Historique/);
      match(body, /Verdict sur un critère/);
      match(body, new RegExp(`${criteria.length - 2} critère\\(s\\) : Conforme`));
      match(body, /Rendre l’avis de la commission/);
      match(body, /Chiffrer les sauvegardes/);
    });

    it('publishes a service without data exchange and runs its catalogue statuses', async () => {
      const publisher = await readyPublisher(app, { name: 'Marche Active' });
      const draft = await draftDossier(app, publisher);
      const signed = await walkTo(app, staff, publisher, draft, 'convention_signed');
      assert.equal(signed.state, 'convention_signed');
      const id = signed.id;

      let res = await step(id, cookies.instructeur, 'publish');
      assert.equal(res.statusCode, 303);
      let view = await getDossier(deps, staff.instructeur, id);
      assert.equal(view.state, 'published');
      assert.equal(view.catalogueStatus, 'EN_LIGNE');
      assert.ok(view.oid?.startsWith(`${app.config.oidRoot}.`), view.oid ?? '');
      let body = text((await get(file(id), cookies.instructeur)).body);
      assert.ok(body.includes(view.oid as string));
      match(body, /En ligne \(EN_LIGNE\)/);

      res = await step(id, cookies.instructeur, 'suspend', [['reasons', 'Fuite de données signalée.']]);
      assert.equal(res.statusCode, 303);
      assert.equal((await getDossier(deps, staff.instructeur, id)).catalogueStatus, 'SUSPENDUE');
      // Lifting a suspension is the decision maker's: the instructor is not offered it.
      body = text((await get(file(id), cookies.instructeur)).body);
      noMatch(body, /Lever la suspension/);
      res = await step(id, cookies.decideur, 'lift_suspension');
      assert.equal(res.statusCode, 303);
      assert.equal((await getDossier(deps, staff.instructeur, id)).catalogueStatus, 'HORS_LIGNE');
      res = await step(id, cookies.instructeur, 'put_online');
      assert.equal(res.statusCode, 303);
      assert.equal((await getDossier(deps, staff.instructeur, id)).catalogueStatus, 'EN_LIGNE');
      // A reason is required to dereference.
      res = await step(id, cookies.decideur, 'dereference', [['reasons', '']]);
      assert.equal(res.statusCode, 422);
      match(res.body, /id="f-dereference-reasons-message-error"/);
      res = await step(id, cookies.decideur, 'dereference', [
        ['reasons', 'Manquements répétés à la convention.'],
      ]);
      assert.equal(res.statusCode, 303);
      view = await getDossier(deps, staff.instructeur, id);
      assert.equal(view.catalogueStatus, 'DEREFERENCEE');
      body = text((await get(`${file(id)}?lang=en`, cookies.decideur)).body);
      match(body, /Dereferenced \(DEREFERENCEE\)/);
      match(body, /Manquements répétés à la convention/);
    });
  });

  describe('concurrency and rights', () => {
    it('two instructors on the same version: one wins, the other sees the conflict with what they typed', async () => {
      const publisher = await readyPublisher(app, { name: 'Double Main' });
      const view = await filed(publisher);
      const page = await get(file(view.id), cookies.instructeur);
      const version = formVersion(page.body);
      const first = await post(`${file(view.id)}/etapes`, cookies.instructeur, [
        ['type', 'declare_admissible'],
        ['rowVersion', version],
      ]);
      const second = await post(`${file(view.id)}/etapes`, cookies.instructeur2, [
        ['type', 'declare_inadmissible'],
        ['rowVersion', version],
        ['reasons', 'La DPIA manque au dossier.'],
      ]);
      assert.equal(first.statusCode, 303);
      assert.equal(second.statusCode, 409);
      const body = text(second.body);
      match(body, /Un collègue a agi avant vous/);
      match(body, /il est maintenant « En évaluation »/);
      match(body, /La DPIA manque au dossier\./);
      const now = await getDossier(deps, staff.instructeur, view.id);
      assert.equal(now.state, 'evaluation');
      const events = await app.db
        .selectFrom('dossier_events')
        .select('type')
        .where('dossier_id', '=', view.id)
        .execute();
      assert.equal(events.filter((e) => e.type === 'declare_inadmissible').length, 0);
      assert.equal(events.filter((e) => e.type === 'declare_admissible').length, 1);

      // The same on a verdict: the colleague's verdict is shown, the typed one kept in the form.
      const evaluation = await get(`${file(view.id)}/evaluation`, cookies.instructeur);
      const criterion = decodeURIComponent(/\/verdicts\/([^"]+)"/.exec(evaluation.body)?.[1] as string);
      const url = `${file(view.id)}/verdicts/${encodeURIComponent(criterion)}`;
      const a = await post(url, cookies.instructeur, [
        ['rowVersion', '0'],
        ['verdict', 'conforme'],
        ['comment', ''],
      ]);
      const b = await post(url, cookies.instructeur2, [
        ['rowVersion', '0'],
        ['verdict', 'non_conforme'],
        ['comment', 'La preuve ne couvre pas le périmètre.'],
      ]);
      assert.equal(a.statusCode, 303);
      assert.equal(b.statusCode, 409);
      const shown = text(b.body);
      match(shown, /Un collègue a donné un verdict avant vous/);
      match(shown, /« Conforme »/);
      match(b.body, /La preuve ne couvre pas le périmètre\./);
      match(b.body, /name="verdict" value="non_conforme" checked/);
    });

    it('an illegal step is refused with its message; a commission member gives no verdict', async () => {
      const publisher = await readyPublisher(app, { name: 'Hors Tour' });
      const view = await filed(publisher);
      // A step the file's state does not allow (a stale form): refused, said in words.
      const res = await post(`${file(view.id)}/etapes`, cookies.instructeur, [
        ['type', 'send_to_commission'],
        ['rowVersion', String(view.rowVersion)],
      ]);
      assert.equal(res.statusCode, 409);
      match(
        text(res.body),
        /Cette étape n’est pas possible dans l’état actuel du dossier \(Déposé — recevabilité\)/,
      );

      const evaluation = await get(`${file(view.id)}/evaluation`, cookies.commission);
      assert.equal(evaluation.statusCode, 200);
      match(text(evaluation.body), /cette page est en lecture seule pour vous/);
      noMatch(evaluation.body, /\/verdicts\//);
      const criterion = (await getDossier(deps, staff.instructeur, view.id)).snapshot?.assessment as {
        criteria: Array<{ id: string }>;
      };
      const refused = await post(
        `${file(view.id)}/verdicts/${encodeURIComponent(criterion.criteria[0]?.id as string)}`,
        cookies.commission,
        [
          ['rowVersion', '0'],
          ['verdict', 'conforme'],
          ['comment', ''],
        ],
      );
      assert.equal(refused.statusCode, 403);
      const verdicts = await app.db
        .selectFrom('dossier_verdicts')
        .selectAll()
        .where('dossier_id', '=', view.id)
        .execute();
      assert.equal(verdicts.length, 0);
    });
  });
});
