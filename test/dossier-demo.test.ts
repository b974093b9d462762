// mesref-test: no-database (runs once, in the PGlite lane: the seed's SQL is the one every dossier test runs on both)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedDemo } from '../src/cli/seed.ts';
import { dossierStates } from '../src/dossier/model.ts';
import { dossierDeps } from '../src/dossier/plugin.ts';
import { dashboard, timeline } from '../src/dossier/service.ts';
import { staffActor } from './dossier-fixtures.ts';
import { sessionCookie, startTestApp, type TestApp } from './helpers.ts';

/** What a second seed must not add to: the demo's rows of the citizen space and their audit events. */
async function citizenSpaceCounts(app: TestApp) {
  const count = async (table: 'pairings' | 'consents') =>
    (
      await app.db
        .selectFrom(table)
        .select(({ fn }) => fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  const events = await app.db
    .selectFrom('audit_events')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .where('action', 'like', 'consent.%')
    .executeTakeFirstOrThrow();
  return {
    pairings: Number(await count('pairings')),
    consents: Number(await count('consents')),
    events: Number(events.n),
  };
}

describe('the demo referencing files', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.stop());

  it('queues the files at first start, and makes them in every state through the instruction', async () => {
    const queued = await seedDemo({ db: app.db, config: app.config });
    assert.equal(queued.dossiers, 0);
    const job = await app.db
      .selectFrom('jobs')
      .select('kind')
      .where('kind', '=', 'demo.dossiers')
      .executeTakeFirst();
    assert.ok(job, 'the demo files are left to the worker');
    const started = Date.now();
    const made = await seedDemo({ db: app.db, config: app.config }, { dossiers: 'now' });
    // The time the demo takes (reported by the test run): files through the instruction, then pairings.
    console.log(`demo seed: ${made.dossiers} files, ${made.pairings} pairings in ${Date.now() - started} ms`);
    assert.ok(made.dossiers >= 16);
    assert.equal(made.pairings, 5);
    const rows = await app.db.selectFrom('dossiers').select(['state', 'catalogue_status', 'kind']).execute();
    const seen = new Set(rows.flatMap((r) => [r.state, r.catalogue_status ?? '']));
    for (const state of dossierStates.filter((s) => s !== 'update_accepted' && s !== 'update_refused')) {
      assert.ok(seen.has(state), `no demo file in state ${state}`);
    }
    for (const status of ['EN_LIGNE', 'HORS_LIGNE', 'SUSPENDUE', 'DEREFERENCEE', 'PRESERIE'])
      assert.ok(seen.has(status), status);
    assert.ok(rows.some((r) => r.kind === 'update'));
    // Idempotent: a second seed adds no file, no service, no pairing, no consent and no activity.
    const space = await citizenSpaceCounts(app);
    const products = (await app.db.selectFrom('products').select('id').execute()).length;
    const again = await seedDemo({ db: app.db, config: app.config }, { dossiers: 'now' });
    assert.equal(again.dossiers, 0);
    assert.equal(again.pairings, 0);
    assert.equal((await app.db.selectFrom('dossiers').select('id').execute()).length, rows.length);
    assert.equal((await app.db.selectFrom('products').select('id').execute()).length, products);
    assert.deepEqual(await citizenSpaceCounts(app), space);
  });

  it('shows a visitor a catalogue worth browsing: a dozen services online, three or more exchanging data', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/catalogue?parPage=100' });
    assert.equal(res.statusCode, 200);
    const body = res.json() as {
      total: number;
      items: Array<{
        oid: string;
        commercialName: string;
        publisher: string;
        description: string;
        thematics: string[];
        regions: string[];
        audience: string[];
        economicModel: string;
        medicalDevice: { is: boolean };
        dataExchange: boolean;
        platforms: string[];
        logoUrl: string | null;
        ecoscore: { score: number; measuredOn: string } | null;
      }>;
    };
    assert.ok(body.total >= 10, `${body.total} services online`);
    const names = body.items.map((i) => i.commercialName);
    for (const name of [
      'Hydra Santé',
      'Tensio Suivi',
      'Bouge Ensemble',
      'Doc Santé Ouest',
      'Croissance Junior',
    ])
      assert.ok(names.includes(name), name);
    assert.ok(!names.includes('Tension Facile'), 'a file at the connection tests is not online');
    assert.ok(
      new Set(body.items.map((i) => i.publisher)).size >= 4,
      'every demo publisher has a service online',
    );
    for (const item of body.items) {
      assert.ok(item.logoUrl, `${item.commercialName} has a logo`);
      assert.ok(item.description.split(/[.!?] /).length >= 2, `${item.commercialName}: a real description`);
    }
    const exchanging = body.items.filter((i) => i.dataExchange);
    assert.ok(exchanging.length >= 3, `${exchanging.length} services exchange data`);
    assert.ok(body.items.filter((i) => i.ecoscore).length >= 3, 'official écoscores');
    assert.ok(body.items.some((i) => i.regions.length > 0) && body.items.some((i) => i.regions.length === 0));
    assert.ok(body.items.filter((i) => i.medicalDevice.is).length >= 2, 'medical devices');
    assert.equal(new Set(body.items.map((i) => i.economicModel)).size, 3);
    for (const platform of ['web', 'ios', 'android'])
      assert.ok(
        body.items.some((i) => i.platforms.includes(platform)),
        platform,
      );
    assert.ok(new Set(body.items.flatMap((i) => i.thematics)).size >= 8, 'varied thematics');
    assert.ok(new Set(body.items.flatMap((i) => i.audience)).size >= 6, 'varied audiences');

    const logo = await app.inject({ method: 'GET', url: body.items[0]?.logoUrl as string });
    assert.equal(logo.statusCode, 200);
    assert.equal(logo.headers['content-type'], 'image/png');

    // A service with data exchange shows what its convention allows.
    const glyco = body.items.find((i) => i.commercialName === 'Glyco Carnet');
    assert.ok(glyco);
    const detail = await app.inject({ method: 'GET', url: `/api/v1/catalogue/${glyco.oid}` });
    assert.equal(detail.statusCode, 200);
    const service = detail.json() as {
      finalites: Array<{ code: string }>;
      categories: Array<{ code: string; read: boolean; write: boolean }>;
    };
    assert.deepEqual(service.finalites.map((f) => f.code).sort(), ['prevention', 'soins']);
    assert.deepEqual(service.categories.map((c) => [c.code, c.read, c.write]).sort(), [
      ['glycemie', true, true],
      ['hba1c', true, false],
      ['poids', true, true],
    ]);
    // It went online through the gate: a passing connection-test report, signed by this sandbox.
    const reports = await app.db
      .selectFrom('connection_test_reports')
      .innerJoin('dossiers', 'dossiers.id', 'connection_test_reports.dossier_id')
      .select(['connection_test_reports.passed', 'connection_test_reports.origin'])
      .where('dossiers.oid', '=', glyco.oid)
      .execute();
    assert.deepEqual(reports, [{ passed: true, origin: 'local' }]);
  });

  it('gives Sophie Dubois a space with two paired services, one consent partly withdrawn, and her daughter’s', async () => {
    const citizen = (subject: string) =>
      app.db.selectFrom('citizens').select('id').where('subject', '=', subject).executeTakeFirstOrThrow();
    const sophie = await citizen('test-sophie-dubois');
    const lea = await citizen('test-lea-dubois');
    const cookies = await sessionCookie(app.db, { citizenId: sophie.id });
    const res = await app.inject({ method: 'GET', url: '/api/v1/usager/appariements', cookies });
    assert.equal(res.statusCode, 200);
    const body = res.json() as {
      citizens: Array<{ id: string; self: boolean }>;
      pairings: Array<{
        citizenId: string;
        serviceName: string;
        status: string;
        serviceUserId: string | null;
        consents: Array<{
          finalite: string;
          category: string;
          action: string;
          status: string;
          grantedBy: string;
        }>;
      }>;
    };
    assert.deepEqual(
      body.citizens.map((c) => [c.id, c.self]),
      [
        [sophie.id, true],
        [lea.id, false],
      ],
    );
    const of = (citizenId: string) =>
      body.pairings
        .filter((p) => p.citizenId === citizenId)
        .map((p) => p.serviceName)
        .sort();
    assert.deepEqual(of(sophie.id), ['Bouge Ensemble', 'Doc Santé Ouest', 'Glyco Carnet', 'Tensio Suivi']);
    assert.deepEqual(of(lea.id), ['Croissance Junior']);
    for (const p of body.pairings) {
      assert.equal(p.status, 'active');
      assert.ok(p.serviceUserId);
      assert.ok(p.consents.every((c) => c.grantedBy === sophie.id));
    }
    const steps = body.pairings.find((p) => p.serviceName === 'Bouge Ensemble');
    const state = (finalite: string) =>
      new Set(steps?.consents.filter((c) => c.finalite === finalite).map((c) => c.status));
    assert.deepEqual(state('prevention'), new Set(['active']));
    assert.deepEqual(state('soins'), new Set(['withdrawn']), 'the consent for her care was withdrawn later');
    assert.ok(steps?.consents.some((c) => c.category === 'pas' && c.action === 'write'));

    // The activity history: the pairings, and the change.
    const activity = await app.inject({ method: 'GET', url: '/api/v1/usager/activite?limite=500', cookies });
    assert.equal(activity.statusCode, 200);
    const items = (activity.json() as { items: Array<{ serviceName: string; kind: string }> }).items;
    assert.ok(items.some((i) => i.serviceName === 'Bouge Ensemble' && i.kind === 'changed'));
    assert.ok(items.some((i) => i.serviceName === 'Doc Santé Ouest' && i.kind === 'paired'));
    const minor = await app.inject({
      method: 'GET',
      url: `/api/v1/usager/activite?citoyen=${lea.id}`,
      cookies,
    });
    assert.ok(
      (minor.json() as { items: Array<{ serviceName: string; kind: string; by: string }> }).items.some(
        (i) => i.serviceName === 'Croissance Junior' && i.kind === 'paired' && i.by === 'guardian',
      ),
    );

    // Her space's page lists them.
    const page = await app.inject({ method: 'GET', url: '/usager/services', cookies });
    assert.equal(page.statusCode, 200);
    for (const name of ['Bouge Ensemble', 'Doc Santé Ouest', 'Croissance Junior'])
      assert.match(page.body, new RegExp(name));
  });

  it('gives the dashboard deadlines, an overdue file and processing times, and the timelines their history', async () => {
    const deps = dossierDeps(app);
    const instructor = await app.db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', 'instructeur@demo.mesref.test')
      .executeTakeFirstOrThrow();
    const actor = staffActor(instructor.id, ['instructeur']);
    const board = await dashboard(deps, actor, {});
    assert.ok(board.rows.length >= 8);
    assert.ok(board.overdue >= 1, 'a demo file is overdue');
    assert.ok(Object.keys(board.medians).length >= 3, 'median times per phase');
    assert.ok(board.rows.some((r) => r.state === 'evaluation' && r.kind === 'update'));
    const filed = board.rows.find((r) => r.state === 'opinion_given');
    assert.ok(filed);
    const steps = await timeline(deps, actor, filed.id);
    assert.ok(steps.length >= 8);
    assert.ok(
      steps[0] && steps[0].at.getTime() < Date.now() - 30 * 86_400_000,
      'the history goes back in time',
    );
  });
});
