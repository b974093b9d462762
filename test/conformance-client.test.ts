/**
 * The reference client (examples/reference-client/) against a real listening mesref: a publisher opens a
 * connection-test session through the API, the client pairs a test citizen (PKCE, code exchange, refresh),
 * pushes, reads, provides and retrieves documents, and reacts to the platform-side actions. The reference
 * client passes every required plan; each deliberately broken client fails exactly the test its fault covers.
 * `mesref demo-client` runs the same client against a session, with the deployment's own credentials.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { exportJWK, generateKeyPair } from 'jose';
import {
  type DeclaredCategory,
  type Fault,
  runReferenceClient,
} from '../examples/reference-client/client.ts';
import { createAssessment, getAssessment, saveOrientation } from '../src/assessment/service.ts';
import { type DemoClientDeps, runDemoClient } from '../src/cli/demo-client.ts';
import { idPeSystemOf } from '../src/fhir/api/gate.ts';
import type { AccountActor } from '../src/identity/model.ts';
import { createApiToken, identityDeps } from '../src/identity/service.ts';
import { createProduct } from '../src/product/service.ts';
import { type RunningMesref, startServer } from './browser.ts';
import { publisherActor } from './dossier-fixtures.ts';
import { CSRF, createAccount, createOrganisation, sessionCookie } from './helpers.ts';

type Json = Record<string, unknown>;

interface Verdict {
  testId: string;
  status: 'passed' | 'failed' | 'not_run';
  reason: { en: string };
}
interface SessionView {
  id: string;
  clientId: string;
  clientSecret?: string;
  oid: string;
  redirectUris: string[];
  testCitizens: Array<{ sub: string; name: string }>;
  planIds: string[];
  passed: boolean;
  plans: Array<{ planId: string; status: string; tests: Verdict[] }>;
}

const CATEGORIES: DeclaredCategory[] = [
  { code: 'poids', read: true, write: true },
  { code: 'pression-arterielle', read: true, write: true },
  { code: 'pas', read: true, write: true },
  { code: 'documents', read: true, write: true },
];
const FINALITES = ['prevention'];

/** Every test of the three plans, with the fault that must fail it alone. */
const COVERED: Record<Exclude<Fault, 'no-pkce'>, string> = {
  'wrong-unit': 'mesures.push-valid',
  'retry-422': 'mesures.no-blind-retry',
  'ignore-403': 'mesures.consent-withdrawn',
};

describe('the reference client against a connection-test session', () => {
  let server: RunningMesref;
  let productId: string;
  let accountId: string;
  let organisationId: string;
  let apiHeaders: Record<string, string>;

  const api = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...apiHeaders,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };

  const openSession = async (jwks?: { keys: Json[] }): Promise<SessionView> => {
    const res = await api('POST', '/api/v1/conformance/sessions', {
      productId,
      finalites: FINALITES,
      categories: CATEGORIES,
      redirectUris: [`${server.url}/mon-app/retour`],
      ...(jwks ? { jwks } : {}),
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as unknown as SessionView;
  };

  /**
   * The session's live verdicts once its recording has settled: a call is recorded just after its answer is
   * sent, so the client's last call may land a moment after the client ends.
   */
  const verdicts = async (id: string): Promise<SessionView> => {
    let previous = -1;
    for (let poll = 0; poll < 50; poll++) {
      const res = await api('GET', `/api/v1/conformance/sessions/${id}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const count = Number(res.body.callCount);
      if (count === previous) return res.body as unknown as SessionView;
      previous = count;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the recorded calls never settled');
  };

  const statuses = (view: SessionView) =>
    Object.fromEntries(view.plans.flatMap((p) => p.tests.map((t) => [t.testId, t.status])));

  /** Opens a session and runs the client against it, with or without a fault; returns the verdicts. */
  const runAgainstNewSession = async (fault?: Fault) => {
    const opened = await openSession();
    assert.ok(opened.clientSecret, 'a session without JWKS gets a client secret');
    const run = await runReferenceClient({
      baseUrl: server.url,
      session: { id: opened.id, headers: apiHeaders },
      clientId: opened.clientId,
      redirectUri: opened.redirectUris[0],
      auth: { clientSecret: opened.clientSecret },
      oid: opened.oid,
      idPeSystem: idPeSystemOf(server.mesref.config),
      citizen: opened.testCitizens[0].sub,
      finalites: FINALITES,
      categories: CATEGORIES,
      ...(fault ? { fault } : {}),
    });
    const view = await verdicts(opened.id);
    return { opened, run, view, tests: statuses(view), log: run.log.join('\n') };
  };

  before(async () => {
    server = await startServer();
    const { db, config } = server.mesref;
    organisationId = await createOrganisation(db, 'Suivi Référence SAS');
    ({ accountId } = await createAccount(db, { organisation: { id: organisationId, role: 'mandataire' } }));
    const product = await createProduct(
      { db, config },
      publisherActor(accountId, organisationId),
      organisationId,
      {
        commercialName: 'Suivi Référence',
        os: 'web',
        device: 'mobile',
        version: '2.1.0',
        description: 'Application de suivi des mesures, cliente de référence.',
        urls: {
          web: 'https://exemple.test',
          cgu: 'https://exemple.test/cgu',
          privacy: 'https://exemple.test/vie-privee',
        },
        thematics: ['prevention'],
        regions: [],
        audience: ['tout-public'],
        economicModel: 'gratuit',
        medicalDevice: false,
        medicalDeviceClass: '',
        dataExchange: true,
      },
    );
    productId = product.id;
    const cookies = await sessionCookie(db, { accountId });
    apiHeaders = {
      cookie: Object.entries(cookies)
        .map(([name, value]) => `${name}=${value}`)
        .join('; '),
      'x-csrf-token': CSRF,
    };
  });
  after(() => server.stop());

  it('runs from the session page: « Lancer le client de référence » passes every plan, one run at a time', async () => {
    const opened = await openSession();
    const page = `${server.url}/editeur/tests-accrochage/${opened.id}`;
    const post = () =>
      fetch(`${page}/client-de-reference`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...apiHeaders, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: CSRF }).toString(),
      });
    const first = await post();
    assert.equal(first.status, 303);
    assert.match(String(first.headers.get('location')), /\?ok=reference$/);
    const second = await post();
    assert.match(String(second.headers.get('location')), /\?ok=reference-running$/);
    let view: SessionView | undefined;
    for (let poll = 0; poll < 300 && !view?.passed; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      view = (await api('GET', `/api/v1/conformance/sessions/${opened.id}`)).body as unknown as SessionView;
    }
    assert.ok(view?.passed, JSON.stringify(view?.plans, null, 1));
    const shown = await fetch(`${page}?ok=reference`, { headers: apiHeaders });
    assert.match(await shown.text(), /Le client de référence s’exécute/);
  });

  it('shows a passing run as evidence of the criteria its plans support in the self-assessment', async () => {
    const { view } = await runAgainstNewSession();
    assert.ok(view.passed);
    const { db, config, referentials } = server.mesref;
    const deps = { db, config, referentials };
    const actor = publisherActor(accountId, organisationId);
    const assessment = await createAssessment(deps, actor, productId);
    // The criteria of the exchange APIs apply to a service that says it exchanges measures and documents.
    await saveOrientation(deps, actor, assessment.id, {
      orientation: { echange_donnees: true, donnees_echangees: ['mesures', 'documents'] },
      baseVersion: (await getAssessment(deps, actor, assessment.id)).rowVersion,
    });
    const page = async (rubrique: string) => {
      const res = await fetch(
        `${server.url}/editeur/auto-evaluations/${assessment.id}/rubriques/${rubrique}`,
        {
          headers: apiHeaders,
        },
      );
      assert.equal(res.status, 200);
      return res.text();
    };
    const interop = await page('interoperabilite');
    assert.match(interop, /Plan « API Mesures de santé » : Réussi/);
    assert.match(interop, new RegExp(`/editeur/tests-accrochage/${view.id}`));
    assert.match(await page('securite'), /Tests d’accrochage/);
  });

  it('passes every plan the declared categories require', async () => {
    const { opened, run, view, tests, log } = await runAgainstNewSession();
    assert.deepEqual(view.planIds, ['pairing', 'mesures', 'documents']);
    assert.ok(view.passed, `${JSON.stringify(view.plans, null, 1)}\n${log}`);
    for (const plan of view.plans) assert.equal(plan.status, 'passed', plan.planId);
    assert.ok(
      Object.values(tests).every((s) => s === 'passed'),
      JSON.stringify(tests),
    );
    // The client reacted as MES expects: one 422 not resent, one 403 and that category no longer written,
    // one 401 after unpairing and nothing after it.
    assert.equal(run.stopped, 'pairing-ended');
    assert.equal(run.pushes.filter((p) => p.outcome === 'invalid').length, 1, log);
    assert.equal(run.pushes.filter((p) => p.outcome === 'refused').length, 1, log);
    assert.ok(
      run.pushes.some((p) => p.category === 'poids' && p.outcome === 'skipped'),
      log,
    );
    const calls = await api('GET', `/api/v1/conformance/sessions/${view.id}/calls`);
    const items = calls.body.items as Array<{ kind: string; status: number; facts: Json }>;
    assert.equal(items.filter((c) => c.status === 401).length, 1);
    assert.equal(items.at(-1)?.status, 401, 'the last call is the one answered 401');
    // Nothing secret is recorded: no token, code, verifier or secret in the facts.
    const recorded = JSON.stringify(items);
    for (const secret of [opened.clientSecret as string, 'code_verifier', 'access_token', 'Bearer '])
      assert.ok(!recorded.includes(secret), secret);
  });

  it('authenticates with private_key_jwt when the session was opened with its JWKS', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = 'reference-client-1';
    const opened = await openSession({
      keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }],
    });
    assert.equal(opened.clientSecret, undefined);
    const run = await runReferenceClient({
      baseUrl: server.url,
      session: { id: opened.id, headers: apiHeaders },
      clientId: opened.clientId,
      redirectUri: opened.redirectUris[0],
      auth: { privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' } },
      oid: opened.oid,
      idPeSystem: idPeSystemOf(server.mesref.config),
      citizen: opened.testCitizens[1].sub,
      finalites: FINALITES,
      categories: CATEGORIES,
    });
    const view = await verdicts(opened.id);
    assert.ok(view.passed, `${JSON.stringify(view.plans)}\n${run.log.join('\n')}`);
  });

  it('without PKCE: only pairing.authorize-pkce fails, nothing else can run', async () => {
    const { run, tests } = await runAgainstNewSession('no-pkce');
    assert.equal(run.paired, false);
    assert.equal(run.stopped, 'pairing-refused');
    assert.equal(tests['pairing.authorize-pkce'], 'failed');
    for (const [id, status] of Object.entries(tests)) {
      if (id !== 'pairing.authorize-pkce') assert.equal(status, 'not_run', id);
    }
  });

  for (const [fault, covered] of Object.entries(COVERED) as Array<[Exclude<Fault, 'no-pkce'>, string]>) {
    it(`with the fault ${fault}: only ${covered} fails`, async () => {
      const { tests, log } = await runAgainstNewSession(fault);
      assert.equal(tests[covered], 'failed', `${JSON.stringify(tests)}\n${log}`);
      for (const [id, status] of Object.entries(tests)) {
        if (id !== covered) assert.notEqual(status, 'failed', `${id}\n${log}`);
      }
      // The pairing plan does not depend on the measures' faults.
      for (const id of ['pairing.authorize-pkce', 'pairing.refresh', 'pairing.withdrawal-stops'])
        assert.equal(tests[id], 'passed', `${id}\n${log}`);
    });
  }

  it('mesref demo-client runs the reference client against a session with the deployment’s credentials', async () => {
    const opened = await openSession();
    let out = '';
    let err = '';
    const io = {
      stdout: (text: string) => {
        out += text;
      },
      stderr: (text: string) => {
        err += text;
      },
      env: {},
    };
    const { db, config, keys } = server.mesref;
    const withDeps = (use: (deps: DemoClientDeps) => Promise<number>) => use({ db, config, keys });
    const code = await runDemoClient(['--session', opened.id, '--base-url', server.url], io, withDeps);
    assert.equal(code, 0, `${out}\n${err}`);
    assert.match(out, /appariement : jetons obtenus/);
    assert.match(out, /pairing\s+passed|pairing.*réussi/i);
    const view = await verdicts(opened.id);
    assert.ok(view.passed, JSON.stringify(view.plans));
    // The API token it used for the session API was revoked when it ended.
    const tokens = await db
      .selectFrom('api_tokens')
      .select(['revoked_at'])
      .where('account_id', '=', accountId)
      .execute();
    assert.ok(tokens.length > 0 && tokens.every((t) => t.revoked_at !== null));

    const broken = await openSession();
    out = '';
    const failing = await runDemoClient(
      ['--session', broken.id, '--base-url', server.url, '--fault', 'retry-422'],
      io,
      withDeps,
    );
    assert.equal(failing, 1, out);
    assert.match(out, /mesures\.no-blind-retry/);

    // Usage errors and --help answer without the database.
    const noDeps = async () => assert.fail('the database is not opened for a usage error');
    assert.equal(await runDemoClient(['--session', opened.id, '--fault', 'nope'], io, noDeps), 2);
    assert.equal(await runDemoClient([], io, noDeps), 2);
    out = '';
    assert.equal(await runDemoClient(['--help'], io, noDeps), 0);
    assert.match(out, /--fault/);
    // A closed session is refused.
    assert.equal((await api('POST', `/api/v1/conformance/sessions/${broken.id}/close`)).status, 200);
    err = '';
    assert.equal(await runDemoClient(['--session', broken.id], io, withDeps), 1);
    assert.match(err, /close/);
  });

  it('the stand-alone command line (main.ts) runs the same client with a personal API token', async () => {
    const opened = await openSession();
    const { db, config } = server.mesref;
    const { token } = await createApiToken(
      identityDeps({ db, config }),
      publisherActor(accountId, organisationId) as AccountActor,
      {
        name: 'client de référence',
        organisationId,
        days: 1,
      },
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'examples/reference-client/main.ts'],
      {
        env: {
          ...process.env,
          MESREF_URL: server.url,
          MESREF_API_TOKEN: token,
          MESREF_SESSION: opened.id,
          MESREF_CLIENT_SECRET: opened.clientSecret,
          MESREF_IDPE_SYSTEM: idPeSystemOf(config),
        },
        timeout: 180_000,
      },
    );
    assert.match(stdout, /stopped: pairing-ended/);
    const view = await verdicts(opened.id);
    assert.ok(view.passed, `${JSON.stringify(view.plans)}\n${stdout}`);
  });
});
