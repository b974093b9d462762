import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CSRF,
  createAccount,
  createOrganisation,
  sessionCookie,
  startTestApp,
  type TestApp,
} from '../../test/helpers.ts';
import { createTestProduct } from '../../test/pathway-fixtures.ts';
import { newId } from '../platform/crypto.ts';
import { latestOutcome } from './index.ts';

const eligible =
  'public=usagers&secteur=sanitaire&forme=application-mobile&utilisable=oui&dispositif_medical=non&echange_donnees=oui&finalites=soins&finalites=prevention&teleconsultation=non';

const form = (pairs: Array<[string, string]>) =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

describe('guided pathway pages', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.stop());

  it('starts at the first step, with the DSFR stepper, for anyone', async () => {
    const res = await t.inject({ method: 'GET', url: '/parcours' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /class="fr-stepper"/);
    assert.match(res.body, /Étape 1 sur \d+/);
    assert.match(res.body, /À qui votre service s’adresse-t-il/);
    assert.match(res.body, /<form method="get" action="\/parcours">/);
    assert.match(res.body, /type="radio" id="public-usagers" name="public" value="usagers"/);
    // No session, no token: the pathway keeps nothing.
    assert.ok(!String(res.headers['set-cookie'] ?? '').includes('mesref_session'));
    const en = await t.inject({ method: 'GET', url: '/parcours?lang=en' });
    assert.match(en.body, /Who is your service for\?/);
    assert.match(en.body, /Step 1 of \d+/);
  });

  it('goes to the next step with the answers carried in the form', async () => {
    const res = await t.inject({ method: 'GET', url: '/parcours?public=usagers&depuis=public' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Dans quel secteur votre service intervient-il/);
    assert.match(res.body, /Étape 2 sur/);
    assert.match(res.body, /<input type="hidden" name="public" value="usagers"\/>/);
    // Back to the previous step with its answer kept.
    assert.match(res.body, /href="\/parcours\?public=usagers&amp;etape=public"[^>]*>Étape précédente/);
    const back = await t.inject({ method: 'GET', url: '/parcours?public=usagers&etape=public' });
    assert.match(back.body, /value="usagers" checked/);
  });

  it('shows the step again with an error when nothing is chosen', async () => {
    const res = await t.inject({ method: 'GET', url: '/parcours?public=usagers&depuis=secteur' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Choisissez une réponse pour continuer/);
    assert.match(res.body, /fr-fieldset--error/);
    assert.match(res.body, /<title>Une réponse manque/);
  });

  it('skips a step hidden by its condition', async () => {
    const notDevice = await t.inject({
      method: 'GET',
      url: '/parcours?public=usagers&secteur=sanitaire&forme=site-web&utilisable=oui&dispositif_medical=non&depuis=dispositif-medical',
    });
    assert.match(notDevice.body, /Souhaitez-vous que votre service lise ou écrive des données/);
    assert.doesNotMatch(notDevice.body, /marquage CE au titre/);
    const device = await t.inject({
      method: 'GET',
      url: '/parcours?public=usagers&secteur=sanitaire&forme=site-web&utilisable=oui&dispositif_medical=oui&depuis=dispositif-medical',
    });
    assert.match(device.body, /Votre service porte-t-il le marquage CE/);
    const noExchange = await t.inject({
      method: 'GET',
      url: '/parcours?public=usagers&secteur=sanitaire&forme=site-web&utilisable=oui&dispositif_medical=non&echange_donnees=non&depuis=echange',
    });
    assert.match(noExchange.body, /Votre service permet-il des téléconsultations/);
  });

  it('sends the last answer to the result, and a blocking answer straight there', async () => {
    const done = await t.inject({ method: 'GET', url: `/parcours?${eligible}&depuis=teleconsultation` });
    assert.equal(done.statusCode, 303);
    assert.match(String(done.headers.location), /^\/parcours\/resultat\?public=usagers&/);
    const pro = await t.inject({ method: 'GET', url: '/parcours?public=professionnels&depuis=public' });
    assert.equal(pro.statusCode, 303);
    assert.equal(pro.headers.location, '/parcours/resultat?public=professionnels');
  });

  it('shows an eligible result with typology, workload, roadmap and vigilance', async () => {
    const res = await t.inject({ method: 'GET', url: `/parcours/resultat?${eligible}` });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Votre service peut être référencé/);
    assert.match(res.body, /Référencement avec échange de données/);
    assert.match(res.body, /pour les finalités prévention et soins/);
    assert.match(res.body, /Critères applicables/);
    assert.match(res.body, /href="\/referentiels\/2023-v2"/);
    assert.match(res.body, /Version de démonstration/);
    assert.match(res.body, /Déposer le formulaire préalable auprès du GIE SESAM-Vitale/);
    assert.match(res.body, /Tester les API dans l’environnement des éditeurs/);
    assert.match(res.body, /La disponibilité de l’équipe technique pour les tests d’échange/);
    assert.match(res.body, /Connectez-vous pour enregistrer/);
    // Nothing to post for an anonymous visitor: no form token.
    assert.doesNotMatch(res.body, /name="_csrf"/);
  });

  it('shows why a service is not eligible, citing the rule and its source', async () => {
    const res = await t.inject({
      method: 'GET',
      url: '/parcours/resultat?public=usagers&secteur=sanitaire&forme=site-web&utilisable=oui&dispositif_medical=oui&marquage_ce=non',
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /ne peut pas être référencé en l’état/);
    assert.match(res.body, /Sans marquage CE, il ne peut pas encore être référencé/);
    assert.match(res.body, /href="https:\/\/eur-lex\.europa\.eu\/eli\/reg\/2017\/745\/oj"/);
    assert.doesNotMatch(res.body, /Feuille de route/);
    const pro = await t.inject({ method: 'GET', url: '/parcours/resultat?public=professionnels&lang=en' });
    assert.match(pro.body, /belongs to another offer/);
    assert.match(pro.body, /gnius\.esante\.gouv\.fr/);
  });

  it('sends an unfinished result back to the pathway', async () => {
    const res = await t.inject({ method: 'GET', url: '/parcours/resultat?public=usagers' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/parcours?public=usagers');
  });

  it('lists the official resources and mesref’s guides', async () => {
    const res = await t.inject({ method: 'GET', url: '/ressources' });
    assert.equal(res.statusCode, 200);
    for (const url of [
      'https://editeurs.monespacesante.fr',
      'https://gnius.esante.gouv.fr/',
      'https://convergence.esante.gouv.fr',
      'https://interop.esante.gouv.fr/ig/fhir/mesures',
      'https://www.monespacesante.fr',
      '/ressources/guides/fhir-validation',
      '/editeur/validation',
    ]) {
      assert.ok(res.body.includes(`href="${url}`), url);
    }
    const guide = await t.inject({ method: 'GET', url: '/ressources/guides/fhir-validation' });
    assert.equal(guide.statusCode, 200);
    assert.match(String(guide.headers['content-type']), /^text\/plain/);
    const other = await t.inject({ method: 'GET', url: '/ressources/guides/architecture' });
    assert.equal(other.statusCode, 404);
    const traversal = await t.inject({ method: 'GET', url: '/ressources/guides/..%2Fpackage.json' });
    assert.equal(traversal.statusCode, 404);
  });

  it('links the pathway and the resources from the home page and the header', async () => {
    const res = await t.inject({ method: 'GET', url: '/' });
    assert.match(res.body, /class="fr-nav__link" href="\/parcours"/);
    assert.match(res.body, /class="fr-nav__link" href="\/ressources"/);
    assert.match(res.body, /<h2 class="fr-card__title"><a href="\/parcours">/);
  });

  it('answers the same decision as JSON', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/pathway/outcome',
      payload: { answers: { public: 'usagers', secteur: 'autre' } },
    });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.complete, true);
    assert.equal(body.outcome.verdict, 'not-eligible');
    assert.equal(body.outcome.reason.ruleId, 'secteur-hors-champ');
    const partial = await t.inject({
      method: 'POST',
      url: '/api/v1/pathway/outcome',
      payload: { answers: { public: 'usagers' } },
    });
    assert.deepEqual(partial.json(), { complete: false, nextStep: 'secteur' });
  });
});

describe('saving a pathway outcome onto a service', () => {
  let t: TestApp;
  let orgId: string;
  let productId: string;
  let otherProductId: string;
  let member: Record<string, string>;
  let outsider: Record<string, string>;
  before(async () => {
    t = await startTestApp();
    orgId = await createOrganisation(t.db, 'Éditeur A');
    const otherOrg = await createOrganisation(t.db, 'Éditeur B');
    productId = await createTestProduct(t.db, orgId, 'Tensio');
    otherProductId = await createTestProduct(t.db, otherOrg, 'Autre');
    const a = await createAccount(t.db, { organisation: { id: orgId, role: 'salarie' } });
    const b = await createAccount(t.db, { organisation: { id: otherOrg, role: 'mandataire' } });
    member = await sessionCookie(t.db, { accountId: a.accountId });
    outsider = await sessionCookie(t.db, { accountId: b.accountId });
  });
  after(() => t.stop());

  const answers: Array<[string, string]> = eligible.split('&').map((p) => p.split('=') as [string, string]);

  it('offers a signed-in publisher its own services only', async () => {
    const res = await t.inject({ method: 'GET', url: `/parcours/resultat?${eligible}`, cookies: member });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<form method="post" action="\/parcours\/enregistrer">/);
    assert.match(res.body, new RegExp(`<option value="${productId}">Tensio`));
    assert.ok(!res.body.includes(otherProductId));
    assert.match(res.body, /name="_csrf"/);
  });

  it('refuses a save without the CSRF token', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/parcours/enregistrer',
      cookies: member,
      headers: formHeaders,
      payload: form([...answers, ['produit', productId]]),
    });
    assert.equal(res.statusCode, 403);
    assert.equal(await latestOutcome(t.db, productId), undefined);
  });

  it('refuses a save onto another organisation’s service (not said to exist), and an anonymous one', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/parcours/enregistrer',
      cookies: outsider,
      headers: formHeaders,
      payload: form([...answers, ['produit', productId], ['_csrf', CSRF]]),
    });
    assert.equal(res.statusCode, 404);
    const anonymous = await t.inject({
      method: 'POST',
      url: '/parcours/enregistrer',
      headers: formHeaders,
      payload: form([...answers, ['produit', productId]]),
    });
    assert.ok([401, 403].includes(anonymous.statusCode));
    assert.equal(await latestOutcome(t.db, productId), undefined);
  });

  it('asks to choose a service, and refuses unfinished answers', async () => {
    const none = await t.inject({
      method: 'POST',
      url: '/parcours/enregistrer',
      cookies: member,
      headers: formHeaders,
      payload: form([...answers, ['produit', ''], ['_csrf', CSRF]]),
    });
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Choisissez un service\./);
    const unfinished = await t.inject({
      method: 'POST',
      url: '/parcours/enregistrer',
      cookies: member,
      headers: formHeaders,
      payload: form([
        ['public', 'usagers'],
        ['produit', productId],
        ['_csrf', CSRF],
      ]),
    });
    assert.equal(unfinished.statusCode, 400);
    assert.equal(await latestOutcome(t.db, productId), undefined);
  });

  it('saves the outcome with its audit event and shows it on the service’s page', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/parcours/enregistrer',
      cookies: member,
      headers: formHeaders,
      payload: form([...answers, ['produit', productId], ['_csrf', CSRF]]),
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/editeur/services/${productId}/parcours?enregistre=1`);
    const saved = await latestOutcome(t.db, productId);
    assert.equal(saved?.outcome.verdict, 'eligible');
    assert.equal(saved?.outcome.typology?.id, 'avec-echange');
    assert.deepEqual(saved?.answers.finalites, ['soins', 'prevention']);
    const events = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'pathway.outcome_saved')
      .where('subject_id', '=', productId)
      .execute();
    assert.equal(events.length, 1);
    assert.equal((events[0].data as { verdict: string }).verdict, 'eligible');

    const page = await t.inject({ method: 'GET', url: String(res.headers.location), cookies: member });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Résultat enregistré/);
    assert.match(page.body, /Référencement avec échange de données/);
    assert.match(page.body, /Dernier résultat enregistré le/);
    const forbidden = await t.inject({
      method: 'GET',
      url: `/editeur/services/${productId}/parcours`,
      cookies: outsider,
    });
    assert.equal(forbidden.statusCode, 404, 'another organisation’s service is not said to exist');
    const missing = await t.inject({
      method: 'GET',
      url: `/editeur/services/${newId()}/parcours`,
      cookies: member,
    });
    assert.equal(missing.statusCode, 404);
  });

  it('saves and reads through the JSON API too', async () => {
    const res = await t.inject({
      method: 'POST',
      url: `/api/v1/products/${productId}/pathway-outcome`,
      cookies: member,
      headers: { 'x-csrf-token': CSRF },
      payload: {
        answers: {
          public: 'usagers',
          secteur: 'social',
          forme: 'site-web',
          utilisable: true,
          dispositif_medical: false,
          echange_donnees: false,
          teleconsultation: true,
        },
      },
    });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().outcome.typology.id, 'sans-echange');
    const read = await t.inject({
      method: 'GET',
      url: `/api/v1/products/${productId}/pathway-outcome`,
      cookies: member,
    });
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().answers.secteur, 'social');
    const other = await t.inject({
      method: 'POST',
      url: `/api/v1/products/${otherProductId}/pathway-outcome`,
      cookies: member,
      headers: { 'x-csrf-token': CSRF },
      payload: { answers: { public: 'professionnels' } },
    });
    assert.equal(other.statusCode, 404);
  });
});
