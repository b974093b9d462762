/**
 * The publisher's pages of the referencing file over HTTP (inject), sent as a browser without JavaScript sends
 * them: the list and a new draft; the request with its data-exchange declaration and its problems; documents
 * (upload, download headers, removal); the submission refused until the administrative file is validated and
 * the assessment ready, then filed with its number; the frozen snapshot; answering a request for information
 * with files; the steps of a published service; conflicts; rights (another organisation gets 404, a salarié
 * cannot file).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompactSign, importJWK } from 'jose';
import { getAssessment, saveAnswer } from '../src/assessment/service.ts';
import { seedDemoAdminFile } from '../src/dossier/admin-file-service.ts';
import { act, createDossier, getDossier, updateRequest } from '../src/dossier/service.ts';
import type { Actor } from '../src/identity/model.ts';
import {
  answeredAssessment,
  createStaff,
  dossierDepsOf,
  draftDossier,
  insertProduct,
  instructorActor,
  multipartBody,
  PDF,
  type PublisherFixture,
  publisherWithReadyProduct,
  readyPublisher,
  type Staff,
  walkTo,
} from './dossier-fixtures.ts';
import {
  CSRF,
  createAccount,
  createOrganisation,
  sessionCookie,
  startTestApp,
  type TestApp,
} from './helpers.ts';

type Cookies = Record<string, string>;

/** The text of a page, tags dropped and whitespace collapsed, for assertions on what a person reads. */
function text(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ');
}

function includes(html: string, expected: string | RegExp, message?: string): void {
  const page = text(html);
  const ok = typeof expected === 'string' ? page.includes(expected) : expected.test(page);
  if (!ok) assert.fail(message ?? `expected ${expected} in the page (it reads: ${page.slice(0, 600)}…)`);
}

function excludes(html: string, unexpected: string | RegExp): void {
  const page = text(html);
  const found = typeof unexpected === 'string' ? page.includes(unexpected) : unexpected.test(page);
  if (found) assert.fail(`did not expect ${unexpected} in the page`);
}

/** The file's version, as the page's forms carry it. */
function rowVersionOf(html: string): string {
  const m = /name="rowVersion" value="(\d+)"/.exec(html);
  assert.ok(m, 'the page has a versioned form');
  return m[1] as string;
}

/** A urlencoded form body (repeated names for several values), as a browser sends it. */
function form(fields: Record<string, string | string[]>) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ _csrf: CSRF, ...fields }))
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  return { payload: params.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}

const UUID = '[0-9a-f-]{36}';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());

describe('the publisher pages of the referencing file', () => {
  let pub: PublisherFixture;
  let outsider: Cookies;
  let instructor: Actor;
  let fileId: string;
  let base: string;
  const future = () => new Date(Date.now() + 20 * 86_400_000).toISOString();

  const get = (url: string, cookies: Cookies) => app.inject({ method: 'GET', url, cookies });
  const post = (
    url: string,
    cookies: Cookies,
    body: { payload: string | Buffer; headers: Record<string, string> },
  ) => app.inject({ method: 'POST', url, cookies, ...body });

  before(async () => {
    pub = await publisherWithReadyProduct(app, {
      dataExchange: true,
      adminFile: null,
      ready: false,
      organisationName: 'Éditeur Tension',
      productName: 'Tension Suivie',
    });
    const otherOrg = await createOrganisation(app.db, 'Autre éditeur');
    outsider = await sessionCookie(
      app.db,
      await createAccount(app.db, { organisation: { id: otherOrg, role: 'mandataire' } }),
    );
    instructor = (await instructorActor(app.db)).actor;
  });

  it('lists the files per organisation, warns of the administrative file, and creates a draft', async () => {
    const home = await get('/editeur', pub.cookies.manager);
    assert.match(home.body, /href="\/editeur\/dossiers"/);

    const empty = await get('/editeur/dossiers', pub.cookies.manager);
    assert.equal(empty.statusCode, 200);
    includes(empty.body, 'Mes demandes de référencement');
    includes(empty.body, 'Éditeur Tension');
    includes(empty.body, 'Dossier administratif non validé');
    assert.match(
      empty.body,
      new RegExp(`href="/editeur/organisations/${pub.organisationId}/dossier-administratif"`),
    );
    includes(empty.body, 'Aucune demande de référencement pour cette organisation.');
    assert.match(empty.body, new RegExp(`<option value="${pub.productId}"`));

    const created = await post('/editeur/dossiers', pub.cookies.manager, form({ productId: pub.productId }));
    assert.equal(created.statusCode, 303, created.body);
    const location = created.headers.location as string;
    assert.match(location, new RegExp(`^/editeur/dossiers/${UUID}\\?ok=created$`));
    base = location.split('?')[0] as string;
    fileId = base.split('/').pop() as string;

    // One file in progress per service: the second one is refused, on the list, with why.
    const again = await post('/editeur/dossiers', pub.cookies.manager, form({ productId: pub.productId }));
    assert.equal(again.statusCode, 409);
    includes(again.body, 'Une demande est déjà en cours pour ce service');

    const list = await get('/editeur/dossiers', pub.cookies.manager);
    assert.match(list.body, new RegExp(`href="${base}"`));
    includes(list.body, 'Brouillon');
    includes(list.body, 'Tension Suivie');

    const page = await get(location, pub.cookies.manager);
    assert.equal(page.statusCode, 200);
    includes(page.body, 'La demande est créée (brouillon).');
    includes(page.body, 'Ce qui est attendu de vous');
    includes(page.body, 'Complétez la demande, joignez les pièces requises, puis déposez-la.');
    includes(page.body, 'Avec échange de données');
    includes(page.body, 'Historique du dossier');
    includes(page.body, 'Demande créée');
    includes(page.body, 'Délais de traitement');
    includes(page.body, 'Délai cible');
    assert.match(page.body, new RegExp(`href="${base}/demande"`));
  });

  it('edits the request, shows its problems, handles documents, and files it once everything is ready', async () => {
    const version = app.referentials.newest();
    const [cat1, cat2] = version.dataCategories;
    const [fin1] = version.finalites;
    assert.ok(cat1 && cat2 && fin1, 'the referential has data categories and finalités');

    const draft = await get(`${base}/demande`, pub.cookies.manager);
    assert.equal(draft.statusCode, 200);
    includes(draft.body, 'Avant de déposer');
    includes(draft.body, 'Dossier administratif non validé');
    includes(draft.body, 'Auto-évaluation pas encore prête');
    includes(draft.body, 'Conditions générales d’utilisation : Pièce manquante.');
    includes(draft.body, 'Déclaration d’échange de données (CSP R.1111-39)');
    includes(draft.body, 'L’auto-évaluation sera figée au dépôt');
    assert.match(draft.body, /href="#f-justification"|href="#declaration"/);
    assert.match(draft.body, /name="type" value="submit"/);
    // The salarié prepares the request but does not see the submission.
    const theirs = await get(`${base}/demande`, pub.cookies.employee);
    assert.doesNotMatch(theirs.body, /name="type" value="submit"/);
    includes(theirs.body, 'Seuls le mandataire et le représentant légal');

    const declaration = {
      presentation: 'Suivi de la tension à domicile.',
      justification: 'Le suivi de la tension demande les relevés.',
      access: 'Appariement puis API Mesures.',
      categoryRead: [cat1.code, cat2.code],
      categoryWrite: [cat1.code],
      finalites: [fin1.code],
      retention: 'Deux ans après la dernière utilisation.',
      security: 'Hébergement HDS, chiffrement au repos.',
      consentText: 'En acceptant, vous autorisez Tension Suivie à lire vos mesures.',
      redirectUris: 'https://tension.exemple.test/retour\r\nhttp://localhost:3000/retour',
      jwksUri: 'http://tension.exemple.test/jwks.json',
      jwks: '',
      supportContact: 'support@tension.exemple.test',
    };
    const saved = await post(
      `${base}/demande`,
      pub.cookies.employee,
      form({ ...declaration, rowVersion: rowVersionOf(draft.body) }),
    );
    assert.equal(saved.statusCode, 303, saved.body);
    assert.equal(saved.headers.location, `${base}/demande?ok=saved`);
    const after = await get(saved.headers.location as string, pub.cookies.manager);
    includes(after.body, 'La demande est enregistrée.');
    // The remaining problem is shown on its field, in the DSFR error state, and in the checklist.
    assert.match(after.body, /fr-input-group--error"><label class="fr-label" for="f-jwksUri"/);
    includes(after.body, 'Une adresse https:// est attendue.');
    assert.match(
      after.body,
      new RegExp(`id="f-cat-${cat1.code}-read" name="categoryRead" value="${cat1.code}" checked`),
    );
    assert.match(
      after.body,
      new RegExp(`id="f-cat-${cat1.code}-write" name="categoryWrite" value="${cat1.code}" checked`),
    );
    assert.doesNotMatch(after.body, new RegExp(`id="f-cat-${cat2.code}-write"[^>]*checked`));
    assert.match(
      after.body,
      /http:\/\/localhost:3000\/retour<\/textarea>|localhost:3000\/retour\n?<\/textarea>/,
    );

    // Documents: each required one attached; a refused type shown on the upload form; one removed.
    let version2 = rowVersionOf(after.body);
    const upload = async (kind: string, name: string, bytes: Buffer, cookies = pub.cookies.manager) => {
      const response = await post(
        `${base}/documents`,
        cookies,
        multipartBody({ _csrf: CSRF, rowVersion: version2, kind }, [{ field: 'file', name, bytes }]),
      );
      if (response.statusCode === 303) version2 = String(Number(version2) + 1);
      return response;
    };
    const refused = await upload('cgu', 'page.html', Buffer.from('<html><script>alert(1)</script></html>'));
    assert.equal(refused.statusCode, 422);
    includes(refused.body, 'Type de fichier refusé');
    assert.match(refused.body, /fr-upload-group--error/);
    for (const kind of ['cgu', 'privacy', 'dpia', 'other']) {
      const added = await upload(kind, `${kind}.pdf`, PDF);
      assert.equal(added.statusCode, 303, added.body);
      assert.equal(added.headers.location, `${base}/demande?ok=document_added#documents`);
    }
    const withDocs = await get(`${base}/demande?ok=document_added`, pub.cookies.manager);
    includes(withDocs.body, 'La pièce est jointe.');
    const docIds = [...withDocs.body.matchAll(new RegExp(`href="${base}/documents/(${UUID})"`, 'g'))].map(
      (m) => m[1],
    );
    assert.equal(docIds.length, 4);
    const download = await get(`${base}/documents/${docIds[0]}`, pub.cookies.employee);
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'application/pdf');
    assert.match(download.headers['content-disposition'] as string, /^attachment; filename="/);
    assert.equal(download.headers['x-content-type-options'], 'nosniff');
    assert.match(download.headers['content-security-policy'] as string, /sandbox/);
    assert.deepEqual(download.rawPayload, PDF);
    const view = await getDossier(dossierDepsOf(app), pub.managerActor, fileId);
    const other = view.documents.find((d) => d.kind === 'other');
    assert.ok(other);
    const removed = await post(
      `${base}/documents/${other.id}/suppression`,
      pub.cookies.manager,
      form({ rowVersion: String(view.rowVersion) }),
    );
    assert.equal(removed.statusCode, 303);
    const afterRemoval = await getDossier(dossierDepsOf(app), pub.managerActor, fileId);
    assert.deepEqual(afterRemoval.documents.map((d) => d.kind).sort(), ['cgu', 'dpia', 'privacy']);

    const submit = async (cookies: Cookies) => {
      const current = await getDossier(dossierDepsOf(app), pub.managerActor, fileId);
      return post(
        `${base}/etapes`,
        cookies,
        form({ type: 'submit', rowVersion: String(current.rowVersion) }),
      );
    };
    // Refused while the administrative file is not validated…
    const noAdminFile = await submit(pub.cookies.manager);
    assert.equal(noAdminFile.statusCode, 422);
    includes(noAdminFile.body, 'Le dossier administratif de votre organisation doit être validé');
    await seedDemoAdminFile(app.db, pub.organisationId, 'validated');
    // …while the request has problems (each named, linked to its field)…
    const incomplete = await submit(pub.cookies.manager);
    assert.equal(incomplete.statusCode, 422);
    includes(incomplete.body, 'La demande est incomplète');
    assert.match(
      incomplete.body,
      /<a href="#f-jwksUri">URL des clés publiques du service \(JWKS\)<\/a> : Une adresse https:\/\/ est attendue\./,
    );
    const page = await get(`${base}/demande`, pub.cookies.manager);
    const fixed = await post(
      `${base}/demande`,
      pub.cookies.manager,
      form({
        ...declaration,
        jwksUri: 'https://tension.exemple.test/jwks.json',
        rowVersion: rowVersionOf(page.body),
      }),
    );
    assert.equal(fixed.statusCode, 303);
    // …while the assessment is not ready…
    const notReady = await submit(pub.cookies.manager);
    assert.equal(notReady.statusCode, 422);
    includes(notReady.body, 'L’auto-évaluation présente encore des écarts bloquants');
    await completeAssessment(app, pub.managerActor, pub.assessmentId);
    // …and to a salarié, whatever the file.
    const bySalarie = await submit(pub.cookies.employee);
    assert.equal(bySalarie.statusCode, 403);

    const filed = await submit(pub.cookies.manager);
    assert.equal(filed.statusCode, 303, filed.body);
    assert.equal(filed.headers.location, `${base}?ok=submit`);
    const row = await app.db
      .selectFrom('dossiers')
      .select(['number', 'state'])
      .where('id', '=', fileId)
      .executeTakeFirstOrThrow();
    assert.match(row.number ?? '', /^MES-\d{4}-\d{6}$/);
    assert.equal(row.state, 'submitted');
    const shown = await get(filed.headers.location as string, pub.cookies.manager);
    includes(shown.body, `La demande est déposée sous le numéro ${row.number}.`);
    includes(shown.body, 'Déposé — recevabilité');
    includes(shown.body, `Numéro attribué ${row.number}`);
    includes(shown.body, 'État : Brouillon → Déposé — recevabilité');
    includes(shown.body, 'Rien n’est attendu de vous pour le moment');
    assert.match(shown.body, new RegExp(`href="${base}/depot"`));
    // What was filed no longer changes: the request form is gone.
    const closed = await get(`${base}/demande`, pub.cookies.manager);
    assert.equal(closed.statusCode, 303);
    assert.equal(closed.headers.location, base);
  });

  it('shows what was filed, unchanged when the assessment is edited afterwards', async () => {
    const before = await get(`${base}/depot`, pub.cookies.manager);
    assert.equal(before.statusCode, 200);
    includes(before.body, 'Ce qui a été déposé');
    includes(before.body, 'Par rubrique');
    const deps = { db: app.db, config: app.config, referentials: app.referentials };
    const assessment = await getAssessment(deps, pub.managerActor, pub.assessmentId);
    const first = assessment.evaluation.criteria[0]?.criterion.id as string;
    includes(before.body, `Justification déposée ${first}`);
    const evidence = new RegExp(`href="${base}/documents/(${UUID})"[^>]*>attestation-hebergeur\\.pdf<`).exec(
      before.body,
    );
    assert.ok(evidence, 'the frozen evidence file is linked');

    await saveAnswer(deps, pub.managerActor, pub.assessmentId, first, {
      status: 'non-conforme',
      justification: 'Modifiée après le dépôt',
      targetDate: '',
      baseVersion: assessment.answers[first]?.version ?? 1,
    });
    const later = await get(`${base}/depot`, pub.cookies.manager);
    includes(later.body, `Justification déposée ${first}`);
    excludes(later.body, 'Modifiée après le dépôt');
    const frozen = await get(`${base}/documents/${evidence[1]}`, pub.cookies.manager);
    assert.equal(frozen.statusCode, 200);
    assert.deepEqual(frozen.rawPayload, PDF);
  });

  it('answers a request for information with a text and files', async () => {
    const deps = dossierDepsOf(app);
    let view = await getDossier(deps, instructor, fileId);
    view = await act(deps, instructor, fileId, view.rowVersion, { type: 'declare_admissible' });
    const criterion = app.referentials.newest().criteria[0]?.id as string;
    view = await act(deps, instructor, fileId, view.rowVersion, {
      type: 'request_info',
      message: 'Précisez la durée de conservation des mesures.\nJoignez le registre des traitements.',
      criteria: [criterion],
      dueAt: future(),
    });
    const page = await get(base, pub.cookies.employee);
    includes(page.body, 'Demande de compléments');
    includes(page.body, 'Précisez la durée de conservation des mesures.');
    includes(page.body, `Critères concernés : ${criterion}`);
    includes(page.body, 'Le délai d’instruction est suspendu pendant votre réponse.');
    includes(page.body, 'Les instructeurs vous demandent des compléments : répondez avant le');
    includes(page.body, 'Attendu de vous une réponse avant le');
    assert.match(page.body, /enctype="multipart\/form-data" id="reponse"/i);

    const answer = (fields: Record<string, string>, files: Array<{ name: string; bytes: Buffer }>) =>
      post(
        `${base}/etapes`,
        pub.cookies.employee,
        multipartBody(
          { _csrf: CSRF, type: 'answer_info', rowVersion: String(view.rowVersion), ...fields },
          files.map((f) => ({ field: 'files', ...f })),
        ),
      );
    const empty = await answer({ text: '' }, []);
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /fr-input-group--error"><label class="fr-label" for="f-answer-text"/);
    const six = Array.from({ length: 6 }, (_, i) => ({ name: `piece-${i}.pdf`, bytes: PDF }));
    const tooMany = await answer({ text: 'Trop de pièces' }, six);
    assert.equal(tooMany.statusCode, 413);
    includes(tooMany.body, 'trop de fichiers ou de champs (5 fichiers au plus)');
    assert.equal((await getDossier(deps, instructor, fileId)).state, 'info_requested');

    const answered = await answer({ text: 'Conservation : deux ans.\nRegistre joint.' }, [
      { name: 'registre.pdf', bytes: PDF },
      { name: 'conservation.pdf', bytes: PDF },
    ]);
    assert.equal(answered.statusCode, 303, answered.body);
    view = await getDossier(deps, instructor, fileId);
    assert.equal(view.state, 'evaluation');
    assert.deepEqual(
      view.documents
        .filter((d) => d.kind === 'info_answer')
        .map((d) => d.name)
        .sort(),
      ['conservation.pdf', 'registre.pdf'],
    );
    const shown = await get(answered.headers.location as string, pub.cookies.manager);
    includes(shown.body, 'Votre réponse est envoyée aux instructeurs.');
    includes(shown.body, 'Conservation : deux ans.');
    includes(shown.body, 'Répondre à la demande de compléments');
    includes(shown.body, 'registre.pdf');
    excludes(shown.body, 'Le délai d’instruction est suspendu');
  });

  it('shows a concurrent change with the file as it now is, and the errors of a step on its form', async () => {
    const stale = await post(
      `${base}/etapes`,
      pub.cookies.manager,
      form({ type: 'withdraw', reasons: 'Erreur', rowVersion: '1' }),
    );
    assert.equal(stale.statusCode, 409);
    includes(stale.body, 'Modification concurrente');
    includes(stale.body, 'État actuel du dossier : En évaluation');
    const current = (await getDossier(dossierDepsOf(app), pub.managerActor, fileId)).rowVersion;
    const noReasons = await post(
      `${base}/etapes`,
      pub.cookies.manager,
      form({ type: 'withdraw', reasons: '  ', rowVersion: String(current) }),
    );
    assert.equal(noReasons.statusCode, 422);
    assert.match(noReasons.body, /fr-input-group--error"><label class="fr-label" for="f-withdraw-reasons"/);
    assert.match(noReasons.body, /<a href="#f-withdraw-reasons">Motifs<\/a> : Ce champ est obligatoire\./);
    const unknown = await post(
      `${base}/etapes`,
      pub.cookies.manager,
      form({ type: 'give_opinion', rowVersion: String(current) }),
    );
    assert.equal(unknown.statusCode, 422);

    // A draft saved by a colleague meanwhile: the person's typing is kept, next to what is saved.
    const deps = dossierDepsOf(app);
    const productId = await insertProduct(app.db, pub.organisationId, { name: 'Second Service' });
    await answeredAssessment(app, pub.managerActor, productId);
    const second = await createDossier(deps, pub.managerActor, { productId });
    await updateRequest(deps, pub.employeeActor, second.id, second.rowVersion, {
      presentation: 'Texte du collègue',
    });
    const conflict = await post(
      `/editeur/dossiers/${second.id}/demande`,
      pub.cookies.manager,
      form({ presentation: 'Mon texte', rowVersion: String(second.rowVersion) }),
    );
    assert.equal(conflict.statusCode, 409);
    includes(conflict.body, 'Modification concurrente');
    includes(conflict.body, 'Texte du collègue');
    assert.match(conflict.body, /<textarea[^>]*id="f-presentation"[^>]*>Mon texte<\/textarea>/);

    const withdrawn = await post(
      `${base}/etapes`,
      pub.cookies.manager,
      form({ type: 'withdraw', reasons: 'Nous revoyons le service.', rowVersion: String(current) }),
    );
    assert.equal(withdrawn.statusCode, 303);
    const closed = await get(withdrawn.headers.location as string, pub.cookies.manager);
    includes(closed.body, 'La demande est retirée.');
    includes(closed.body, 'Ce dossier est clos');
    includes(closed.body, 'Nous revoyons le service.');
  });

  it('answers 404 to another organisation on every page of a file', async () => {
    const view = await getDossier(dossierDepsOf(app), pub.managerActor, fileId);
    const doc = view.documents[0]?.id as string;
    for (const url of [base, `${base}/depot`, `${base}/demande`, `${base}/documents/${doc}`])
      assert.equal((await get(url, outsider)).statusCode, 404, url);
    for (const [url, body] of [
      [`${base}/demande`, form({ presentation: 'x', rowVersion: String(view.rowVersion) })],
      [`${base}/etapes`, form({ type: 'withdraw', reasons: 'x', rowVersion: String(view.rowVersion) })],
      [`${base}/documents/${doc}/suppression`, form({ rowVersion: String(view.rowVersion) })],
    ] as const)
      assert.equal((await post(url, outsider, body)).statusCode, 404, url);
    const list = await get('/editeur/dossiers', outsider);
    assert.doesNotMatch(list.body, new RegExp(fileId));
    // An unknown id, and an id that is not one.
    assert.equal(
      (await get('/editeur/dossiers/00000000-0000-4000-8000-000000000000', pub.cookies.manager)).statusCode,
      404,
    );
    assert.equal((await get('/editeur/dossiers/nope', pub.cookies.manager)).statusCode, 404);
    const anonymous = await app.inject({ method: 'GET', url: base });
    assert.equal(anonymous.statusCode, 303);
    assert.match(anonymous.headers.location as string, /^\/connexion/);
  });
});

describe('the publisher steps after the decision', () => {
  let staff: Staff;
  before(async () => {
    staff = await createStaff(app);
  });

  it('files connection-test reports, checked for their signature', async () => {
    const publisher = await readyPublisher(app, { name: 'Tension Connect', dataExchange: true });
    const view = await walkTo(
      app,
      staff,
      publisher,
      await draftDossier(app, publisher, true),
      'convention_signed',
    );
    assert.equal(view.state, 'connection_tests');
    const cookies = await sessionCookie(app.db, { accountId: publisher.accountId });
    const base = `/editeur/dossiers/${view.id}`;
    const page = await get(app, base, cookies);
    includes(page.body, 'Réalisez les tests d’accrochage');
    includes(page.body, 'Aucun rapport déposé.');

    const garbage = await app.inject({
      method: 'POST',
      url: `${base}/etapes`,
      cookies,
      ...multipartBody({
        _csrf: CSRF,
        type: 'test_report',
        rowVersion: String(view.rowVersion),
        report: 'pas un rapport',
      }),
    });
    assert.equal(garbage.statusCode, 422);
    includes(garbage.body, 'Rapport illisible');
    assert.match(garbage.body, /pas un rapport<\/textarea>/);

    const key = app.keys.privateJwks.find((k) => k.alg === 'ES256') ?? app.keys.privateJwks[0];
    const privateKey = await importJWK(key as never, key?.alg as string);
    const org = await app.db
      .selectFrom('organisations')
      .select('siren')
      .where('id', '=', publisher.organisationId)
      .executeTakeFirstOrThrow();
    const payload = {
      format: 'mesref-connection-test-report',
      formatVersion: 1,
      iss: app.config.publicUrl,
      iat: Math.floor(Date.now() / 1000),
      subject: { siren: org.siren, productName: 'Tension Connect' },
      plans: [
        { id: 'pairing', status: 'passed' },
        { id: 'mesures', status: 'passed' },
      ],
      passed: true,
    };
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: key?.alg as string, kid: key?.kid })
      .sign(privateKey);
    // Sent as a file, as a person who downloaded it from the sandbox does.
    const filed = await app.inject({
      method: 'POST',
      url: `${base}/etapes`,
      cookies,
      ...multipartBody(
        { _csrf: CSRF, type: 'test_report', rowVersion: String(view.rowVersion), report: '' },
        [{ field: 'reportFile', name: 'rapport.jws', bytes: Buffer.from(jws) }],
      ),
    });
    assert.equal(filed.statusCode, 303, filed.body);
    const shown = await get(app, filed.headers.location as string, cookies);
    includes(shown.body, 'Le rapport de tests est déposé.');
    includes(shown.body, 'Réussi');
    includes(shown.body, 'pairing : réussi');
    includes(shown.body, 'Rapport de tests d’accrochage déposé');
  });

  it('offers renewal, a new version (a major one opens an update file) and taking offline', async () => {
    const publisher = await readyPublisher(app, { name: 'Bouger Plus' });
    const view = await walkTo(app, staff, publisher, await draftDossier(app, publisher), 'published');
    assert.equal(view.state, 'published');
    const cookies = await sessionCookie(app.db, { accountId: publisher.accountId });
    const base = `/editeur/dossiers/${view.id}`;
    const page = await get(app, base, cookies);
    includes(page.body, 'Le service est référencé jusqu’au');
    includes(page.body, 'Demander le renouvellement');
    includes(page.body, 'Déclarer une nouvelle version');
    includes(page.body, 'Mettre hors ligne');
    includes(page.body, 'Publier au catalogue');
    includes(page.body, 'Catalogue : — → En ligne');

    const step = (fields: Record<string, string | string[]>, rowVersion: number) =>
      app.inject({
        method: 'POST',
        url: `${base}/etapes`,
        cookies,
        ...form({ ...fields, rowVersion: String(rowVersion) }),
      });
    const renewal = await step({ type: 'request_renewal' }, view.rowVersion);
    assert.equal(renewal.statusCode, 303);
    let current = await getDossier(dossierDepsOf(app), publisher.actor, view.id);
    assert.equal(current.renewalRequested, true);

    const noRubrique = await step(
      { type: 'declare_version', version: '2.0.0', major: 'oui', description: 'Refonte' },
      current.rowVersion,
    );
    assert.equal(noRubrique.statusCode, 422);
    includes(noRubrique.body, 'Une version majeure touche au moins une rubrique.');
    assert.match(noRubrique.body, /id="f-version"[^>]*value="2.0.0"/);
    const rubrique = app.referentials.newest().criteria[0]?.rubrique as string;
    const major = await step(
      {
        type: 'declare_version',
        version: '2.0.0',
        major: 'oui',
        rubriques: [rubrique],
        description: 'Refonte',
      },
      current.rowVersion,
    );
    assert.equal(major.statusCode, 303, major.body);
    assert.match(
      major.headers.location as string,
      new RegExp(`^/editeur/dossiers/${UUID}\\?ok=update_created$`),
    );
    assert.doesNotMatch(major.headers.location as string, new RegExp(view.id));
    const update = await get(app, major.headers.location as string, cookies);
    includes(update.body, 'Déclaration mise à jour (version majeure)');
    includes(update.body, 'Critères à réévaluer');
    includes(update.body, 'Version majeure déclarée');

    current = await getDossier(dossierDepsOf(app), publisher.actor, view.id);
    const offline = await step(
      { type: 'take_offline', reasons: 'Maintenance prolongée.' },
      current.rowVersion,
    );
    assert.equal(offline.statusCode, 303);
    const after = await get(app, offline.headers.location as string, cookies);
    includes(after.body, 'Le service est mis hors ligne.');
    includes(after.body, 'Catalogue : En ligne → Hors ligne');
    includes(after.body, 'Maintenance prolongée.');
  });
});

function get(app: TestApp, url: string, cookies: Cookies) {
  return app.inject({ method: 'GET', url, cookies });
}

/** Answers, « conforme » with evidence, every criterion of the assessment that is not ready yet. */
async function completeAssessment(app: TestApp, actor: Actor, assessmentId: string): Promise<void> {
  const deps = { db: app.db, config: app.config, referentials: app.referentials };
  const view = await getAssessment(deps, actor, assessmentId);
  for (const c of view.evaluation.criteria.filter((x) => x.state !== 'ready'))
    await saveAnswer(deps, actor, assessmentId, c.criterion.id, {
      status: 'conforme',
      justification: 'Complété',
      targetDate: '',
      baseVersion: view.answers[c.criterion.id]?.version ?? 0,
      addEvidence: [{ kind: 'url', url: 'https://exemple.test/complement' }],
    });
  assert.equal((await getAssessment(deps, actor, assessmentId)).evaluation.ready, true);
}
