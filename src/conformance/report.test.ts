import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JWK } from 'jose';
import {
  createStaff,
  draftDossier,
  readyPublisher,
  type Staff,
  walkTo,
} from '../../test/dossier-fixtures.ts';
import { startTestApp, type TestApp } from '../../test/helpers.ts';
import { flat, pdfText } from '../../test/pdf-text.ts';
import { catalog } from '../app.ts';
import { dossierDeps } from '../dossier/plugin.ts';
import { recordTestReport } from '../dossier/service.ts';
import { translator } from '../platform/i18n.ts';
import { evaluate, type RecordedCall } from './model.ts';
import { loadPlans } from './plans.ts';
import { buildTestReport, renderTestReportPdf, signedTestReport, verifyTestReport } from './report.ts';

const plans = loadPlans();
const T0 = Date.parse('2026-03-02T09:00:00Z');

/** The calls of a client that passes the pairing plan and pushes nothing. */
function pairingCalls(): RecordedCall[] {
  const call = (id: number, kind: string, status: number, facts: Record<string, unknown>): RecordedCall => ({
    id,
    at: new Date(T0 + id * 1000).toISOString(),
    kind,
    method: 'POST',
    path: kind === 'oauth.authorize' ? '/oauth/auth' : '/oauth/token',
    status,
    ms: 4,
    facts,
  });
  return [
    call(1, 'oauth.authorize', 303, { pkce: 'S256', scope: 'openid', redirectUriMatched: true }),
    call(2, 'oauth.token', 200, { grantType: 'authorization_code' }),
    call(3, 'oauth.token', 200, { grantType: 'refresh_token' }),
  ];
}

function tamper(jws: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = jws.split('.');
  const decoded = JSON.parse(Buffer.from(payload as string, 'base64url').toString('utf8'));
  change(decoded);
  return `${header}.${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${signature}`;
}

describe('the connection-test report', () => {
  let app: TestApp;
  let staff: Staff;
  before(async () => {
    app = await startTestApp();
    staff = await createStaff(app);
  });
  after(() => app.stop());

  const session = (siren: string, productName: string) => ({
    id: '0b9a7c52-5a41-4d4b-a1f3-2f6f6e0d2a10',
    oid: '1.2.250.1.999.99.1',
    clientId: 'sandbox-0b9a7c525a41',
    siren,
    productName,
    productVersion: '2.1.0',
    createdAt: new Date(T0),
  });

  it('is signed with the deployment’s key and verifies with its public keys; altered, it does not', async () => {
    const verdicts = evaluate(
      plans,
      { categories: { finalites: [], categories: [] }, plans: ['pairing'], measureWriteCategories: [] },
      pairingCalls(),
      [],
    );
    const report = buildTestReport({
      issuer: app.config.publicUrl,
      session: session('999001019', 'Tension Facile'),
      verdicts,
      now: new Date(),
    });
    // The withdrawal test needs the unpair action: the plan is not passed, and the report says so.
    assert.deepEqual(report.plans, [{ id: 'pairing', version: 1, status: 'not_run' }]);
    assert.equal(report.passed, false);
    assert.deepEqual(
      report.tests?.map((t) => [t.id, t.status]),
      [
        ['pairing.authorize-pkce', 'passed'],
        ['pairing.refresh', 'passed'],
        ['pairing.withdrawal-stops', 'not_run'],
      ],
    );
    const { jws } = await signedTestReport(app.keys, report);
    const keys = app.keys.publicJwks as JWK[];
    assert.deepEqual(await verifyTestReport(jws, keys), report);
    await assert.rejects(
      verifyTestReport(
        tamper(jws, (p) => (p.passed = true)),
        keys,
      ),
    );
    // Served over HTTP as every deployment publishes them: another deployment verifies with those.
    const published = await app.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    assert.equal(published.statusCode, 200);
    const publicKeys = (JSON.parse(published.body) as { keys: JWK[] }).keys;
    assert.ok(publicKeys.every((k) => !('d' in k)));
    assert.deepEqual(await verifyTestReport(jws, publicKeys), report);
  });

  it('is filed by the referencing file’s gate, which refuses it altered after signing', async () => {
    const deps = dossierDeps(app);
    const publisher = await readyPublisher(app, { name: 'Glyco Suivi', dataExchange: true });
    let view = await walkTo(
      app,
      staff,
      publisher,
      await draftDossier(app, publisher, true),
      'convention_signed',
    );
    assert.equal(view.state, 'connection_tests');
    const org = await app.db
      .selectFrom('organisations')
      .select('siren')
      .where('id', '=', publisher.organisationId)
      .executeTakeFirstOrThrow();
    const planIds = ['pairing', 'mesures', 'documents'];
    const report = buildTestReport({
      issuer: app.config.publicUrl,
      session: session(org.siren, 'Glyco Suivi'),
      verdicts: planIds.map((id) => ({ planId: id, planVersion: 1, status: 'failed' as const, tests: [] })),
      now: new Date(),
    });
    const { jws } = await signedTestReport(app.keys, report);
    const forged = tamper(jws, (p) => {
      p.passed = true;
      p.plans = planIds.map((id) => ({ id, version: 1, status: 'passed' }));
    });
    await assert.rejects(
      recordTestReport(deps, publisher.actor, view.id, view.rowVersion, forged),
      (e: Error & { fields?: Record<string, string> }) =>
        e.fields?.report === 'dossier.field.report_signature',
    );
    // The genuine one is filed, and says what it says: not passed.
    view = await recordTestReport(deps, publisher.actor, view.id, view.rowVersion, jws);
    assert.equal(view.testReports.length, 1);
    assert.equal(view.testReports[0]?.passed, false);
  });

  it('renders as a PDF in French and English', async () => {
    const calls = pairingCalls();
    const verdicts = evaluate(
      plans,
      { categories: { finalites: [], categories: [] }, plans: ['pairing'], measureWriteCategories: [] },
      calls,
      [],
    );
    const report = buildTestReport({
      issuer: 'https://bac-a-sable.example',
      session: session('999001019', 'Tension Facile'),
      verdicts,
      now: new Date(T0 + 3600_000),
    });
    for (const locale of ['fr', 'en'] as const) {
      const pdf = await renderTestReportPdf(
        { report, verdicts, plans, calls },
        translator(catalog, locale),
        locale,
        { compress: false },
      );
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
      const text = flat(pdfText(pdf));
      assert.match(text, locale === 'fr' ? /Rapport de tests d’accrochage/ : /Connection-test report/);
      assert.match(text, /pairing\.authorize-pkce/);
      assert.match(text, locale === 'fr' ? /Réussi/ : /Passed/);
      assert.match(text, /\/oauth\/token/);
    }
  });
});
