// mesref-test: no-database (runs once, in the PGlite lane: the seed's SQL is the one every dossier test runs on both)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedDemo } from '../src/cli/seed.ts';
import { dossierStates } from '../src/dossier/model.ts';
import { dossierDeps } from '../src/dossier/plugin.ts';
import { dashboard, timeline } from '../src/dossier/service.ts';
import { staffActor } from './dossier-fixtures.ts';
import { startTestApp, type TestApp } from './helpers.ts';

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
    const made = await seedDemo({ db: app.db, config: app.config }, { dossiers: 'now' });
    assert.ok(made.dossiers >= 16);
    const rows = await app.db.selectFrom('dossiers').select(['state', 'catalogue_status', 'kind']).execute();
    const seen = new Set(rows.flatMap((r) => [r.state, r.catalogue_status ?? '']));
    for (const state of dossierStates.filter((s) => s !== 'update_accepted' && s !== 'update_refused')) {
      assert.ok(seen.has(state), `no demo file in state ${state}`);
    }
    for (const status of ['EN_LIGNE', 'HORS_LIGNE', 'SUSPENDUE', 'DEREFERENCEE', 'PRESERIE'])
      assert.ok(seen.has(status), status);
    assert.ok(rows.some((r) => r.kind === 'update'));
    // Idempotent.
    const again = await seedDemo({ db: app.db, config: app.config }, { dossiers: 'now' });
    assert.equal(again.dossiers, 0);
    assert.equal((await app.db.selectFrom('dossiers').select('id').execute()).length, rows.length);
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
