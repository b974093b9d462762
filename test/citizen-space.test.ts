/**
 * The citizen's space for services and consents, as a citizen gets it: the list of paired services (their own
 * and their minors'), one service's consents (change, stale version, withdraw, re-approve, unpair), the
 * activity history, the export of all their data (JSON and FHIR) and the closing of the space.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appendAuditEvent, verifyAuditLog } from '../src/audit/index.ts';
import { accessDecision, accessEvent, type ConsentDeps, pair, pairingView } from '../src/consent/index.ts';
import { ACTIVITY_PAGE_SIZE } from '../src/consent/page-routes.ts';
import { validateResource } from '../src/fhir/index.ts';
import type { Actor } from '../src/identity/model.ts';
import { SERVICES_AS_PROVIDER } from '../src/oauth/index.ts';
import { newId } from '../src/platform/crypto.ts';
import { createStaff, type Staff } from './dossier-fixtures.ts';
import { CSRF, createAccount, createCitizen, sessionCookie, startTestApp, type TestApp } from './helpers.ts';
import { type PublishedService, publishExchangeService, suspendService } from './oauth-fixtures.ts';

const citizen = (citizenId: string): Actor => ({ kind: 'citizen', citizenId, displayName: 'Usager' });
const READ = 'pression-arterielle.read';
const WRITE = 'pression-arterielle.write';
const WEIGHT = 'poids.read';

/** The page's text, tags removed and white space collapsed (what a person reads). */
function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, '’')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The checkboxes of a form: value → checked. */
function checkboxes(html: string, name = 'finalites'): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const m of html.matchAll(/<input[^>]*type="checkbox"[^>]*>/g)) {
    const tag = m[0];
    if (!tag.includes(`name="${name}"`)) continue;
    const value = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
    out[value] = /\schecked(?:=""|\s|>|\/)/.test(tag);
  }
  return out;
}

const rowVersionIn = (html: string): string => /name="rowVersion" value="(\d+)"/.exec(html)?.[1] ?? '';

describe('the citizen space: services, consents, activity, export, closing', () => {
  let app: TestApp;
  let staff: Staff;
  let deps: ConsentDeps;
  let tension: PublishedService;
  let alice: string;
  let bob: string;
  let sophie: string;
  let lea: string;
  let cookies: Record<string, Record<string, string>>;
  let alicePairing: { pairingId: string; idPe: string };
  let leaPairing: { pairingId: string; idPe: string };

  const get = (url: string, who: string | null) =>
    app.inject({ method: 'GET', url, cookies: who ? cookies[who] : undefined });
  const post = (url: string, who: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    body.append('_csrf', CSRF);
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
    return app.inject({
      method: 'POST',
      url,
      cookies: cookies[who],
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
  };

  before(async () => {
    app = await startTestApp();
    staff = await createStaff(app);
    deps = { db: app.db, notifier: app.notifier };
    tension = await publishExchangeService(app, {
      name: 'Suivi Tension',
      redirectUri: 'https://tension.exemple.test/retour',
      staff,
    });
    alice = await createCitizen(app.db, 'Alice', 'Martin');
    bob = await createCitizen(app.db, 'Bob', 'Durand');
    sophie = await createCitizen(app.db, 'Sophie', 'Dubois');
    lea = await createCitizen(app.db, 'Léa', 'Dubois');
    const tenYearsAgo = `${new Date().getUTCFullYear() - 10}-03-14`;
    await app.db.updateTable('citizens').set({ birthdate: tenYearsAgo }).where('id', '=', lea).execute();
    await app.db.insertInto('guardianships').values({ guardian_id: sophie, minor_id: lea }).execute();
    cookies = {
      alice: await sessionCookie(app.db, { citizenId: alice }),
      bob: await sessionCookie(app.db, { citizenId: bob }),
      sophie: await sessionCookie(app.db, { citizenId: sophie }),
      lea: await sessionCookie(app.db, { citizenId: lea }),
    };
    alicePairing = await pair(deps, citizen(alice), {
      serviceOid: tension.oid,
      forCitizenId: alice,
      serviceUserId: 'alice-42',
      finalites: ['prevention'],
      scopes: ['openid', READ, WRITE, WEIGHT],
    });
    leaPairing = await pair(deps, citizen(sophie), {
      serviceOid: tension.oid,
      forCitizenId: lea,
      finalites: ['soins'],
      scopes: [READ],
    });
  });
  after(() => app.stop());

  it('lists my services with their state and what I allow, and links to manage each', async () => {
    const res = await get('/usager/services', 'alice');
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.match(text, /Mes services connectés/);
    assert.match(text, /Mes services/);
    assert.match(text, /Suivi Tension/);
    assert.match(text, /Actif/);
    assert.match(
      text,
      /Prévention — Poids : consulter ; Pression artérielle : consulter et ajouter à votre profil/,
    );
    assert.ok(res.body.includes(`href="/usager/services/${alicePairing.pairingId}"`));
    assert.match(text, /Gérer Suivi Tension/);
    // Alice has no minor in her care: one section only; Léa's pairing is not hers.
    assert.doesNotMatch(text, /Services de/);
    assert.ok(!res.body.includes(leaPairing.pairingId));
  });

  it('shows an empty state that points to the catalogue', async () => {
    const res = await get('/usager/services', 'bob');
    assert.equal(res.statusCode, 200);
    assert.match(textOf(res.body), /Vous n’avez synchronisé aucun service pour le moment/);
    assert.ok(res.body.includes('href="/catalogue"'));
  });

  it('shows a guardian a section per minor in their care, and the minor’s service page', async () => {
    const list = await get('/usager/services', 'sophie');
    assert.equal(list.statusCode, 200);
    const text = textOf(list.body);
    assert.match(text, /Mes services/);
    assert.match(text, /Services de Léa Dubois/);
    assert.match(text, /jusqu’à sa majorité le/);
    assert.ok(list.body.includes(`/usager/services/${leaPairing.pairingId}`));
    const page = await get(`/usager/services/${leaPairing.pairingId}`, 'sophie');
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page.body), /Profil de Léa Dubois/);
    assert.deepEqual(checkboxes(page.body), { prevention: false, soins: true });
    // The guardian changes the minor's consents.
    const changed = await post(`/usager/services/${leaPairing.pairingId}`, 'sophie', {
      rowVersion: rowVersionIn(page.body),
      finalites: ['prevention', 'soins'],
    });
    assert.equal(changed.statusCode, 303);
    const view = await pairingView(app.db, citizen(sophie), leaPairing.pairingId);
    assert.deepEqual(
      [...new Set(view.consents.filter((c) => c.status === 'active').map((c) => c.finalite))].sort(),
      ['prevention', 'soins'],
    );
    // The minor's activity, from the guardian's space.
    const activity = await get(`/usager/activite?personne=${lea}`, 'sophie');
    assert.equal(activity.statusCode, 200);
    const atext = textOf(activity.body);
    assert.match(atext, /Activité — Léa Dubois/);
    assert.match(atext, /Synchronisation et accords donnés/);
    assert.match(atext, /par votre représentant légal/);
  });

  it('shows one service: its consents per finalité as checkboxes, in plain words, with the forms', async () => {
    const res = await get(`/usager/services/${alicePairing.pairingId}`, 'alice');
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.match(text, /Suivi Tension/);
    assert.match(text, /Édité par Suivi Tension SAS/);
    assert.match(text, /Un retrait prend effet immédiatement/);
    assert.match(
      text,
      /Données concernées — Pression artérielle : consulter et ajouter à votre profil ; Poids : consulter/,
    );
    assert.deepEqual(checkboxes(res.body), { prevention: true, soins: false });
    // A fieldset with its legend; each checkbox has its label with the hint.
    assert.match(res.body, /<fieldset[^>]*aria-labelledby="finalites-legend finalites-messages"/);
    assert.match(
      res.body,
      /<label class="fr-label" for="finalites-prevention">Prévention<span class="fr-hint-text">/,
    );
    // Every form that changes something carries the CSRF field.
    const main = res.body.slice(res.body.indexOf('<main'), res.body.indexOf('</main>'));
    const forms = [...main.matchAll(/<form method="post"[\s\S]*?<\/form>/g)].map((m) => m[0]);
    assert.equal(forms.length, 2);
    for (const form of forms) assert.ok(form.includes(`name="_csrf"`), form.slice(0, 80));
    assert.match(text, /Enregistrer/);
    assert.match(text, /Retirer tous les consentements/);
    assert.ok(res.body.includes(`href="/usager/services/${alicePairing.pairingId}/desynchroniser"`));
    assert.match(text, /Historique des accords/);
  });

  it('saves a change of consents, and says so; the decision follows at once', async () => {
    const page = await get(`/usager/services/${alicePairing.pairingId}`, 'alice');
    const res = await post(`/usager/services/${alicePairing.pairingId}`, 'alice', {
      rowVersion: rowVersionIn(page.body),
      finalites: ['prevention', 'soins'],
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/usager/services/${alicePairing.pairingId}?ok=saved`);
    const after = await get(res.headers.location as string, 'alice');
    assert.match(textOf(after.body), /Vos accords sont enregistrés/);
    assert.deepEqual(checkboxes(after.body), { prevention: true, soins: true });
    const decision = await accessDecision(app.db, {
      idPe: alicePairing.idPe,
      serviceOid: tension.oid,
      category: 'poids',
      action: 'read',
      finalite: 'soins',
    });
    assert.equal(decision.decision.permit, true);
  });

  it('refuses a change made on a stale version: shows the current state and says a change was made meanwhile', async () => {
    const page = await get(`/usager/services/${alicePairing.pairingId}`, 'alice');
    const stale = String(Number(rowVersionIn(page.body)) - 1);
    const res = await post(`/usager/services/${alicePairing.pairingId}`, 'alice', {
      rowVersion: stale,
      finalites: [],
    });
    assert.equal(res.statusCode, 409);
    const text = textOf(res.body);
    assert.match(text, /Une modification a été faite entre-temps/);
    assert.match(text, /Vos choix n’ont pas été enregistrés/);
    // The current state: both finalités still consented, and the form carries the current version.
    assert.deepEqual(checkboxes(res.body), { prevention: true, soins: true });
    assert.equal(rowVersionIn(res.body), rowVersionIn(page.body));
  });

  it('asks for re-approval when a new version is published, and re-approves', async () => {
    await app.db
      .updateTable('dossiers')
      .set({ product_version: '2.0.0' })
      .where('id', '=', tension.dossierId)
      .execute();
    try {
      const list = await get('/usager/services', 'alice');
      const ltext = textOf(list.body);
      assert.match(ltext, /À ré-approuver/);
      assert.match(ltext, /Une nouvelle version de ce service \(version 2\.0\.0\) a été publiée/);
      const page = await get(`/usager/services/${alicePairing.pairingId}`, 'alice');
      assert.match(textOf(page.body), /Ré-approuver et enregistrer/);
      const res = await post(`/usager/services/${alicePairing.pairingId}`, 'alice', {
        rowVersion: rowVersionIn(page.body),
        finalites: ['prevention', 'soins'],
      });
      assert.equal(res.statusCode, 303);
      assert.match(res.headers.location as string, /\?ok=reapproved$/);
      const after = await get(res.headers.location as string, 'alice');
      assert.match(textOf(after.body), /ré-approuvés pour la version publiée/);
      assert.doesNotMatch(textOf(after.body), /À ré-approuver/);
    } finally {
      await app.db
        .updateTable('dossiers')
        .set({ product_version: '1.0.0' })
        .where('id', '=', tension.dossierId)
        .execute();
    }
  });

  it('hides every pairing page and action of another citizen (404), and sends visitors to sign in', async () => {
    const id = alicePairing.pairingId;
    const page = await get(`/usager/services/${id}`, 'alice');
    const rowVersion = rowVersionIn(page.body);
    for (const url of [
      `/usager/services/${id}`,
      `/usager/services/${id}/desynchroniser`,
      `/usager/activite?personne=${alice}`,
    ]) {
      const res = await get(url, 'bob');
      assert.equal(res.statusCode, 404, `GET ${url}`);
      assert.ok(!res.body.includes('Suivi Tension'), `GET ${url} tells nothing of the service`);
    }
    for (const url of [
      `/usager/services/${id}`,
      `/usager/services/${id}/retrait`,
      `/usager/services/${id}/desynchroniser`,
    ]) {
      const res = await post(url, 'bob', { rowVersion, finalites: [] });
      assert.equal(res.statusCode, 404, `POST ${url}`);
    }
    // A guardian's minor's pairing is not another adult's business either; nor is an adult's their guardian's.
    assert.equal((await get(`/usager/services/${leaPairing.pairingId}`, 'alice')).statusCode, 404);
    assert.equal((await get(`/usager/activite?personne=${lea}`, 'bob')).statusCode, 404);
    assert.equal((await get('/usager/services/pas-un-identifiant', 'alice')).statusCode, 404);
    assert.equal((await get(`/usager/services/${newId()}`, 'alice')).statusCode, 404);
    // Nothing changed.
    const view = await pairingView(app.db, citizen(alice), id);
    assert.equal(String(view.rowVersion), rowVersion);
    assert.equal(view.status, 'active');
    // Anonymous: sent to the citizens' sign-in; a publisher account: forbidden.
    for (const url of [
      '/usager/services',
      `/usager/services/${id}`,
      '/usager/activite',
      '/usager/export.json',
      '/usager/fermer',
    ]) {
      const res = await get(url, null);
      assert.equal(res.statusCode, 303, url);
      assert.match(res.headers.location as string, /^\/usager\/connexion\?retour=/);
    }
    const account = await createAccount(app.db);
    const accountCookies = await sessionCookie(app.db, account);
    const res = await app.inject({ method: 'GET', url: '/usager/services', cookies: accountCookies });
    assert.equal(res.statusCode, 403);
  });

  it('shows the activity history, paginated: date, service, what happened, data, outcome', async () => {
    for (let i = 0; i < ACTIVITY_PAGE_SIZE + 3; i++)
      await appendAuditEvent(
        app.db,
        accessEvent({
          idPe: alicePairing.idPe,
          serviceOid: tension.oid,
          citizenId: alice,
          category: 'pression-arterielle',
          action: i % 2 === 0 ? 'read' : 'write',
          outcome: i === 0 ? 'deny' : 'permit',
          ...(i === 0 ? { reason: 'no_consent' } : {}),
          operation: 'Observation.search',
        }),
      );
    const res = await get('/usager/activite', 'alice');
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.match(text, /Historique d’activité/);
    assert.match(text, /Accès du service à vos données/);
    assert.match(text, /Pression artérielle/);
    assert.match(text, /Autorisé/);
    const rows = res.body.match(/<tr>/g)?.length ?? 0;
    assert.equal(rows - 1, ACTIVITY_PAGE_SIZE, 'one page of rows (plus the header)');
    const older = /href="(\/usager\/activite\?personne=[^"]+&amp;avant=[^"]+)"/.exec(res.body)?.[1];
    assert.ok(older, 'a link to older activity');
    const next = await get(older.replace(/&amp;/g, '&'), 'alice');
    assert.equal(next.statusCode, 200);
    const ntext = textOf(next.body);
    // The rest: the remaining accesses (the first one refused), then the consent events.
    assert.match(ntext, /Refusé — pas d’accord pour ces données/);
    assert.match(ntext, /Synchronisation et accords donnés/);
    assert.match(ntext, /Accords modifiés/);
    assert.match(ntext, /Les plus récents/);
  });

  it('exports all my data as JSON, as a download', async () => {
    await app.db
      .insertInto('notifications')
      .values({
        id: newId(),
        recipient_account_id: null,
        recipient_citizen_id: alice,
        kind: 'consent.notify.reapproval',
        params: JSON.stringify({ service: 'Suivi Tension', version: '2.0.0' }),
        link: '/usager/services',
        read_at: null,
      })
      .execute();
    await app.db
      .insertInto('complaints')
      .values({
        id: newId(),
        dossier_id: tension.dossierId,
        citizen_id: alice,
        category: 'donnees-personnelles',
        message: 'Le service a envoyé mes mesures à un tiers.',
        status: 'new',
        answer: null,
        handled_by: null,
        answered_at: null,
        updated_at: new Date(),
      })
      .execute();
    const res = await get('/usager/export.json', 'alice');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^application\/json/);
    assert.match(
      res.headers['content-disposition'] as string,
      /^attachment; filename="mes-donnees-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    assert.equal(res.headers['cache-control'], 'no-store');
    const data = res.json();
    assert.equal(data.format, 'mesref.citizen-export');
    assert.equal(data.identity.id, alice);
    assert.equal(data.identity.givenName, 'Alice');
    assert.equal(data.identity.familyName, 'Martin');
    assert.equal(data.pairings.length, 1);
    const p = data.pairings[0];
    assert.equal(p.service.name, 'Suivi Tension');
    assert.equal(p.idPe, alicePairing.idPe);
    assert.equal(p.serviceUserId, 'alice-42');
    assert.ok(p.consents.length >= 3);
    for (const c of p.consents) {
      assert.match(c.grantedAt, /^\d{4}-\d{2}-\d{2}T/);
      assert.ok(['active', 'withdrawn'].includes(c.status));
    }
    assert.ok(data.activity.length >= ACTIVITY_PAGE_SIZE + 3);
    assert.ok(data.activity.some((a: { kind: string }) => a.kind === 'access'));
    assert.equal(data.notifications.length, 1);
    assert.match(data.notifications[0].subject, /Suivi Tension/);
    assert.equal(data.complaints.length, 1);
    assert.equal(data.complaints[0].message, 'Le service a envoyé mes mesures à un tiers.');
    // Léa's pairing is not Alice's data.
    assert.ok(!res.body.includes(leaPairing.idPe));
  });

  it('exports my data as a valid FHIR R4 Bundle: a Patient and one Consent per grant', async () => {
    const res = await get('/usager/export.fhir.json', 'alice');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^application\/fhir\+json/);
    assert.match(res.headers['content-disposition'] as string, /^attachment; filename="mes-donnees-fhir-/);
    const bundle = res.json();
    assert.equal(bundle.resourceType, 'Bundle');
    assert.equal(bundle.type, 'collection');
    const resources = bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource);
    const patient = resources.find((r: { resourceType: string }) => r.resourceType === 'Patient');
    assert.equal(patient.name[0].family, 'Martin');
    assert.equal(patient.birthDate, '1980-01-01');
    const consents = resources.filter((r: { resourceType: string }) => r.resourceType === 'Consent');
    const view = await pairingView(app.db, citizen(alice), alicePairing.pairingId);
    assert.equal(consents.length, view.consents.length);
    for (const c of consents) {
      assert.ok(['active', 'inactive'].includes(c.status));
      assert.equal(c.scope.coding[0].code, 'patient-privacy');
      assert.equal(c.category[0].coding[0].system, 'http://loinc.org');
      assert.equal(c.category[0].coding[0].code, '59284-0');
      assert.equal(c.patient.reference, bundle.entry[0].fullUrl);
      assert.ok(['prevention', 'soins'].includes(c.provision.purpose[0].code));
      assert.ok(['pression-arterielle', 'poids'].includes(c.provision.class[0].code));
      assert.ok(c.provision.period.start);
    }
    // Every full URL is unique, and the structure is valid R4.
    const urls = bundle.entry.map((e: { fullUrl: string }) => e.fullUrl);
    assert.equal(new Set(urls).size, urls.length);
    const result = validateResource(bundle, { rules: 'ig' });
    const errors = result.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
    assert.deepEqual(errors, [], JSON.stringify(errors, null, 1));
  });

  it('withdraws everything at once, then unpairs after a confirmation page', async () => {
    const page = await get(`/usager/services/${alicePairing.pairingId}`, 'alice');
    const res = await post(`/usager/services/${alicePairing.pairingId}/retrait`, 'alice', {
      rowVersion: rowVersionIn(page.body),
    });
    assert.equal(res.statusCode, 303);
    assert.match(res.headers.location as string, /\?ok=withdrawn$/);
    const after = await get(res.headers.location as string, 'alice');
    const text = textOf(after.body);
    assert.match(text, /Tous vos accords sont retirés/);
    assert.match(text, /C’est effectif dès maintenant/);
    assert.deepEqual(checkboxes(after.body), { prevention: false, soins: false });
    const denied = await accessDecision(app.db, {
      idPe: alicePairing.idPe,
      serviceOid: tension.oid,
      category: 'pression-arterielle',
      action: 'read',
    });
    assert.deepEqual(denied.decision, { permit: false, reason: 'no_consent' });

    const confirm = await get(`/usager/services/${alicePairing.pairingId}/desynchroniser`, 'alice');
    assert.equal(confirm.statusCode, 200);
    assert.match(textOf(confirm.body), /Désynchroniser Suivi Tension \?/);
    assert.match(confirm.body, /name="_csrf"/);
    const done = await post(`/usager/services/${alicePairing.pairingId}/desynchroniser`, 'alice', {
      rowVersion: rowVersionIn(confirm.body),
    });
    assert.equal(done.statusCode, 303);
    const shown = await get(done.headers.location as string, 'alice');
    const stext = textOf(shown.body);
    assert.match(stext, /Le service est désynchronisé/);
    assert.match(stext, /Désynchronisé/);
    assert.equal(checkboxes(shown.body).prevention, undefined, 'no consent form once unpaired');
    // Unpairing again (a second tab): the confirmation step sends back to the service page.
    const again = await get(`/usager/services/${alicePairing.pairingId}/desynchroniser`, 'alice');
    assert.equal(again.statusCode, 303);
  });

  it('tells a suspended service cannot read or add data any more', async () => {
    const other = await publishExchangeService(app, {
      name: 'Carnet Poids',
      redirectUri: 'https://poids.exemple.test/retour',
      staff,
    });
    await pair(deps, citizen(bob), {
      serviceOid: other.oid,
      forCitizenId: bob,
      finalites: ['prevention'],
      scopes: [WEIGHT],
    });
    await suspendService(app, other);
    const res = await get('/usager/services', 'bob');
    const text = textOf(res.body);
    assert.match(text, /Carnet Poids/);
    assert.match(text, /Service suspendu/);
    assert.match(text, /ne peut plus consulter ou ajouter des données à votre profil/);
  });

  it('says on the personal-data page what closing a space erases and keeps, and why', async () => {
    const res = await get('/donnees-personnelles', null);
    const text = textOf(res.body);
    assert.match(text, /Fermer votre espace d’usager/);
    assert.match(text, /journal d’audit/);
    assert.match(text, /ni nom ni donnée de santé/);
  });

  it('closes my space after confirmation: erases what it says, keeps what it says, signs me out', async () => {
    // A fresh citizen with a pairing, a guardianship, a notification, a report and a token grant at the server.
    const claire = await createCitizen(app.db, 'Claire', 'Fermeture');
    const minor = await createCitizen(app.db, 'Tom', 'Fermeture');
    await app.db
      .updateTable('citizens')
      .set({ birthdate: `${new Date().getUTCFullYear() - 8}-01-01` })
      .where('id', '=', minor)
      .execute();
    await app.db.insertInto('guardianships').values({ guardian_id: claire, minor_id: minor }).execute();
    const own = await pair(deps, citizen(claire), {
      serviceOid: tension.oid,
      forCitizenId: claire,
      finalites: ['prevention'],
      scopes: [READ],
    });
    const minors = await pair(deps, citizen(claire), {
      serviceOid: tension.oid,
      forCitizenId: minor,
      finalites: ['prevention'],
      scopes: [READ],
    });
    await app.db
      .insertInto('oidc_payloads')
      .values({
        provider: SERVICES_AS_PROVIDER,
        model: 'Grant',
        id: newId(),
        payload: JSON.stringify({ accountId: own.idPe, clientId: tension.oid }),
        grant_id: null,
        user_code: null,
        uid: null,
        expires_at: new Date(Date.now() + 3600_000),
        consumed_at: null,
      })
      .execute();
    await app.db
      .insertInto('notifications')
      .values({
        id: newId(),
        recipient_account_id: null,
        recipient_citizen_id: claire,
        kind: 'consent.notify.reapproval',
        params: JSON.stringify({ service: 'Suivi Tension', version: '2' }),
        link: null,
        read_at: null,
      })
      .execute();
    const complaintId = newId();
    await app.db
      .insertInto('complaints')
      .values({
        id: complaintId,
        dossier_id: tension.dossierId,
        citizen_id: claire,
        category: 'securite',
        message: 'Connexion non protégée.',
        status: 'new',
        answer: null,
        handled_by: null,
        answered_at: null,
        updated_at: new Date(),
      })
      .execute();
    cookies.claire = await sessionCookie(app.db, { citizenId: claire });

    const page = await get('/usager/fermer', 'claire');
    assert.equal(page.statusCode, 200);
    const text = textOf(page.body);
    assert.match(text, /Ce qui est effacé/);
    assert.match(text, /Vos services synchronisés et tous vos accords/);
    assert.match(text, /Ce qui est conservé, et pourquoi/);
    assert.match(text, /Le journal d’audit/);
    assert.match(text, /Les espaces de Tom Fermeture ne sont pas fermés/);
    assert.match(page.body, /name="_csrf"/);

    // Without the confirmation: refused, nothing erased.
    const refused = await post('/usager/fermer', 'claire', {});
    assert.equal(refused.statusCode, 422);
    assert.match(textOf(refused.body), /Cochez la case de confirmation pour fermer votre espace/);
    assert.ok(await app.db.selectFrom('citizens').select('id').where('id', '=', claire).executeTakeFirst());

    const closed = await post('/usager/fermer', 'claire', { confirmation: 'oui' });
    assert.equal(closed.statusCode, 200);
    assert.match(textOf(closed.body), /Votre espace est fermé/);
    assert.ok(
      [closed.headers['set-cookie']].flat().some((c) => /^mesref_session=;/.test(String(c))),
      'the session cookie is cleared',
    );
    // Signed out: the old cookie opens nothing.
    const after = await get('/usager', 'claire');
    assert.equal(after.statusCode, 303);

    const count = async (q: Promise<Array<unknown>>) => (await q).length;
    assert.equal(
      await count(app.db.selectFrom('citizens').select('id').where('id', '=', claire).execute()),
      0,
    );
    assert.equal(
      await count(app.db.selectFrom('pairings').select('id').where('citizen_id', '=', claire).execute()),
      0,
    );
    assert.equal(
      await count(
        app.db.selectFrom('consents').select('pairing_id').where('pairing_id', '=', own.pairingId).execute(),
      ),
      0,
    );
    assert.equal(
      await count(
        app.db.selectFrom('notifications').select('id').where('recipient_citizen_id', '=', claire).execute(),
      ),
      0,
    );
    assert.equal(
      await count(
        app.db
          .selectFrom('guardianships')
          .select('minor_id')
          .where((eb) => eb.or([eb('guardian_id', '=', claire), eb('minor_id', '=', claire)]))
          .execute(),
      ),
      0,
    );
    assert.equal(
      await count(app.db.selectFrom('sessions').select('id').where('citizen_id', '=', claire).execute()),
      0,
    );
    assert.equal(
      await count(
        app.db
          .selectFrom('oidc_payloads')
          .select('id')
          .where('provider', '=', SERVICES_AS_PROVIDER)
          .where(({ ref }) => ref('payload', '->>').key('accountId'), '=', own.idPe)
          .execute(),
      ),
      0,
      'the service’s grants are revoked',
    );
    // The service is refused at once.
    const decision = await accessDecision(app.db, {
      idPe: own.idPe,
      serviceOid: tension.oid,
      category: 'pression-arterielle',
      action: 'read',
    });
    assert.equal(decision.decision.permit, false);
    // Kept: the report's text, without its author; the minor's own pairing; the audit log, still whole.
    const complaint = await app.db
      .selectFrom('complaints')
      .select(['citizen_id', 'message'])
      .where('id', '=', complaintId)
      .executeTakeFirstOrThrow();
    assert.equal(complaint.citizen_id, null);
    assert.equal(complaint.message, 'Connexion non protégée.');
    const minorPairing = await app.db
      .selectFrom('pairings')
      .select(['status'])
      .where('id', '=', minors.pairingId)
      .executeTakeFirstOrThrow();
    assert.equal(minorPairing.status, 'active');
    const closedEvent = await app.db
      .selectFrom('audit_events')
      .select(['data', 'actor_id'])
      .where('action', '=', 'citizen.space_closed')
      .where('subject_id', '=', claire)
      .executeTakeFirstOrThrow();
    const erased = (
      typeof closedEvent.data === 'string' ? JSON.parse(closedEvent.data) : closedEvent.data
    ) as {
      erased: Record<string, number>;
    };
    assert.deepEqual(erased.erased, {
      pairings: 1,
      measures: 0,
      documents: 0,
      notifications: 1,
      guardianships: 1,
      complaints: 1,
      sessions: 1,
      identity: 1,
    });
    assert.ok(!JSON.stringify(closedEvent).includes('Claire'), 'no name in the audit log');
    const verified = await verifyAuditLog(app.db);
    assert.equal(verified.firstBreak, undefined);
  });

  it('renders the pages in English', async () => {
    const res = await app.inject({ method: 'GET', url: '/usager/services?lang=en', cookies: cookies.sophie });
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.match(text, /My connected services/);
    assert.match(text, /Services of Léa Dubois/);
    const page = await app.inject({
      method: 'GET',
      url: `/usager/services/${leaPairing.pairingId}?lang=en`,
      cookies: cookies.sophie,
    });
    assert.match(textOf(page.body), /Data concerned — Blood pressure: read/);
  });
});
