import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_PASSWORD, DEMO_PEOPLE, demoSignInText, seedDemo } from '../src/cli/seed.ts';
import { verifyPassword } from '../src/platform/crypto.ts';
import { startTestApp, type TestApp, testConfig } from './helpers.ts';

describe('demo data of a sandbox (mesref seed --demo)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.stop());

  it('makes an organisation with one member per role, the staff, and the test citizens', async () => {
    const report = await seedDemo({ db: t.db, config: t.config });
    assert.equal(report.created.length, DEMO_PEOPLE.length);
    assert.equal(report.citizens.length, 6);

    const org = await t.db.selectFrom('organisations').selectAll().executeTakeFirstOrThrow();
    assert.equal(org.siren, '732829320');
    const members = await t.db
      .selectFrom('memberships')
      .select('role')
      .where('organisation_id', '=', org.id)
      .orderBy('role')
      .execute();
    assert.deepEqual(
      members.map((m) => m.role),
      ['mandataire', 'representant', 'salarie'],
    );
    const staff = await t.db.selectFrom('staff_roles').select('role').orderBy('role').execute();
    assert.deepEqual(
      staff.map((s) => s.role),
      ['admin', 'commission', 'decideur', 'instructeur', 'instructeur'],
    );
    const admin = await t.db
      .selectFrom('accounts')
      .selectAll()
      .where('email', '=', 'admin@demo.mesref.test')
      .executeTakeFirstOrThrow();
    assert.ok(admin.email_verified_at);
    assert.ok(await verifyPassword(DEMO_PASSWORD, admin.password_hash as string));

    const minors = await t.db.selectFrom('guardianships').selectAll().execute();
    assert.equal(minors.length, 2, 'both parents represent the minor');
  });

  it('signs the demo mandataire in with the printed password', async () => {
    const page = await t.inject({ method: 'GET', url: '/connexion' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
    const cookie = String(page.headers['set-cookie']).split(';')[0].split('=');
    const res = await t.inject({
      method: 'POST',
      url: '/connexion',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: { [cookie[0]]: cookie[1] },
      payload: new URLSearchParams({
        email: 'mandataire@demo.mesref.test',
        password: DEMO_PASSWORD,
        _csrf: csrf,
      }).toString(),
    });
    assert.equal(res.statusCode, 303);
    assert.doesNotMatch(String(res.headers.location), /connexion/);
  });

  it('is idempotent', async () => {
    const again = await seedDemo({ db: t.db, config: t.config });
    assert.equal(again.created.length, 0);
    assert.equal(again.existing.length, DEMO_PEOPLE.length);
    const accounts = await t.db.selectFrom('accounts').select('id').execute();
    assert.equal(accounts.length, DEMO_PEOPLE.length);
    const citizens = await t.db.selectFrom('citizens').select('id').execute();
    assert.equal(citizens.length, 6);
  });

  it('is refused outside the sandbox', async () => {
    await assert.rejects(
      seedDemo({ db: t.db, config: { ...t.config, mode: 'production' } }),
      /réservées au bac à sable/,
    );
  });

  it('prints where to go and how to sign in', () => {
    const text = demoSignInText(testConfig({ MESREF_PUBLIC_URL: 'http://localhost:3000' }));
    assert.match(text, /mandataire@demo\.mesref\.test +mandataire/);
    assert.match(text, /admin@demo\.mesref\.test +admin/);
    assert.match(text, /shared password: Demo-mesref-2026!/);
    assert.match(text, /http:\/\/localhost:3000\/usager\/connexion/);
    assert.match(text, /http:\/\/localhost:3000\/bac-a-sable\/courriels/);
  });
});
