import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { platformsOf } from '../src/catalogue/model.ts';
import { newId } from '../src/platform/crypto.ts';
import { addProductImage, demoLogo } from '../src/product/index.ts';
import { type PublishedService, publishedService, setCatalogueStatus } from './catalogue-fixtures.ts';
import { createStaff, type Staff } from './dossier-fixtures.ts';
import { startTestApp, type TestApp } from './helpers.ts';

/**
 * The public catalogue through HTTP: the open-data API (JSON, CSV), the list page and a service's page, as
 * anyone sees them without signing in. Three services online, three published but not online.
 */
describe('public catalogue', () => {
  let app: TestApp;
  let staff: Staff;
  let forme: PublishedService;
  let tension: PublishedService;
  let sommeil: PublishedService;
  let suspended: PublishedService;
  let offline: PublishedService;
  let dereferenced: PublishedService;
  let logoId: string;

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers });
  const names = async (url: string) => {
    const res = await get(url);
    assert.equal(res.statusCode, 200, res.body);
    return (res.json().items as Array<{ commercialName: string }>).map((i) => i.commercialName).sort();
  };

  before(async () => {
    app = await startTestApp();
    staff = await createStaff(app);
    forme = await publishedService(app, staff, 'Forme Prévention', {
      product: {
        description: 'Un programme de marche pour rester en forme, pensé avec des kinésithérapeutes.',
        os: 'ios',
        device: 'mobile',
        url_web: null,
        url_ios: 'https://apps.apple.com/fr/app/forme/id1',
        thematics: ['prevention', 'activite-physique'],
        regions: [],
        audience: ['seniors', 'tout-public'],
        economic_model: 'gratuit',
      },
    });
    tension = await publishedService(app, staff, 'Tension Suivi', {
      dataExchange: true,
      product: {
        description: 'Carnet de tension artérielle relié à Mon espace santé.',
        os: 'android',
        device: 'mobile',
        url_web: null,
        url_android: 'https://play.google.com/store/apps/details?id=test.tension',
        thematics: ['suivi-de-mesures', 'maladies-chroniques'],
        regions: ['53'],
        audience: ['patients-chroniques'],
        economic_model: 'payant',
        medical_device: true,
        medical_device_class: 'IIa',
      },
    });
    sommeil = await publishedService(app, staff, 'Sommeil "Zen", nuit', {
      product: {
        description: '=Journal du sommeil\nsur deux lignes, avec « guillemets ».',
        os: 'web',
        device: 'site-web',
        thematics: ['sommeil'],
        regions: ['11'],
        audience: ['tout-public'],
        economic_model: 'gratuit-achats-integres',
      },
    });
    suspended = await publishedService(app, staff, 'Vaccins Suspendus', {
      product: { thematics: ['sommeil'] },
    });
    offline = await publishedService(app, staff, 'Marche Hors Ligne', {
      product: { thematics: ['sommeil'] },
    });
    dereferenced = await publishedService(app, staff, 'Ordo Retiré', { product: { thematics: ['sommeil'] } });
    await setCatalogueStatus(app, suspended.dossierId, 'SUSPENDUE');
    await setCatalogueStatus(app, offline.dossierId, 'HORS_LIGNE');
    await setCatalogueStatus(app, dereferenced.dossierId, 'DEREFERENCEE');
    // The order of referencing: Forme first, Sommeil last.
    const day = (n: number) => new Date(Date.UTC(2026, 0, n));
    for (const [s, n] of [
      [forme, 5],
      [tension, 10],
      [sommeil, 20],
    ] as const)
      await app.db
        .updateTable('dossiers')
        .set({ published_at: day(n) })
        .where('id', '=', s.dossierId)
        .execute();
    // Official écoscores: Tension's newest is 81 (an older 40 is superseded), Forme's 64, Sommeil has none.
    for (const [s, score, recordedAt] of [
      [tension, 40, day(1)],
      [tension, 81, day(3)],
      [forme, 64, day(2)],
    ] as const) {
      await app.db
        .insertInto('ecoscore_official')
        .values({
          id: newId(),
          product_id: s.productId,
          score,
          measured_on: recordedAt.toISOString().slice(0, 10),
          journey_name: 'Parcours type',
          report_url: 'https://exemple.test/rapport',
          file_name: null,
          media_type: null,
          size_bytes: null,
          sha256: null,
          content: null,
          recorded_by: null,
          recorded_at: recordedAt,
        })
        .execute();
    }
    logoId = (
      await addProductImage({ db: app.db, config: app.config }, forme.actor, forme.productId, {
        kind: 'logo',
        bytes: demoLogo(32, [0, 99, 203]),
      })
    ).id;
    await addProductImage({ db: app.db, config: app.config }, suspended.actor, suspended.productId, {
      kind: 'logo',
      bytes: demoLogo(32, [200, 0, 0]),
    });
  });
  after(() => app?.stop());

  describe('the JSON API', () => {
    it('lists only the services online, with their fields', async () => {
      const res = await get('/api/v1/catalogue');
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.total, 3);
      assert.deepEqual(
        body.items.map((i: { commercialName: string }) => i.commercialName),
        ['Forme Prévention', 'Sommeil "Zen", nuit', 'Tension Suivi'],
      );
      const t = body.items.find((i: { commercialName: string }) => i.commercialName === 'Tension Suivi');
      assert.equal(t.oid, tension.oid);
      assert.equal(t.publisher, 'Tension Suivi SAS');
      assert.equal(t.name, 'Tension Suivi Android Mobile');
      assert.deepEqual(t.medicalDevice, { is: true, class: 'IIa' });
      assert.equal(t.dataExchange, true);
      assert.deepEqual(t.platforms, ['android']);
      assert.equal(t.economicModel, 'payant');
      assert.deepEqual(t.ecoscore, { score: 81, measuredOn: '2026-01-03' });
      assert.equal(t.status, 'EN_LIGNE');
      assert.match(t.pageUrl, new RegExp(`/services/${tension.dossierId}$`));
      const f = body.items.find((i: { commercialName: string }) => i.commercialName === 'Forme Prévention');
      assert.match(f.logoUrl, new RegExp(`/services/${forme.dossierId}/images/${logoId}$`));
    });

    it('searches name, description and publisher, whatever the case and accents', async () => {
      assert.deepEqual(await names('/api/v1/catalogue?q=prevention'), ['Forme Prévention']);
      assert.deepEqual(await names('/api/v1/catalogue?q=PR%C3%89VENTION'), ['Forme Prévention']);
      assert.deepEqual(await names('/api/v1/catalogue?q=kinesitherapeutes'), ['Forme Prévention']);
      assert.deepEqual(await names('/api/v1/catalogue?q=arterielle'), ['Tension Suivi']);
      assert.deepEqual(await names('/api/v1/catalogue?q=suivi%20sas'), ['Tension Suivi']);
      // every word must appear
      assert.deepEqual(await names('/api/v1/catalogue?q=tension%20marche'), []);
      // LIKE's wildcards are taken literally
      assert.deepEqual(await names('/api/v1/catalogue?q=%25'), []);
      assert.deepEqual(await names('/api/v1/catalogue?q=_'), []);
      // services not online are never found
      assert.deepEqual(await names('/api/v1/catalogue?q=suspendus'), []);
    });

    it('filters by each criterion', async () => {
      const cases: Array<[string, string[]]> = [
        ['thematique=sommeil', ['Sommeil "Zen", nuit']],
        ['thematique=prevention', ['Forme Prévention']],
        // a national service matches every region
        ['region=53', ['Forme Prévention', 'Tension Suivi']],
        ['region=11', ['Forme Prévention', 'Sommeil "Zen", nuit']],
        ['region=94', ['Forme Prévention']],
        ['public=seniors', ['Forme Prévention']],
        ['public=tout-public', ['Forme Prévention', 'Sommeil "Zen", nuit']],
        ['modele=gratuit', ['Forme Prévention']],
        ['modele=payant', ['Tension Suivi']],
        ['modele=gratuit-achats-integres', ['Sommeil "Zen", nuit']],
        ['dispositifMedical=oui', ['Tension Suivi']],
        ['dispositifMedical=non', ['Forme Prévention', 'Sommeil "Zen", nuit']],
        ['echange=oui', ['Tension Suivi']],
        ['echange=non', ['Forme Prévention', 'Sommeil "Zen", nuit']],
        ['plateforme=ios', ['Forme Prévention']],
        ['plateforme=android', ['Tension Suivi']],
        ['plateforme=web', ['Sommeil "Zen", nuit']],
        ['region=53&echange=oui&plateforme=android', ['Tension Suivi']],
        ['region=53&plateforme=web', []],
      ];
      for (const [search, expected] of cases)
        assert.deepEqual(await names(`/api/v1/catalogue?${search}`), expected, search);
    });

    it('sorts by name, newest referencing and écoscore', async () => {
      const order = async (tri: string) =>
        ((await get(`/api/v1/catalogue?tri=${tri}`)).json().items as Array<{ commercialName: string }>).map(
          (i) => i.commercialName,
        );
      assert.deepEqual(await order('recent'), ['Sommeil "Zen", nuit', 'Tension Suivi', 'Forme Prévention']);
      // the best first, a service without écoscore last
      assert.deepEqual(await order('ecoscore'), ['Tension Suivi', 'Forme Prévention', 'Sommeil "Zen", nuit']);
      assert.deepEqual(await order('nom'), ['Forme Prévention', 'Sommeil "Zen", nuit', 'Tension Suivi']);
    });

    it('pages the results', async () => {
      const first = (await get('/api/v1/catalogue?parPage=2')).json();
      assert.equal(first.total, 3);
      assert.equal(first.pages, 2);
      assert.equal(first.items.length, 2);
      assert.equal(first.links.prev, null);
      assert.match(first.links.next, /\/api\/v1\/catalogue\?page=2&parPage=2$/);
      const second = (await get('/api/v1/catalogue?parPage=2&page=2')).json();
      assert.equal(second.items.length, 1);
      assert.equal(second.items[0].commercialName, 'Tension Suivi');
      assert.equal(second.links.next, null);
      const past = (await get('/api/v1/catalogue?parPage=2&page=9')).json();
      assert.equal(past.total, 3);
      assert.deepEqual(past.items, []);
    });

    it('answers 304 to a client that has the current version, and lets caches keep it a minute', async () => {
      const res = await get('/api/v1/catalogue?thematique=sommeil');
      const etag = res.headers.etag as string;
      assert.match(etag, /^"[0-9a-f]{32}"$/);
      assert.equal(res.headers['cache-control'], 'public, max-age=60');
      const again = await get('/api/v1/catalogue?thematique=sommeil', { 'if-none-match': etag });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      assert.equal(
        (await get('/api/v1/catalogue?thematique=sommeil', { 'if-none-match': `W/${etag}` })).statusCode,
        304,
      );
      // another search, or a change of the catalogue, is another version
      assert.equal((await get('/api/v1/catalogue', { 'if-none-match': etag })).statusCode, 200);
      await app.db
        .updateTable('products')
        .set({ description: 'Journal du sommeil, revu.' })
        .where('id', '=', sommeil.productId)
        .execute();
      const changed = await get('/api/v1/catalogue?thematique=sommeil', { 'if-none-match': etag });
      assert.equal(changed.statusCode, 200);
      assert.notEqual(changed.headers.etag, etag);
      await app.db
        .updateTable('products')
        .set({ description: '=Journal du sommeil\nsur deux lignes, avec « guillemets ».' })
        .where('id', '=', sommeil.productId)
        .execute();
    });

    it('refuses bad parameters with a clear error naming each, never a 500', async () => {
      const res = await get('/api/v1/catalogue?thematique=astrologie&page=0&region=99&tri=prix');
      assert.equal(res.statusCode, 422);
      const { error } = res.json();
      assert.equal(error.code, 'validation_failed');
      assert.equal(error.message, 'La recherche contient des paramètres invalides.');
      assert.deepEqual(Object.keys(error.fields).sort(), ['page', 'region', 'thematique', 'tri']);
      assert.match(error.fields.thematique, /Valeur inconnue/);
      for (const search of [
        'page=abc',
        'page=-1',
        'page=99999999999',
        'parPage=101',
        'parPage=0',
        'dispositifMedical=peut-etre',
        'plateforme=windows',
        `q=${'a'.repeat(101)}`,
        'q=%00',
        'thematique=sommeil&thematique=prevention',
      ]) {
        const bad = await get(`/api/v1/catalogue?${search}`);
        assert.ok([400, 422].includes(bad.statusCode), `${search}: ${bad.statusCode}`);
        assert.ok(bad.json().error.message, search);
      }
      // unknown parameters are ignored
      assert.equal((await get('/api/v1/catalogue?lang=en&utm_source=x')).statusCode, 200);
    });

    it('gives one service online by its OID, with its finalités and data categories', async () => {
      const res = await get(`/api/v1/catalogue/${tension.oid}`);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.commercialName, 'Tension Suivi');
      assert.deepEqual(body.finalites, [
        { code: 'prevention', title: { fr: 'Prévention', en: 'Prevention' } },
      ]);
      assert.deepEqual(body.categories, [
        {
          code: 'pression-arterielle',
          title: { fr: 'Pression artérielle', en: 'Blood pressure' },
          read: true,
          write: true,
        },
      ]);
      assert.ok(res.headers.etag);
      assert.equal((await get(`/api/v1/catalogue/${suspended.oid}`)).statusCode, 404);
      assert.equal((await get('/api/v1/catalogue/1.2.3.4')).statusCode, 404);
      assert.equal((await get('/api/v1/catalogue/pas-un-oid')).statusCode, 404);
    });

    it('is described in the OpenAPI document', async () => {
      const doc = (await get('/api/docs/json')).json();
      assert.ok(doc.paths['/api/v1/catalogue']?.get);
      assert.ok(doc.paths['/api/v1/catalogue.csv']?.get);
      assert.ok(doc.paths['/api/v1/catalogue/{oid}']?.get);
      const params = doc.paths['/api/v1/catalogue'].get.parameters.map((p: { name: string }) => p.name);
      assert.ok(params.includes('thematique') && params.includes('plateforme') && params.includes('q'));
    });
  });

  describe('the CSV export', () => {
    it('exports the whole filtered catalogue as RFC 4180 CSV in UTF-8', async () => {
      const res = await get('/api/v1/catalogue.csv');
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/csv; charset=utf-8/);
      assert.match(
        res.headers['content-disposition'] as string,
        /attachment; filename="catalogue-services.csv"/,
      );
      assert.ok(res.headers.etag);
      const text = res.body;
      assert.ok(text.endsWith('\r\n'));
      const lines = text.split('\r\n');
      assert.match(lines[0], /^oid,nom,nom_commercial,editeur,description,thematiques,regions,public,/);
      // one record per service online, the multi-line description quoted inside its record
      assert.equal((text.match(/,EN_LIGNE,/g) ?? []).length, 3);
      assert.ok(!text.includes('Suspendus') && !text.includes('Hors Ligne') && !text.includes('Retiré'));
      // quotes doubled, commas and line breaks quoted; a leading = neutralised for spreadsheets
      assert.ok(text.includes('"Sommeil ""Zen"", nuit Web Site Web","Sommeil ""Zen"", nuit"'));
      assert.ok(text.includes('"\'=Journal du sommeil\nsur deux lignes, avec « guillemets »."'));
      assert.ok(
        text.includes(`${tension.oid},Tension Suivi Android Mobile,Tension Suivi,Tension Suivi SAS,`),
      );
      assert.ok(text.includes(',payant,oui,IIa,oui,android,'));
      assert.ok(text.includes(',81,2026-01-03,2026-01-10,'));
      const filtered = await get('/api/v1/catalogue.csv?echange=oui');
      assert.equal(filtered.body.trimEnd().split('\r\n').length, 2);
      assert.equal((await get('/api/v1/catalogue.csv?region=nowhere')).statusCode, 422);
    });
  });

  describe('the pages', () => {
    it('shows the list with its count, cards and a link to the CSV', async () => {
      const res = await get('/catalogue');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /3 service\(s\) trouvé\(s\)/);
      assert.match(res.body, /Forme Prévention iOS Mobile/);
      assert.match(res.body, /Éditeur : Tension Suivi SAS/);
      assert.match(res.body, /alt="Logo de Forme Prévention"/);
      assert.match(res.body, /Dispositif médical/);
      assert.match(res.body, /href="\/api\/v1\/catalogue\.csv"/);
      assert.ok(!res.body.includes('Vaccins Suspendus'));
    });

    it('searches from the address, and offers to clear when nothing matches', async () => {
      const res = await get('/catalogue?q=prevention&thematique=prevention');
      assert.match(res.body, /1 service\(s\) trouvé\(s\)/);
      assert.match(res.body, /<option value="prevention" selected>Prévention<\/option>/);
      assert.match(res.body, /value="prevention"/);
      const none = await get('/catalogue?q=introuvable');
      assert.equal(none.statusCode, 200);
      assert.match(none.body, /Aucun résultat/);
      assert.match(none.body, /<a href="\/catalogue">Effacer la recherche et les filtres<\/a>/);
    });

    it('names a bad parameter beside its field', async () => {
      const res = await get('/catalogue?thematique=astrologie');
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /La recherche contient des paramètres invalides/);
      assert.match(res.body, /id="f-thematique-error">Valeur inconnue/);
    });

    it('pages the list with the DSFR pagination', async () => {
      // 23 more services online, written directly: 26 in all, two pages of 20.
      const org = await app.db
        .selectFrom('dossiers')
        .select(['organisation_id', 'referential_version'])
        .where('id', '=', forme.dossierId)
        .executeTakeFirstOrThrow();
      for (let i = 0; i < 23; i++) {
        const productId = newId();
        await app.db
          .insertInto('products')
          .values({
            id: productId,
            organisation_id: org.organisation_id,
            commercial_name: `Zz Service ${String(i).padStart(2, '0')}`,
            os: 'web',
            device: 'site-web',
            version: '1.0',
            description: 'Service de test.',
            url_web: 'https://exemple.test',
            url_ios: null,
            url_android: null,
            url_cgu: null,
            url_privacy: null,
            thematics: '["nutrition"]',
            regions: '[]',
            audience: '["tout-public"]',
            economic_model: 'gratuit',
            medical_device: false,
            medical_device_class: null,
            data_exchange: false,
            row_version: 1,
            created_by: null,
            updated_at: new Date(),
          })
          .execute();
        await app.db
          .insertInto('dossiers')
          .values({
            id: newId(),
            number: null,
            kind: 'initial',
            parent_id: null,
            organisation_id: org.organisation_id,
            product_id: productId,
            product_version: '1.0',
            typology: 'sans-echange',
            referential_version: org.referential_version,
            assessment_id: null,
            state: 'published',
            state_since: new Date(),
            catalogue_status: 'EN_LIGNE',
            request: '{}',
            snapshot: null,
            touched_criteria: null,
            opinion: null,
            reservations: '[]',
            decision: null,
            convention: null,
            info_return_state: null,
            phase_due_at: null,
            paused_at: null,
            paused_phase_due_at: null,
            overdue_notified_state: null,
            assigned_to: null,
            oid: `1.2.250.1.999.${i}`,
            referenced_until: null,
            reminders_sent: '[]',
            update_due_at: null,
            submitted_at: null,
            published_at: new Date(),
            created_by: null,
            updated_at: new Date(),
          })
          .execute();
      }
      const first = await get('/catalogue');
      assert.match(first.body, /26 service\(s\) trouvé\(s\) — page 1 sur 2/);
      assert.match(first.body, /<a class="fr-pagination__link" aria-current="page" title="Page 1">1<\/a>/);
      assert.match(first.body, /href="\/catalogue\?page=2"/);
      const second = await get('/catalogue?page=2');
      assert.match(second.body, /page 2 sur 2/);
      assert.equal((second.body.match(/<li class="fr-col-12 fr-col-md-6">/g) ?? []).length, 6);
      const filtered = await get('/catalogue?thematique=nutrition&page=2');
      assert.match(filtered.body, /href="\/catalogue\?thematique=nutrition"/);
      const past = await get('/catalogue?page=7');
      assert.match(past.body, /Cette page est au-delà des résultats/);
      await app.db.deleteFrom('dossiers').where('oid', 'like', '1.2.250.1.999.%').execute();
    });

    it('shows a service’s page: description, links, écoscore, data exchanged, referencing, report link', async () => {
      const res = await get(`/services/${tension.dossierId}`);
      assert.equal(res.statusCode, 200);
      const body = res.body;
      assert.match(body, /<h1>Tension Suivi Android Mobile<\/h1>/);
      assert.match(body, /Carnet de tension artérielle relié à Mon espace santé\./);
      assert.match(body, /href="https:\/\/play\.google\.com\/store\/apps\/details\?id=test\.tension"/);
      assert.match(body, /Conditions générales d’utilisation/);
      assert.match(body, /81 \/ 100, mesuré le 3 janv\. 2026/);
      assert.match(body, /<th scope="row">Pression artérielle<\/th><td>Oui<\/td><td>Oui<\/td>/);
      assert.match(body, /<li>Prévention<\/li>/);
      assert.match(body, /Référencé le : 10 janv\. 2026/);
      assert.match(body, /Statut dans le catalogue : En ligne/);
      assert.match(body, /Oui, classe IIa/);
      assert.match(body, new RegExp(`href="/services/${tension.dossierId}/signaler"`));
      const without = await get(`/services/${sommeil.dossierId}`);
      assert.match(without.body, /Écoscore : Non communiqué par l’éditeur/);
      assert.match(without.body, /Ce service n’échange pas de données avec Mon espace santé\./);
      const english = await get(`/services/${tension.dossierId}?lang=en`);
      assert.match(english.body, /<th scope="row">Blood pressure<\/th>/);
    });

    it('answers 404 for a service not in the catalogue, and a notice for a suspended or withdrawn one', async () => {
      assert.equal((await get(`/services/${offline.dossierId}`)).statusCode, 404);
      assert.equal((await get(`/services/${newId()}`)).statusCode, 404);
      assert.equal((await get('/services/pas-un-id')).statusCode, 404);
      const s = await get(`/services/${suspended.dossierId}`);
      assert.equal(s.statusCode, 200);
      assert.equal(s.headers['x-robots-tag'], 'noindex');
      assert.match(s.body, /Ce service est suspendu/);
      assert.match(s.body, /href="\/usager\/services"/);
      assert.ok(!s.body.includes('Conditions générales'));
      const d = await get(`/services/${dereferenced.dossierId}`);
      assert.equal(d.statusCode, 410);
      assert.match(d.body, /Ce service n’est plus référencé/);
    });

    it('serves the images of services online only, with cache headers and nosniff', async () => {
      const res = await get(`/services/${forme.dossierId}/images/${logoId}`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'image/png');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['cache-control'], 'public, max-age=3600');
      assert.equal(
        (
          await get(`/services/${forme.dossierId}/images/${logoId}`, {
            'if-none-match': res.headers.etag as string,
          })
        ).statusCode,
        304,
      );
      // the image of another service, of a suspended service, or no image
      assert.equal((await get(`/services/${tension.dossierId}/images/${logoId}`)).statusCode, 404);
      const hidden = await app.db
        .selectFrom('product_images')
        .select('id')
        .where('product_id', '=', suspended.productId)
        .executeTakeFirstOrThrow();
      assert.equal((await get(`/services/${suspended.dossierId}/images/${hidden.id}`)).statusCode, 404);
      assert.equal((await get(`/services/${forme.dossierId}/images/x`)).statusCode, 404);
    });

    it('puts the catalogue in the header navigation', async () => {
      const res = await get('/');
      assert.match(res.body, /<a class="fr-nav__link" href="\/catalogue">Catalogue<\/a>/);
    });
  });

  describe('the read model', () => {
    it('follows each change at once: the publisher, the service, its écoscore and its status', async () => {
      const velo = await publishedService(app, staff, 'Vélo Cardio', {
        product: { description: 'Sorties à vélo.', os: 'multi', url_web: null, thematics: ['prevention'] },
      });
      const found = (q: string) => names(`/api/v1/catalogue?q=${encodeURIComponent(q)}`);
      assert.deepEqual(await found('velo cardio'), ['Vélo Cardio']);

      await app.db
        .updateTable('organisations')
        .set({ legal_name: 'Pédales Réunies' })
        .where('id', '=', velo.organisationId)
        .execute();
      assert.deepEqual(await found('pedales reunies'), ['Vélo Cardio']);

      await app.db
        .updateTable('products')
        .set({
          description: 'Randonnées en côte.',
          url_android: 'https://play.google.com/store/apps/details?id=v',
        })
        .where('id', '=', velo.productId)
        .execute();
      assert.deepEqual(await found('sorties'), []);
      assert.deepEqual(await found('randonnees cote'), ['Vélo Cardio']);
      assert.ok((await names('/api/v1/catalogue?plateforme=android&parPage=100')).includes('Vélo Cardio'));

      await app.db
        .insertInto('ecoscore_official')
        .values({
          id: newId(),
          product_id: velo.productId,
          score: 99,
          measured_on: '2026-02-01',
          journey_name: 'Parcours type',
          report_url: 'https://exemple.test/rapport',
          recorded_by: null,
        })
        .execute();
      const best = await get('/api/v1/catalogue?tri=ecoscore&parPage=1');
      assert.equal(best.json().items[0].commercialName, 'Vélo Cardio');

      await setCatalogueStatus(app, velo.dossierId, 'SUSPENDUE');
      assert.deepEqual(await found('velo'), []);
      await setCatalogueStatus(app, velo.dossierId, 'EN_LIGNE');
      assert.deepEqual(await found('velo'), ['Vélo Cardio']);
      await setCatalogueStatus(app, velo.dossierId, 'DEREFERENCEE');
      assert.deepEqual(await found('velo'), []);
    });

    it('holds the platforms the entries show', async () => {
      const rows = await app.db
        .selectFrom('catalogue_entries as ce')
        .innerJoin('products as p', 'p.id', 'ce.product_id')
        .select(['ce.platforms', 'p.os', 'p.url_web', 'p.url_ios', 'p.url_android'])
        .execute();
      assert.ok(rows.length >= 3);
      for (const r of rows)
        assert.deepEqual(
          r.platforms,
          platformsOf({ os: r.os, urls: { web: r.url_web, ios: r.url_ios, android: r.url_android } }),
        );
    });
  });
});
