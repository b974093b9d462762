/**
 * The citizen's health pages through `inject`: « Mes mesures » (a section per category with its chart's data
 * and its table, the period, a minor in care, someone else's profile refused), « Mes documents » (the list,
 * its pages, the download of one's own file or a minor's, someone else's refused), and the citizen's data as a
 * whole: the exports carry the measures and documents, closing the space erases them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { accessFactsOf } from '../src/consent/index.ts';
import { DEMO_DOCUMENTS, demoPdf, demoProvideBundle, seedDemoDocuments } from '../src/documents/demo.ts';
import { provideDocuments } from '../src/documents/service.ts';
import { idPeSystemOf } from '../src/fhir/api/gate.ts';
import { validateResource } from '../src/fhir/index.ts';
import { DEMO_CITIZEN, pairedServiceCaller, seedDemoMeasures } from '../src/measures/demo.ts';
import { healthFamily, pairWith, publishHealthService } from './health-fixtures.ts';
import { CSRF, createCitizen, sessionCookie, startTestApp, type TestApp } from './helpers.ts';

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

/** The JSON data block a chart is drawn from. */
function chartData(html: string, category: string) {
  const m = new RegExp(
    `<script type="application/json" id="mesures-donnees-${category}">([\\s\\S]*?)</script>`,
  ).exec(html);
  assert.ok(m, `no data block for ${category}`);
  return JSON.parse(m[1]) as {
    unit: string;
    x: number[];
    series: Array<{ label: string; unit: string; values: Array<number | null> }>;
  };
}

/** The download links of the documents page, in order. */
const downloads = (html: string) =>
  [...html.matchAll(/href="\/usager\/documents\/([0-9a-f-]{36})\/fichier"/g)].map((m) => m[1]);

describe('the citizen’s health pages', () => {
  let app: TestApp;
  let service: { oid: string; name: string };
  let family: Awaited<ReturnType<typeof healthFamily>>;
  const cookies: Record<string, Record<string, string>> = {};

  const get = (url: string, who: string) => app.inject({ method: 'GET', url, cookies: cookies[who] });
  const accessEvents = async () =>
    (await app.db.selectFrom('audit_events').select('seq').where('action', '=', 'data.access').execute())
      .length;

  before(async () => {
    app = await startTestApp();
    service = await publishHealthService(app, 'Santé Suivi');
    family = await healthFamily(app, service, { guardian: 'Hélène', minor: 'Noé', stranger: 'Bruno' });
    cookies.guardian = await sessionCookie(app.db, { citizenId: family.guardian });
    cookies.minor = await sessionCookie(app.db, { citizenId: family.minor });
    cookies.stranger = await sessionCookie(app.db, { citizenId: family.stranger });
    cookies.empty = await sessionCookie(app.db, {
      citizenId: await createCitizen(app.db, 'Iris', 'Sansdonnée'),
    });
  });
  after(() => app.stop());

  it('shows my measures: a chart’s data and a table per category, with the service that wrote them', async () => {
    const events = await accessEvents();
    const res = await get('/usager/mesures', 'guardian');
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.match(text, /Mes mesures de santé/);
    assert.match(text, /Pression artérielle/);
    assert.match(text, /Poids/);
    assert.match(text, /Ajoutées par Santé Suivi/);
    // The table: a column per component of blood pressure, the unit as a person reads it, the service.
    assert.match(text, /Date Systolique Diastolique Unité Service/);
    assert.match(text, /mmHg Santé Suivi/);
    assert.match(text, /Date Valeur Unité Service/);
    const stored = await app.db
      .selectFrom('fhir_observations')
      .select(['effective_at', 'category'])
      .where('citizen_id', '=', family.guardian)
      .execute();
    const bp = stored.filter((r) => r.category === 'pression-arterielle');
    const data = chartData(res.body, 'pression-arterielle');
    assert.equal(data.x.length, bp.length);
    assert.deepEqual(
      data.series.map((s) => [s.label, s.unit]),
      [
        ['Systolique', 'mmHg'],
        ['Diastolique', 'mmHg'],
      ],
    );
    assert.ok(
      data.x.every((x, i) => i === 0 || x >= data.x[i - 1]),
      'oldest first',
    );
    assert.ok(data.series.every((s) => s.values.every((v) => typeof v === 'number' && v > 40 && v < 200)));
    // The chart: an image with a summary for screen readers, hidden until the page script draws it.
    const chart = /<div[^>]*data-chart="mesures-donnees-pression-arterielle"[^>]*>/.exec(res.body)?.[0] ?? '';
    assert.match(chart, /role="img"/);
    assert.match(chart, / hidden/);
    assert.match(chart, new RegExp(`aria-label="Courbe Pression artérielle : ${bp.length} mesure\\(s\\)`));
    assert.match(chart, /Systolique : minimum \d+, maximum \d+, dernière valeur \d+ mmHg/);
    // uPlot and the page script, as bundle parts of the page.
    assert.match(res.body, /<script type="module" src="\/assets\/[^/]+\/uplot\.mesref-charts\.js">/);
    assert.match(res.body, /<link rel="stylesheet" href="\/assets\/[^"]*uplot\.css"/);
    // The citizen reading their own data is no service's access.
    assert.equal(await accessEvents(), events);
  });

  it('serves the chart’s library and script, and the period form narrows the measures', async () => {
    const page = await get('/usager/mesures', 'guardian');
    const script = /src="(\/assets\/[^"]+\/uplot\.mesref-charts\.js)"/.exec(page.body)?.[1] as string;
    const bundle = await app.inject({ method: 'GET', url: script });
    assert.equal(bundle.statusCode, 200);
    assert.match(bundle.headers['content-type'] as string, /^text\/javascript/);
    assert.match(bundle.body, /var uPlot=/);
    assert.match(bundle.body, /data-chart/);

    const month = await get('/usager/mesures?periode=30j', 'guardian');
    assert.equal(month.statusCode, 200);
    assert.match(month.body, /id="periode-30j" name="periode" value="30j" checked/);
    const since = Date.now() - 30 * 86_400_000;
    const recent = (
      await app.db
        .selectFrom('fhir_observations')
        .select('effective_at')
        .where('citizen_id', '=', family.guardian)
        .where('category', '=', 'pression-arterielle')
        .execute()
    ).filter((r) => new Date(r.effective_at).getTime() >= since);
    assert.ok(recent.length > 0);
    assert.equal(chartData(month.body, 'pression-arterielle').x.length, recent.length);
    assert.ok(recent.length < chartData(page.body, 'pression-arterielle').x.length);
    // An unknown period is the default one.
    const odd = await get('/usager/mesures?periode=%3Cx%3E', 'guardian');
    assert.equal(odd.statusCode, 200);
    assert.match(odd.body, /value="1an" checked/);
  });

  it('shows the measures of a minor in my care, and not those of anyone else', async () => {
    const mine = await get('/usager/mesures', 'guardian');
    assert.match(mine.body, /<select class="fr-select" id="personne" name="personne">/);
    const minor = await get(`/usager/mesures?personne=${family.minor}`, 'guardian');
    assert.equal(minor.statusCode, 200);
    const text = textOf(minor.body);
    assert.match(text, /Profil de Noé Famille/);
    assert.match(text, /Poids/);
    assert.doesNotMatch(text, /Pression artérielle/);
    assert.equal(chartData(minor.body, 'poids').series[0].unit, 'kg');

    const other = await get(`/usager/mesures?personne=${family.stranger}`, 'guardian');
    assert.equal(other.statusCode, 404);
    assert.doesNotMatch(other.body, /Bruno/);
    // The minor does not see their guardian's measures either.
    const reverse = await get(`/usager/mesures?personne=${family.guardian}`, 'minor');
    assert.equal(reverse.statusCode, 404);
    const signedOut = await app.inject({ method: 'GET', url: '/usager/mesures' });
    assert.equal(signedOut.statusCode, 303);
    assert.match(signedOut.headers.location as string, /^\/usager\/connexion/);
  });

  it('says so when no service has written any measure, and speaks English', async () => {
    const empty = await get('/usager/mesures', 'empty');
    assert.equal(empty.statusCode, 200);
    assert.match(textOf(empty.body), /Aucun service n’a encore ajouté de mesure à ce profil/);
    assert.doesNotMatch(empty.body, /uplot/);

    const en = await get('/usager/mesures?lang=en', 'guardian');
    assert.equal(en.statusCode, 200);
    const text = textOf(en.body);
    assert.match(text, /My health measures/);
    assert.match(text, /Blood pressure/);
    assert.match(text, /Date Systolic Diastolic Unit Service/);
    assert.match(text, /Last 30 days/);
    assert.deepEqual(
      chartData(en.body, 'pression-arterielle').series.map((s) => s.label),
      ['Systolic', 'Diastolic'],
    );
  });

  it('lists my documents with their download links, and those of the minor in my care', async () => {
    const res = await get('/usager/documents', 'guardian');
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.match(text, /Mes documents de santé/);
    for (const d of DEMO_DOCUMENTS) assert.match(text, new RegExp(`Télécharger ${d.title}`));
    assert.match(text, /PDF – \d+(,\d)? ko/);
    assert.match(text, /Compte rendu de consultation/);
    assert.match(text, /Santé Suivi/);
    assert.match(res.body, /class="fr-link fr-link--download"/);
    // Newest first: the ultrasound of 12 days ago, then the lab report, then the consultation.
    assert.ok(text.indexOf('échographie') < text.indexOf('examens biologiques'));
    assert.ok(text.indexOf('examens biologiques') < text.indexOf('consultation de cardiologie'));
    assert.equal(downloads(res.body).length, 3);
    assert.doesNotMatch(res.body, /fr-pagination/);

    const minor = await get(`/usager/documents?personne=${family.minor}`, 'guardian');
    assert.equal(minor.statusCode, 200);
    assert.match(textOf(minor.body), /Documents de Noé Famille/);
    const other = await get(`/usager/documents?personne=${family.stranger}`, 'guardian');
    assert.equal(other.statusCode, 404);

    const en = await get('/usager/documents?lang=en', 'guardian');
    assert.match(textOf(en.body), /My health documents .* Download Compte rendu/);
    assert.match(textOf(en.body), /PDF – \d+(\.\d)? KB/);
  });

  it('downloads my file and my minor’s, as an attachment; anyone else’s is not found', async () => {
    const events = await accessEvents();
    const [own] = downloads((await get('/usager/documents', 'guardian')).body);
    const file = await get(`/usager/documents/${own}/fichier`, 'guardian');
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'application/pdf');
    assert.match(
      file.headers['content-disposition'] as string,
      /^attachment; filename="Compte rendu d echographie abdominale\.pdf"; filename\*=UTF-8''/,
    );
    assert.equal(file.headers['x-content-type-options'], 'nosniff');
    assert.match(file.headers['content-security-policy'] as string, /sandbox/);
    assert.equal(file.headers['cache-control'], 'private, no-store');
    assert.equal(file.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const stored = await app.db
      .selectFrom('fhir_binaries')
      .select(['data', 'size'])
      .where('citizen_id', '=', family.guardian)
      .execute();
    assert.ok(stored.some((b) => Buffer.compare(Buffer.from(b.data), file.rawPayload) === 0));

    const [minors] = downloads((await get(`/usager/documents?personne=${family.minor}`, 'guardian')).body);
    assert.equal((await get(`/usager/documents/${minors}/fichier`, 'guardian')).statusCode, 200);

    const [strangers] = downloads((await get('/usager/documents', 'stranger')).body);
    assert.equal((await get(`/usager/documents/${strangers}/fichier`, 'guardian')).statusCode, 404);
    assert.equal((await get(`/usager/documents/${own}/fichier`, 'stranger')).statusCode, 404);
    assert.equal((await get(`/usager/documents/${own}/fichier`, 'minor')).statusCode, 404);
    assert.equal(
      (await get('/usager/documents/00000000-0000-4000-8000-000000000000/fichier', 'guardian')).statusCode,
      404,
    );
    assert.equal((await get('/usager/documents/pas-un-id/fichier', 'guardian')).statusCode, 404);
    assert.equal(await accessEvents(), events);
  });

  it('pages a long list of documents', async () => {
    const owner = await createCitizen(app.db, 'Paul', 'Archiviste');
    const pairing = await pairWith(app, service, owner, owner);
    const caller = pairedServiceCaller(
      pairing,
      await accessFactsOf(app.db, pairing.idPe, pairing.serviceOid),
    );
    const document = DEMO_DOCUMENTS[0];
    const pdf = await demoPdf(document, new Date(), service.name);
    for (let i = 1; i <= 21; i++) {
      const bundle = demoProvideBundle({
        document,
        pdf,
        date: new Date(Date.now() - i * 86_400_000),
        serviceOid: service.oid,
        service: service.name,
        subject: { system: idPeSystemOf(app.config), value: pairing.idPe },
        number: i,
      });
      await provideDocuments(app, caller, bundle, 'fr');
    }
    cookies.owner = await sessionCookie(app.db, { citizenId: owner });
    const first = await get('/usager/documents', 'owner');
    assert.equal(downloads(first.body).length, 20);
    assert.match(first.body, /class="fr-pagination"/);
    assert.match(first.body, new RegExp(`href="/usager/documents\\?personne=${owner}&amp;page=2"`));
    // 21 documents make two pages: the last page is the second, and the second has no next one.
    assert.match(
      first.body,
      new RegExp(`fr-pagination__link--last" href="/usager/documents\\?personne=${owner}&amp;page=2"`),
    );
    assert.doesNotMatch(first.body, /page=3/);
    const second = await get(`/usager/documents?personne=${owner}&page=2`, 'owner');
    assert.equal(downloads(second.body).length, 1);
    assert.match(second.body, /fr-pagination__link--next[^"]*" aria-disabled="true"/);
    assert.ok(!downloads(first.body).includes(downloads(second.body)[0]));
    const beyond = await get(`/usager/documents?personne=${owner}&page=9`, 'owner');
    assert.equal(beyond.statusCode, 200);
    assert.match(textOf(beyond.body), /Aucun document sur cette page/);
  });

  it('gives the demo citizen and the minor in her care what their paired services write, once', async () => {
    const sophie = await createCitizen(app.db, 'Sophie', 'Démo');
    const lea = await createCitizen(app.db, 'Léa', 'Démo');
    await app.db.updateTable('citizens').set({ subject: DEMO_CITIZEN }).where('id', '=', sophie).execute();
    await app.db
      .updateTable('citizens')
      .set({ birthdate: `${new Date().getUTCFullYear() - 9}-06-21` })
      .where('id', '=', lea)
      .execute();
    await app.db.insertInto('guardianships').values({ guardian_id: sophie, minor_id: lea }).execute();
    await pairWith(app, service, sophie, sophie);
    await pairWith(app, service, sophie, lea);
    const measures = await seedDemoMeasures(app);
    const documents = await seedDemoDocuments(app);
    const categories = async (citizenId: string) =>
      (
        await app.db
          .selectFrom('fhir_observations')
          .select('category')
          .distinct()
          .where('citizen_id', '=', citizenId)
          .orderBy('category')
          .execute()
      ).map((r) => r.category);
    // The service writes blood pressure and weight, in her space and in the child's.
    assert.deepEqual(await categories(sophie), ['poids', 'pression-arterielle']);
    assert.deepEqual(await categories(lea), ['poids', 'pression-arterielle']);
    assert.ok(measures > 80, `${measures} measures`);
    assert.equal(documents, 6);
    // What the API stored, with the access events of the service's writes in the activity history.
    const writes = await app.db
      .selectFrom('audit_events')
      .select('data')
      .where('action', '=', 'data.access')
      .where('subject_id', '=', sophie)
      .execute();
    assert.ok(writes.length > 80);
    cookies.sophie = await sessionCookie(app.db, { citizenId: sophie });
    const page = await get('/usager/mesures', 'sophie');
    assert.match(textOf(page.body), /Pression artérielle .* Poids|Poids .* Pression artérielle/);
    // A second seed adds nothing.
    assert.equal(await seedDemoMeasures(app), 0);
    assert.equal(await seedDemoDocuments(app), 0);
  });

  it('exports my measures, devices, documents and files (JSON and FHIR)', async () => {
    const json = await get('/usager/export.json', 'guardian');
    assert.equal(json.statusCode, 200);
    const data = json.json() as Record<string, Array<Record<string, unknown>>>;
    const observations = await app.db
      .selectFrom('fhir_observations')
      .select('id')
      .where('citizen_id', '=', family.guardian)
      .execute();
    assert.equal(data.measures.length, observations.length);
    assert.ok(data.measures.every((r) => r.resourceType === 'Observation'));
    assert.equal(data.devices.length, 2, 'the blood pressure monitor and the scale');
    assert.equal(data.documents.length, 3);
    assert.equal(data.documentFiles.length, 3);
    const file = data.documentFiles[0];
    assert.equal(file.contentType, 'application/pdf');
    assert.equal(Buffer.from(String(file.data), 'base64').subarray(0, 5).toString(), '%PDF-');
    // The minor's data are theirs, not the guardian's.
    assert.ok(!json.body.includes(family.pairings.minor.idPe));

    const fhir = await get('/usager/export.fhir.json', 'guardian');
    assert.equal(fhir.statusCode, 200);
    const bundle = fhir.json() as { entry: Array<{ fullUrl: string; resource: Record<string, unknown> }> };
    const count = (type: string) => bundle.entry.filter((e) => e.resource.resourceType === type).length;
    assert.equal(count('Observation'), observations.length);
    assert.equal(count('Device'), 2);
    assert.equal(count('DocumentReference'), 3);
    assert.equal(count('Binary'), 3);
    const urls = bundle.entry.map((e) => e.fullUrl);
    assert.equal(new Set(urls).size, urls.length);
    // Each resource is valid R4 and valid against the profile it claims. (The whole Bundle is not checked as
    // one: the validator reads any Bundle holding Observations as a measures push, which a collection is not.)
    for (const { resource } of bundle.entry) {
      const errors = validateResource(resource, { rules: 'ig' }).issues.filter(
        (i) => i.severity === 'error' || i.severity === 'fatal',
      );
      assert.deepEqual(errors, [], `${resource.resourceType}: ${JSON.stringify(errors.slice(0, 3))}`);
    }
  });

  it('erases my measures and documents when I close my space, and keeps my minor’s', async () => {
    const confirm = await get('/usager/fermer', 'guardian');
    assert.equal(confirm.statusCode, 200);
    const text = textOf(confirm.body);
    assert.match(text, /Vos mesures de santé et les appareils de mesure qui les accompagnent/);
    assert.match(text, /Vos documents de santé et leurs fichiers/);
    const en = textOf((await get('/usager/fermer?lang=en', 'guardian')).body);
    assert.match(en, /Your health measures and the measuring devices/);

    const body = new URLSearchParams({ _csrf: CSRF, confirmation: 'oui' });
    const closed = await app.inject({
      method: 'POST',
      url: '/usager/fermer',
      cookies: cookies.guardian,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    assert.equal(closed.statusCode, 200);
    const rows = async (citizenId: string) => ({
      observations: (
        await app.db
          .selectFrom('fhir_observations')
          .select('id')
          .where('citizen_id', '=', citizenId)
          .execute()
      ).length,
      devices: (
        await app.db.selectFrom('fhir_devices').select('id').where('citizen_id', '=', citizenId).execute()
      ).length,
      versions: (
        await app.db
          .selectFrom('fhir_resource_versions')
          .select('id')
          .where('citizen_id', '=', citizenId)
          .execute()
      ).length,
      documents: (
        await app.db
          .selectFrom('fhir_document_references')
          .select('id')
          .where('citizen_id', '=', citizenId)
          .execute()
      ).length,
      binaries: (
        await app.db.selectFrom('fhir_binaries').select('id').where('citizen_id', '=', citizenId).execute()
      ).length,
      lists: (
        await app.db.selectFrom('fhir_lists').select('id').where('citizen_id', '=', citizenId).execute()
      ).length,
    });
    assert.deepEqual(await rows(family.guardian), {
      observations: 0,
      devices: 0,
      versions: 0,
      documents: 0,
      binaries: 0,
      lists: 0,
    });
    const minor = await rows(family.minor);
    assert.ok(minor.observations > 0 && minor.documents === 3 && minor.binaries === 3);
    const event = await app.db
      .selectFrom('audit_events')
      .select('data')
      .where('action', '=', 'citizen.space_closed')
      .where('subject_id', '=', family.guardian)
      .executeTakeFirstOrThrow();
    const erased = (typeof event.data === 'string' ? JSON.parse(event.data) : event.data) as {
      erased: Record<string, number>;
    };
    assert.ok(erased.erased.measures > 0);
    assert.equal(erased.erased.documents, 3);
  });
});
