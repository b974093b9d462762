/**
 * The two PDFs of a referencing file over HTTP (inject): a request with data exchange filed by its publisher,
 * then given a commission opinion with reservations through the service's `act`, as the staff would. Who may
 * read them (the file's organisation and staff; 404 to another organisation), when (409 before the filing or
 * the opinion), the headers, and what the documents say.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dossierDeps } from '../src/dossier/plugin.ts';
import { act, type DossierView } from '../src/dossier/service.ts';
import { API_TOKEN_PREFIX } from '../src/identity/sessions.ts';
import { insertApiToken } from '../src/identity/store.ts';
import { newId, randomToken, sha256 } from '../src/platform/crypto.ts';
import {
  createStaff,
  draftDossier,
  type ReadyPublisher,
  readyPublisher,
  type Staff,
  walkTo,
} from './dossier-fixtures.ts';
import { createAccount, createOrganisation, sessionCookie, startTestApp, type TestApp } from './helpers.ts';
import { flat, pdfInfo, pdfText } from './pdf-text.ts';

const OPERATOR = 'Délégation au numérique en santé (essai)';

describe('the PDFs of a referencing file over HTTP', () => {
  let app: TestApp;
  let staff: Staff;
  let filed: DossierView;
  let draft: DossierView;
  let draftPublisher: ReadyPublisher;
  let publisherCookies: Record<string, string>;
  let instructorCookies: Record<string, string>;
  let commissionCookies: Record<string, string>;
  let outsiderCookies: Record<string, string>;
  let token: string;

  before(async () => {
    app = await startTestApp({ MESREF_OPERATOR_NAME: OPERATOR });
    staff = await createStaff(app);
    const deps = dossierDeps(app);
    const publisher = await readyPublisher(app, { dataExchange: true, name: 'Tension Partagée' });
    let view = await walkTo(
      app,
      staff,
      publisher,
      await draftDossier(app, publisher, true),
      'ready_for_commission',
    );
    const seats = deps.process.commission.seats.slice(0, 4).map((s) => s.id);
    view = await act(deps, staff.commission, view.id, view.rowVersion, {
      type: 'give_opinion',
      opinion: 'FAVORABLE_RESERVES_SUSPENSIVES',
      reasons: 'Le service satisfait au référentiel, sous réserve de compléments sur la sécurité.',
      reservations: [
        { text: 'Publier la politique de confidentialité mise à jour.', suspensive: true },
        { text: 'Fournir le rapport du test d’intrusion.', suspensive: true },
      ],
      sitting: seats,
      finalites: ['prevention'],
    });
    filed = await act(deps, staff.instructeur, view.id, view.rowVersion, {
      type: 'lift_reservation',
      reservationId: 'R1',
    });
    assert.equal(filed.state, 'opinion_given');

    // Another publisher's request, still a draft.
    draftPublisher = await readyPublisher(app, { name: 'Brouillon Santé' });
    draft = await draftDossier(app, draftPublisher);

    publisherCookies = await sessionCookie(app.db, { accountId: publisher.accountId });
    instructorCookies = await sessionCookie(app.db, {
      accountId: (staff.instructeur as { accountId: string }).accountId,
    });
    commissionCookies = await sessionCookie(app.db, {
      accountId: (staff.commission as { accountId: string }).accountId,
    });
    const outsiderOrg = await createOrganisation(app.db, 'Autre Éditeur');
    const outsider = await createAccount(app.db, { organisation: { id: outsiderOrg, role: 'mandataire' } });
    outsiderCookies = await sessionCookie(app.db, outsider);
    token = `${API_TOKEN_PREFIX}${randomToken()}`;
    await insertApiToken(app.db, {
      id: newId(),
      accountId: publisher.accountId,
      organisationId: publisher.organisationId,
      name: 'CI',
      tokenHash: sha256(token),
      prefix: token.slice(0, 16),
      expiresAt: new Date(Date.now() + 86_400_000),
    });
  });
  after(() => app.stop());

  const get = (url: string, cookies?: Record<string, string>, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, cookies, headers });

  function assertPdf(response: Awaited<ReturnType<typeof get>>, fileName: string): string {
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['content-type'], 'application/pdf');
    assert.equal(response.headers['content-disposition'], `inline; filename="${fileName}"`);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.match(String(response.headers['cache-control']), /no-store/);
    assert.equal(response.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
    return flat(pdfText(response.rawPayload));
  }

  it('gives the publisher the request as filed', async () => {
    const number = filed.number as string;
    const text = assertPdf(
      await get(`/editeur/dossiers/${filed.id}/demande.pdf`, publisherCookies),
      `${number}-demande.pdf`,
    );
    for (const words of [
      `Récapitulatif de la demande ${number}`,
      'Tension Partagée SAS',
      'Typologie : Avec échange de données',
      'Le suivi de la tension par le patient demande de verser ses mesures dans son espace.',
      // The referential's titles of the category and finalité the request names.
      'Pression artérielle (pression-arterielle)',
      'Prévention (prevention)',
      'Clés publiques du service : https://exemple.test/.well-known/jwks.json',
      'Contact support : support@exemple.test',
      'Conditions générales d’utilisation',
      'Analyse d’impact (AIPD)',
      'Auto-évaluation figée au dépôt',
      'Conforme (test)',
      'reflète la demande telle que déposée (figée au dépôt)',
    ])
      assert.ok(text.includes(flat(words)), `« ${words} » is not in the PDF's text:\n${text}`);
  });

  it('gives the commission’s opinion letter with its reservations and the members who sat', async () => {
    const number = filed.number as string;
    const response = await get(`/editeur/dossiers/${filed.id}/avis.pdf`, publisherCookies);
    const text = assertPdf(response, `${number}-avis.pdf`);
    assert.equal(pdfInfo(response.rawPayload).Title, `Avis de la commission de référencement — ${number}`);
    const seats = dossierDeps(app).process.commission.seats;
    for (const words of [
      OPERATOR,
      `Objet : avis de la commission de référencement — dossier ${number}`,
      'Service : Tension Partagée iOS Mobile, version 1.0.0',
      'Favorable avec réserves suspensives',
      'sous réserve de compléments sur la sécurité.',
      '1. Publier la politique de confidentialité mise à jour.',
      'Réserve suspensive — levée le',
      '2. Fournir le rapport du test d’intrusion.',
      'Réserve suspensive — non levée à la date de ce document',
      'Prévention (prevention)',
      ...seats.slice(0, 4).flatMap((s) => [s.role.fr, s.holder]),
      `Quorum : ${dossierDeps(app).process.commission.quorum} membres`,
      '4 membres ont siégé. Le quorum était atteint.',
      'Le ministre chargé de la santé décide du référencement du service au vu de cet avis.',
    ])
      assert.ok(text.includes(flat(words)), `« ${words} » is not in the PDF's text:\n${text}`);
    assert.ok(!text.includes(seats[4]?.holder as string), 'a seat that did not sit is not listed');
  });

  it('serves the same documents to the instruction, and in English', async () => {
    const number = filed.number as string;
    assertPdf(
      await get(`/instruction/dossiers/${filed.id}/demande.pdf`, instructorCookies),
      `${number}-demande.pdf`,
    );
    const text = assertPdf(
      await get(`/instruction/dossiers/${filed.id}/avis.pdf?lang=en`, commissionCookies),
      `${number}-avis.pdf`,
    );
    assert.ok(text.includes(`Subject: opinion of the referencing commission — file ${number}`), text);
    assert.ok(text.includes('Favourable with suspensive reservations'), text);
  });

  it('serves them through the API with a personal token', async () => {
    const number = filed.number as string;
    const auth = { authorization: `Bearer ${token}` };
    assertPdf(
      await get(`/api/v1/dossiers/${filed.id}/demande.pdf`, undefined, auth),
      `${number}-demande.pdf`,
    );
    assertPdf(await get(`/api/v1/dossiers/${filed.id}/avis.pdf`, undefined, auth), `${number}-avis.pdf`);
  });

  it('answers 404 to another organisation and to an unknown file, 403 on the instruction paths to a publisher', async () => {
    for (const doc of ['demande.pdf', 'avis.pdf']) {
      const page = await get(`/editeur/dossiers/${filed.id}/${doc}`, outsiderCookies);
      assert.equal(page.statusCode, 404);
      assert.ok(!page.rawPayload.subarray(0, 5).equals(Buffer.from('%PDF-')));
      assert.equal((await get(`/editeur/dossiers/${newId()}/${doc}`, publisherCookies)).statusCode, 404);
      assert.equal((await get(`/editeur/dossiers/not-an-id/${doc}`, publisherCookies)).statusCode, 404);
      assert.equal((await get(`/instruction/dossiers/${filed.id}/${doc}`, publisherCookies)).statusCode, 403);
      const api = await get(`/api/v1/dossiers/${filed.id}/${doc}`, outsiderCookies, {
        accept: 'application/json',
      });
      assert.equal(api.statusCode, 404);
      assert.equal(api.json().error.code, 'not_found');
    }
    // Anonymous: sent to sign in.
    const anonymous = await get(`/editeur/dossiers/${filed.id}/avis.pdf`);
    assert.equal(anonymous.statusCode, 303);
    assert.ok(!anonymous.rawPayload.subarray(0, 5).equals(Buffer.from('%PDF-')));
  });

  it('answers 409 before the request is filed, and before the commission’s opinion', async () => {
    // A draft is the publisher's: they get 409, the administration does not see it yet (404).
    const draftCookies = await sessionCookie(app.db, { accountId: draftPublisher.accountId });
    for (const doc of ['demande.pdf', 'avis.pdf']) {
      const notFiled = await get(`/api/v1/dossiers/${draft.id}/${doc}`, draftCookies, {
        accept: 'application/json',
      });
      assert.equal(notFiled.statusCode, 409);
      assert.equal(notFiled.json().error.code, 'not_available');
      const staffView = await get(`/api/v1/dossiers/${draft.id}/${doc}`, instructorCookies, {
        accept: 'application/json',
      });
      assert.equal(staffView.statusCode, 404);
    }
    const notFiled = await get(`/api/v1/dossiers/${draft.id}/demande.pdf`, draftCookies, {
      accept: 'application/json',
    });
    assert.match(notFiled.json().error.message, /pas encore déposée/);

    // Filed: the summary is there, the letter not before the commission's opinion.
    const withoutOpinion = await walkTo(app, staff, draftPublisher, draft, 'submitted');
    assert.equal(withoutOpinion.state, 'submitted');
    const noOpinion = await get(`/api/v1/dossiers/${withoutOpinion.id}/avis.pdf`, instructorCookies, {
      accept: 'application/json',
    });
    assert.equal(noOpinion.statusCode, 409);
    assert.equal(noOpinion.json().error.code, 'not_available');
    assert.match(noOpinion.json().error.message, /n’a pas encore rendu d’avis/);
    const page = await get(`/instruction/dossiers/${withoutOpinion.id}/avis.pdf`, instructorCookies);
    assert.equal(page.statusCode, 409);
    assert.match(page.headers['content-type'] as string, /text\/html/);
    assertPdf(
      await get(`/instruction/dossiers/${withoutOpinion.id}/demande.pdf`, instructorCookies),
      `${withoutOpinion.number}-demande.pdf`,
    );
  });
});
