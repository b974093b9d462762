/**
 * The écoscore use cases and their HTTP routes: journeys checked against the service's hosts, the run
 * lifecycle (the Chromium runner replaced by a stub here only, through the service's dependencies), the
 * official record and its ETH 32 evidence, rights and audit events.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAssessment, getAssessment } from '../src/assessment/index.ts';
import type { StepMetrics } from '../src/ecoscore/model.ts';
import type { RunResult } from '../src/ecoscore/runner.ts';
import * as service from '../src/ecoscore/service.ts';
import type { Actor } from '../src/identity/model.ts';
import { newId } from '../src/platform/crypto.ts';
import type { Db } from '../src/platform/db/index.ts';
import { AppError } from '../src/platform/errors.ts';
import {
  CSRF,
  createAccount,
  createOrganisation,
  sessionCookie,
  startTestApp,
  type TestApp,
} from './helpers.ts';

const JOURNEY = `name: Prise de rendez-vous
device: smartphone
steps:
  - { label: Accueil, goto: https://app.exemple.fr/ }
  - { label: Bas de page, scroll: bottom }
  - { label: Lecture, pause: 2 }
`;

function actorOf(accountId: string, opts: { org?: string; staff?: boolean }): Actor {
  return {
    kind: 'account',
    accountId,
    email: `${accountId}@exemple.test`,
    displayName: 'Test',
    staffRoles: opts.staff ? ['instructeur'] : [],
    memberships: opts.org ? [{ organisationId: opts.org, role: 'salarie' }] : [],
    secondFactorOk: true,
    totpEnabled: false,
  };
}

async function insertProduct(db: Db, organisationId: string, name: string): Promise<string> {
  const id = newId();
  await db
    .insertInto('products')
    .values({
      id,
      organisation_id: organisationId,
      commercial_name: name,
      os: 'web',
      device: 'site-web',
      version: '1.0',
      description: 'Prise de rendez-vous',
      url_web: 'https://app.exemple.fr/accueil',
      url_ios: null,
      url_android: null,
      url_cgu: null,
      url_privacy: null,
      thematics: '[]',
      regions: '[]',
      audience: '[]',
      economic_model: 'gratuit',
      medical_device: false,
      medical_device_class: null,
      data_exchange: false,
      row_version: 1,
      created_by: null,
      updated_at: new Date(),
    })
    .execute();
  return id;
}

const step = (label: string, bytes: number, url = 'https://app.exemple.fr/'): StepMetrics => ({
  label,
  url,
  bytes,
  requests: Math.round(bytes / 20_000),
  domElements: 300,
  cpuMs: 200,
  durationMs: 1500,
});

/** A runner stub: reports progress as the real one does, returns fixed figures. */
function stubRunner(outcome: 'ok' | 'throw' | 'fail-step') {
  return (async (journey, options) => {
    const steps = journey.steps.length;
    for (let run = 1; run <= (options.runs ?? 3); run++) {
      options.onProgress?.({ type: 'run-start', run, runs: options.runs ?? 3 });
      for (let s = 1; s <= steps; s++)
        options.onProgress?.({
          type: 'step-start',
          run,
          runs: options.runs ?? 3,
          step: s,
          steps,
          label: journey.steps[s - 1].label,
        });
      options.onProgress?.({ type: 'run-end', run, runs: options.runs ?? 3, ok: true });
    }
    if (outcome === 'throw') throw new Error('Chromium introuvable');
    const medians = journey.steps.map((s, i) => step(s.label, 400_000 * (i + 1)));
    const result: RunResult = {
      runs: [],
      medians: outcome === 'fail-step' ? medians.slice(0, 1) : medians,
      idle: step('repos', 0, undefined),
      failures:
        outcome === 'fail-step'
          ? [
              {
                run: 1,
                step: 2,
                label: 'Bas de page',
                reason: 'missing-selector',
                message: 'élément introuvable',
              },
            ]
          : [],
      blocked: [],
      environment: {
        chromium: '120.0',
        device: journey.device,
        viewport: { width: 360, height: 800 },
        dpr: 3,
        userAgent: 'test',
        cpuSlowdown: 4,
        network: { name: '4G', latencyMs: 1, downloadKbps: 1, uploadKbps: 1 },
        locale: 'fr-FR',
        startedAt: new Date().toISOString(),
        durationMs: 10,
      },
    };
    return result;
  }) as NonNullable<service.EcoscoreDeps['runJourney']>;
}

async function auditActions(db: Db, productId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select('action')
    .where('subject_id', '=', productId)
    .orderBy('at')
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

describe('écoscore', () => {
  let app: TestApp;
  let deps: service.EcoscoreDeps;
  let orgId: string;
  let productId: string;
  let member: Actor;
  let staff: Actor;
  let outsider: Actor;
  let memberAccount: string;
  let staffAccount: string;

  before(async () => {
    app = await startTestApp();
    deps = { db: app.db, config: app.config, referentials: app.referentials };
    orgId = await createOrganisation(app.db);
    const otherOrg = await createOrganisation(app.db, 'Autre éditeur');
    productId = await insertProduct(app.db, orgId, 'Rendez-vous Santé');
    memberAccount = (await createAccount(app.db, { organisation: { id: orgId, role: 'salarie' } })).accountId;
    staffAccount = (await createAccount(app.db, { staff: ['instructeur'] })).accountId;
    member = actorOf(memberAccount, { org: orgId });
    staff = actorOf(staffAccount, { staff: true });
    outsider = actorOf(
      (await createAccount(app.db, { organisation: { id: otherOrg, role: 'salarie' } })).accountId,
      {
        org: otherOrg,
      },
    );
  });
  after(() => app.stop());

  it('saves a journey that reaches only the service’s hosts, and refuses others with their lines', async () => {
    const journey = await service.createJourney(deps, member, productId, { source: JOURNEY });
    assert.equal(journey.name, 'Prise de rendez-vous');
    assert.equal(journey.device, 'smartphone');

    await assert.rejects(
      service.createJourney(deps, member, productId, {
        source: JOURNEY.replace('Prise de rendez-vous', 'Ailleurs').replace(
          'app.exemple.fr',
          'autre.exemple.org',
        ),
      }),
      (error: unknown) => {
        assert.ok(error instanceof service.JourneyRefused);
        assert.equal(error.problems[0].line, 4);
        assert.match(error.problems[0].message, /autre\.exemple\.org/);
        return true;
      },
    );
    await assert.rejects(
      service.createJourney(deps, member, productId, { source: 'name: X\ndevice: montre\nsteps: []\n' }),
      (error: unknown) => error instanceof service.JourneyRefused && error.problems.some((p) => p.line === 2),
    );
    // The configured hosts are allowed too.
    const configured = { ...deps, config: { ...deps.config, ecoscoreAllowedHosts: ['autre.exemple.org'] } };
    await service.createJourney(configured, member, productId, {
      source: JOURNEY.replace('Prise de rendez-vous', 'Ailleurs').replace(
        'app.exemple.fr',
        'autre.exemple.org',
      ),
    });
    // Staff read but do not write; another organisation sees nothing.
    await assert.rejects(service.createJourney(deps, staff, productId, { source: JOURNEY }), { status: 403 });
    await assert.rejects(service.createJourney(deps, outsider, productId, { source: JOURNEY }), {
      status: 404,
    });
    assert.equal((await service.listJourneys(deps, staff, productId)).journeys.length, 2);
    assert.equal((await service.listJourneys(deps, staff, productId)).mayEdit, false);
    // A stale version is refused with the current journey.
    await service.updateJourney(deps, member, journey.id, 1, {
      source: JOURNEY.replace('pause: 2', 'pause: 3'),
    });
    await assert.rejects(
      service.updateJourney(deps, member, journey.id, 1, { source: JOURNEY }),
      service.JourneyConflict,
    );
    const actions = await auditActions(app.db, productId);
    assert.deepEqual(
      actions.filter((a) => a.startsWith('ecoscore.')),
      ['ecoscore.journey_created', 'ecoscore.journey_created', 'ecoscore.journey_updated'],
    );
  });

  it('runs a measurement: queued, one at a time, progress, done with score, pages and advice', async () => {
    const journey = (await service.listJourneys(deps, member, productId)).journeys.find(
      (j) => j.name === 'Prise de rendez-vous',
    );
    assert.ok(journey);
    await assert.rejects(service.launchRun(deps, staff, journey.id), { status: 403 });
    const run = await service.launchRun(deps, member, journey.id, 2);
    assert.equal(run.status, 'queued');
    assert.equal(run.productVersion, '1.0');
    const job = await app.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'ecoscore.run')
      .executeTakeFirstOrThrow();
    assert.deepEqual(job.payload, { runId: run.id });
    await assert.rejects(
      service.launchRun(deps, member, journey.id),
      (e: unknown) => e instanceof AppError && e.status === 409,
    );

    await service.executeRun({ ...deps, runJourney: stubRunner('ok') }, run.id);
    const view = await service.getRun(deps, staff, run.id);
    assert.equal(view.run.status, 'done');
    assert.equal(view.run.progress.done, view.run.progress.total);
    assert.ok(view.run.score !== null && view.run.score >= 0 && view.run.score <= 100);
    const result = view.run.result as Record<string, unknown>;
    assert.equal((result.perStep as unknown[]).length, 3);
    assert.equal((result.pages as Array<{ url: string }>)[0].url, 'https://app.exemple.fr/');
    assert.ok(view.improvements && view.improvements.steps.length > 0);
    assert.ok(view.run.methodVersion);
    // Once done, a new run may start.
    const again = await service.launchRun(deps, member, journey.id, 1);
    await service.executeRun({ ...deps, runJourney: stubRunner('throw') }, again.id);
    const failed = await service.getRun(deps, member, again.id);
    assert.equal(failed.run.status, 'failed');
    assert.match(failed.run.error ?? '', /Chromium introuvable/);

    const third = await service.launchRun(deps, member, journey.id, 1);
    await service.executeRun({ ...deps, runJourney: stubRunner('fail-step') }, third.id);
    const partial = await service.getRun(deps, member, third.id);
    assert.equal(partial.run.status, 'failed');
    assert.equal(partial.run.error, 'steps_failed');
    assert.equal(partial.run.failures[0].reason, 'missing-selector');

    const actions = (await auditActions(app.db, productId)).filter((a) => a.includes('run'));
    assert.deepEqual(actions, [
      'ecoscore.run_requested',
      'ecoscore.run_finished',
      'ecoscore.run_requested',
      'ecoscore.run_failed',
      'ecoscore.run_requested',
      'ecoscore.run_failed',
    ]);
  });

  it('records the official écoscore, adds its report to ETH 32 and warns when far from mesref’s run', async () => {
    const version = app.referentials.versions.find((v) => v.criteria.some((c) => c.id === 'ETH 32'));
    assert.ok(version);
    const { id: assessmentId } = await createAssessment(deps, member, productId, version.id);
    await assert.rejects(
      service.recordOfficial(deps, member, productId, {
        score: '120',
        measuredOn: '2024-13-01',
        journeyName: '',
      }),
      (e: unknown) =>
        e instanceof AppError &&
        e.status === 422 &&
        ['score', 'measuredOn', 'journeyName', 'reportFile'].every((f) => f in e.fields),
    );
    await assert.rejects(
      service.recordOfficial(deps, staff, productId, {
        score: 50,
        measuredOn: '2024-05-01',
        journeyName: 'X',
        reportUrl: 'https://a.fr',
      }),
      { status: 403 },
    );
    const pdf = Buffer.from('%PDF-1.4\n% rapport écoscore\n%%EOF\n');
    const latest = (await service.eth32Evidence(app.db, member, productId)).latestRun;
    assert.ok(latest?.score != null);
    const official = Math.max(0, Math.min(100, latest.score > 50 ? latest.score - 30 : latest.score + 30));
    const { record, evidence } = await service.recordOfficial(deps, member, productId, {
      score: official,
      measuredOn: '2024-05-02',
      journeyName: 'Prise de rendez-vous',
      file: { name: 'rapport.pdf', bytes: pdf },
    });
    assert.equal(record.sizeBytes, pdf.length);
    assert.equal(evidence.assessmentId, assessmentId);
    const answer = (await getAssessment(deps, member, assessmentId)).answers['ETH 32'];
    assert.equal(answer.evidence[0].name, 'rapport.pdf');
    assert.equal(answer.evidence[0].sha256, record.sha256);
    const doc = await service.officialDocument(deps, staff, productId, record.id);
    assert.deepEqual(doc.content, pdf);

    const eth32 = await service.eth32Evidence(app.db, staff, productId);
    assert.equal(eth32.official?.score, official);
    assert.equal(eth32.gap, 30);
    assert.equal(eth32.warn, true);
    assert.ok((await auditActions(app.db, productId)).includes('ecoscore.official_recorded'));
  });

  it('serves the pages and the JSON API with rights', async () => {
    const cookies = await sessionCookie(app.db, { accountId: memberAccount });
    const staffCookies = await sessionCookie(app.db, { accountId: staffAccount });
    const list = await app.inject({ method: 'GET', url: `/editeur/services/${productId}/ecoscore`, cookies });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Prise de rendez-vous/);
    assert.match(list.body, /pas l’écoscore officiel/);

    const created = await app.inject({
      method: 'POST',
      url: `/api/v1/products/${productId}/ecoscore/journeys`,
      cookies,
      headers: { 'x-csrf-token': CSRF },
      payload: { source: JOURNEY.replace('Prise de rendez-vous', 'Par API') },
    });
    assert.equal(created.statusCode, 201, created.body);
    const refused = await app.inject({
      method: 'POST',
      url: `/api/v1/products/${productId}/ecoscore/journeys`,
      cookies,
      headers: { 'x-csrf-token': CSRF },
      payload: {
        source: JOURNEY.replace('Prise de rendez-vous', 'Refusé').replace('app.exemple.fr', 'evil.test'),
      },
    });
    assert.equal(refused.statusCode, 422);
    assert.equal(refused.json().problems[0].line, 4);
    const byStaff = await app.inject({
      method: 'POST',
      url: `/api/v1/products/${productId}/ecoscore/journeys`,
      cookies: staffCookies,
      headers: { 'x-csrf-token': CSRF },
      payload: { source: JOURNEY },
    });
    assert.equal(byStaff.statusCode, 403);

    // The editor page refuses a bad journey with its line.
    const form = await app.inject({
      method: 'POST',
      url: `/editeur/services/${productId}/ecoscore/parcours`,
      cookies,
      payload: { _csrf: CSRF, source: 'name: X\ndevice: montre\nsteps: []\n', role: '' },
    });
    assert.equal(form.statusCode, 422);
    assert.match(form.body, /Ligne 2/);

    const launched = await app.inject({
      method: 'POST',
      url: `/api/v1/ecoscore/journeys/${created.json().id}/runs`,
      cookies,
      headers: { 'x-csrf-token': CSRF },
      payload: { runs: 1 },
    });
    assert.equal(launched.statusCode, 202);
    const runPage = await app.inject({
      method: 'GET',
      url: `/editeur/ecoscore/mesures/${launched.json().id}`,
      cookies,
    });
    assert.equal(runPage.statusCode, 200);
    assert.match(runPage.body, /http-equiv="refresh"/);

    const done = (await service.listJourneys(deps, member, productId)).runs.find((r) => r.status === 'done');
    assert.ok(done);
    const report = await app.inject({
      method: 'GET',
      url: `/editeur/ecoscore/mesures/${done.id}?lang=en`,
      cookies: staffCookies,
    });
    assert.equal(report.statusCode, 200);
    assert.match(report.body, /Indicative écoscore/);
    assert.match(report.body, /Thresholds used/);
    assert.doesNotMatch(report.body, /http-equiv="refresh"/);

    const api = await app.inject({
      method: 'GET',
      url: `/api/v1/ecoscore/runs/${done.id}`,
      cookies: staffCookies,
    });
    assert.equal(api.statusCode, 200);
    assert.equal(api.json().status, 'done');
    const anonymous = await app.inject({ method: 'GET', url: `/api/v1/products/${productId}/ecoscore` });
    assert.equal(anonymous.statusCode, 401);
  });
});
