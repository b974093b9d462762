import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CHECKS,
  evaluate,
  planStatus,
  type RecordedAction,
  type RecordedCall,
  requiredPlanIds,
  type SessionFacts,
  type TestStatus,
} from './model.ts';
import { loadPlans } from './plans.ts';

const plans = loadPlans();
const T0 = Date.parse('2026-03-02T09:00:00Z');

/** A session's record, written in order: each call or action one second after the one before. */
class Script {
  calls: RecordedCall[] = [];
  actions: RecordedAction[] = [];
  private tick = 0;
  private at() {
    this.tick += 1;
    return new Date(T0 + this.tick * 1000).toISOString();
  }
  call(kind: string, status: number, facts: Record<string, unknown> = {}): number {
    const id = this.calls.length + 1;
    const method =
      kind === 'oauth.authorize' || kind.endsWith('search') || kind.endsWith('read') ? 'GET' : 'POST';
    this.calls.push({ id, at: this.at(), kind, method, path: `/${kind}`, status, ms: 3, facts });
    return id;
  }
  action(action: string, detail: Record<string, unknown> = {}): void {
    this.actions.push({
      id: this.actions.length + 1,
      at: this.at(),
      action,
      detail: { citizen: 's1', ...detail },
    });
  }
}

const facts = (over: Partial<SessionFacts> = {}): SessionFacts => ({
  categories: { finalites: ['suivi'], categories: [{ id: 'tension', read: true, write: true }] },
  plans: ['pairing', 'mesures'],
  measureWriteCategories: ['tension'],
  ...over,
});

const push = (s: Script, status: number, body: string, outcome = status < 300 ? 'accepted' : 'invalid') =>
  s.call('fhir.push', status, { category: 'tension', code: '8480-6', bodySha256: body, outcome });

type Fault = 'none' | 'no-pkce' | 'wrong-unit' | 'retry-422' | 'ignore-403';

/** The calls of a client that does everything the plans ask, or that has one of the faults. */
function client(fault: Fault): Script {
  const s = new Script();
  if (fault === 'no-pkce') {
    // The platform refuses an authorization request without PKCE: the client can go no further.
    s.call('oauth.authorize', 400, { pkce: null, scope: 'openid tension', redirectUriMatched: true });
    return s;
  }
  s.call('oauth.authorize', 303, { pkce: 'S256', scope: 'openid tension', redirectUriMatched: true });
  s.call('oauth.token', 200, { grantType: 'authorization_code' });
  s.call('oauth.token', 200, { grantType: 'refresh_token' });
  if (fault === 'wrong-unit') {
    push(s, 422, 'wrong-1');
    push(s, 422, 'wrong-2');
  } else push(s, 201, 'good-1');
  s.call('fhir.search', 200, { mode: 'last', code: '8480-6', count: 1 });
  s.call('fhir.search', 200, { mode: 'all', code: '8480-6', count: 100 });
  s.action('refuse-next-push');
  push(s, 422, 'good-2', 'refused');
  if (fault === 'retry-422') push(s, 201, 'good-2');
  else if (fault !== 'wrong-unit') push(s, 201, 'good-3');
  s.action('withdraw-consent', { category: 'tension' });
  push(s, 403, 'good-4', 'refused');
  if (fault === 'ignore-403') {
    push(s, 403, 'good-5', 'refused');
    push(s, 403, 'good-6', 'refused');
  }
  s.action('unpair');
  s.call('fhir.search', 401, { mode: 'last', code: '8480-6', count: 1 });
  return s;
}

function statuses(s: Script, f = facts()): Record<string, TestStatus> {
  return Object.fromEntries(
    evaluate(plans, f, s.calls, s.actions).flatMap((p) => p.tests.map((t) => [t.testId, t.status])),
  );
}

const allTests = ['pairing', 'mesures'].flatMap(
  (id) => plans.find((p) => p.id === id)?.tests.map((t) => t.id) ?? [],
);

describe('connection-test verdicts', () => {
  it('passes every test of a client that does what the plans ask', () => {
    const verdicts = evaluate(plans, facts(), client('none').calls, client('none').actions);
    assert.deepEqual(
      verdicts.map((v) => [v.planId, v.status]),
      [
        ['pairing', 'passed'],
        ['mesures', 'passed'],
      ],
    );
    for (const test of verdicts.flatMap((v) => v.tests)) assert.ok(test.evidence.length > 0, test.testId);
  });

  const broken: Array<[Fault, string, TestStatus]> = [
    ['no-pkce', 'pairing.authorize-pkce', 'not_run'],
    ['wrong-unit', 'mesures.push-valid', 'passed'],
    ['retry-422', 'mesures.no-blind-retry', 'passed'],
    ['ignore-403', 'mesures.consent-withdrawn', 'passed'],
  ];
  for (const [fault, test, others] of broken) {
    it(`fails exactly ${test} for a client with the fault ${fault}`, () => {
      const result = statuses(client(fault));
      const failed = Object.entries(result)
        .filter(([, s]) => s === 'failed')
        .map(([id]) => id);
      assert.deepEqual(failed, [test]);
      if (others === 'not_run')
        for (const id of allTests.filter((x) => x !== test)) assert.equal(result[id], 'not_run', id);
    });
  }

  it('gives a plan failed if a test failed, passed if all passed, else not run', () => {
    assert.equal(planStatus([{ status: 'passed' }, { status: 'failed' }]), 'failed');
    assert.equal(planStatus([{ status: 'passed' }, { status: 'not_run' }]), 'not_run');
    assert.equal(planStatus([{ status: 'passed' }, { status: 'passed' }]), 'passed');
    assert.equal(planStatus([]), 'not_run');
  });

  it('names the plans the categories require', () => {
    assert.deepEqual(requiredPlanIds(plans, { hasMeasureCategory: false, hasDocumentsCategory: false }), [
      'pairing',
    ]);
    assert.deepEqual(requiredPlanIds(plans, { hasMeasureCategory: true, hasDocumentsCategory: true }), [
      'pairing',
      'mesures',
      'documents',
    ]);
  });
});

/** One evaluator on a script: its status. */
function check(name: string, s: Script, f = facts(), params: Record<string, unknown> = {}): TestStatus {
  const evaluator = CHECKS[name];
  assert.ok(evaluator, name);
  return evaluator({ facts: f, calls: s.calls, actions: s.actions, params }).status;
}

describe('each evaluator', () => {
  const cases: Array<[string, string, (s: Script) => void, TestStatus, Partial<SessionFacts>?]> = [
    ['authorize-pkce', 'no authorize', () => {}, 'not_run'],
    ['authorize-pkce', 'plain PKCE only', (s) => s.call('oauth.authorize', 303, { pkce: 'plain' }), 'failed'],
    [
      'authorize-pkce',
      'S256 but no exchange',
      (s) => s.call('oauth.authorize', 303, { pkce: 'S256' }),
      'not_run',
    ],
    [
      'authorize-pkce',
      'S256 after a refused one, then the code',
      (s) => {
        s.call('oauth.authorize', 400, { pkce: null });
        s.call('oauth.authorize', 303, { pkce: 'S256' });
        s.call('oauth.token', 200, { grantType: 'authorization_code' });
      },
      'passed',
    ],
    ['refresh-token', 'no exchange', () => {}, 'not_run'],
    [
      'refresh-token',
      'refreshed',
      (s) => {
        s.call('oauth.token', 200, { grantType: 'authorization_code' });
        s.call('oauth.token', 200, { grantType: 'refresh_token' });
      },
      'passed',
    ],
    [
      'refresh-token',
      'refresh refused',
      (s) => {
        s.call('oauth.token', 200, { grantType: 'authorization_code' });
        s.call('oauth.token', 400, { grantType: 'refresh_token', error: 'invalid_grant' });
      },
      'failed',
    ],
    [
      'refresh-token',
      'refresh refused after unpairing (expected)',
      (s) => {
        s.call('oauth.token', 200, { grantType: 'authorization_code' });
        s.action('unpair');
        s.call('oauth.token', 400, { grantType: 'refresh_token', error: 'invalid_grant' });
      },
      'not_run',
    ],
    ['withdrawal-stops', 'no action', (s) => s.call('fhir.search', 401, {}), 'not_run'],
    [
      'withdrawal-stops',
      'one 401 then nothing',
      (s) => {
        s.call('fhir.search', 200, {});
        s.action('unpair');
        s.call('fhir.push', 401, {});
      },
      'passed',
    ],
    [
      'withdrawal-stops',
      'two 401',
      (s) => {
        s.action('unpair');
        s.call('fhir.push', 401, {});
        s.call('documents.search', 401, {});
      },
      'failed',
    ],
    ['push-accepted-per-category', 'no push', () => {}, 'not_run'],
    ['push-accepted-per-category', 'accepted', (s) => push(s, 201, 'a'), 'passed'],
    ['push-accepted-per-category', 'only invalid', (s) => push(s, 422, 'a'), 'failed'],
    [
      'push-accepted-per-category',
      'one category of two',
      (s) => push(s, 201, 'a'),
      'not_run',
      { measureWriteCategories: ['tension', 'poids'] },
    ],
    [
      'push-accepted-per-category',
      'nothing declared for writing',
      (s) => push(s, 201, 'a'),
      'not_run',
      { measureWriteCategories: [] },
    ],
    ['no-blind-retry', 'no 422', (s) => push(s, 201, 'a'), 'not_run'],
    [
      'no-blind-retry',
      '422 then a changed payload',
      (s) => {
        push(s, 422, 'a');
        push(s, 201, 'b');
      },
      'passed',
    ],
    [
      'no-blind-retry',
      '422 then the same payload',
      (s) => {
        push(s, 422, 'a');
        push(s, 201, 'a');
      },
      'failed',
    ],
    ['read-last', 'nothing', () => {}, 'not_run'],
    [
      'read-last',
      'last of a pushed code',
      (s) => {
        push(s, 201, 'a');
        s.call('fhir.search', 200, { mode: 'last', code: '8480-6' });
      },
      'passed',
    ],
    [
      'read-last',
      'last of a code never pushed',
      (s) => {
        push(s, 201, 'a');
        s.call('fhir.search', 200, { mode: 'last', code: '29463-7' });
      },
      'not_run',
    ],
    [
      'read-last',
      'refused last search',
      (s) => s.call('fhir.search', 400, { mode: 'last', code: '8480-6' }),
      'failed',
    ],
    ['count-limits', 'no search', () => {}, 'not_run'],
    [
      'count-limits',
      'all within the limit',
      (s) => s.call('fhir.search', 200, { mode: 'all', count: 50 }),
      'passed',
    ],
    [
      'count-limits',
      '_count over 100 refused',
      (s) => {
        s.call('fhir.search', 200, { mode: 'all', count: 50 });
        s.call('fhir.search', 400, { mode: 'invalid', count: 500 });
      },
      'failed',
    ],
    ['consent-withdrawn', 'no action', (s) => push(s, 403, 'a'), 'not_run'],
    [
      'consent-withdrawn',
      'no push after',
      (s) => {
        s.action('withdraw-consent', { category: 'tension' });
      },
      'not_run',
    ],
    [
      'consent-withdrawn',
      'one 403 then stop',
      (s) => {
        s.action('withdraw-consent', { category: 'tension' });
        push(s, 403, 'a');
      },
      'passed',
    ],
    [
      'consent-withdrawn',
      'keeps pushing',
      (s) => {
        s.action('withdraw-consent', { category: 'tension' });
        push(s, 403, 'a');
        push(s, 403, 'b');
      },
      'failed',
    ],
    ['documents-provide', 'nothing', () => {}, 'not_run'],
    [
      'documents-provide',
      'accepted',
      (s) => s.call('documents.provide', 200, { outcome: 'accepted', bodySha256: 'x' }),
      'passed',
    ],
    [
      'documents-provide',
      'invalid',
      (s) => s.call('documents.provide', 422, { outcome: 'invalid', bodySha256: 'x' }),
      'failed',
    ],
    ['documents-search', 'nothing', () => {}, 'not_run'],
    ['documents-search', 'found', (s) => s.call('documents.search', 200), 'passed'],
    ['documents-search', 'refused', (s) => s.call('documents.search', 400), 'failed'],
    ['documents-retrieve', 'nothing', () => {}, 'not_run'],
    ['documents-retrieve', 'refused', (s) => s.call('documents.retrieve', 400, {}), 'failed'],
    [
      'documents-retrieve',
      'retrieved',
      (s) => s.call('documents.retrieve', 200, { resourceType: 'Binary' }),
      'passed',
    ],
  ];
  for (const [name, what, build, expected, over] of cases) {
    it(`${name}: ${what} → ${expected}`, () => {
      const s = new Script();
      build(s);
      assert.equal(check(name, s, facts(over), name === 'count-limits' ? { maxCount: 100 } : {}), expected);
    });
  }

  it('has a case of each status for every evaluator', () => {
    for (const name of Object.keys(CHECKS)) {
      const seen = new Set(cases.filter((c) => c[0] === name).map((c) => c[3]));
      assert.ok(seen.has('not_run') && seen.has('passed'), name);
      assert.ok(seen.has('failed'), name);
    }
  });
});

describe('evaluate (properties)', () => {
  const kinds = [
    'oauth.authorize',
    'oauth.token',
    'fhir.push',
    'fhir.search',
    'fhir.read',
    'fhir.other',
    'documents.provide',
    'documents.search',
    'documents.retrieve',
  ];
  const factsArb = fc.record(
    {
      pkce: fc.constantFrom('S256', 'plain', null),
      grantType: fc.constantFrom('authorization_code', 'refresh_token', 'client_credentials'),
      category: fc.constantFrom('tension', 'poids', undefined),
      code: fc.constantFrom('8480-6', '29463-7'),
      bodySha256: fc.constantFrom('a', 'b', 'c'),
      outcome: fc.constantFrom('accepted', 'invalid', 'refused'),
      mode: fc.constantFrom('last', 'all', 'invalid'),
      count: fc.integer({ min: 0, max: 500 }),
      junk: fc.anything(),
    },
    { requiredKeys: [] },
  );
  const entry = fc.record({
    isAction: fc.boolean(),
    kind: fc.constantFrom(...kinds),
    status: fc.constantFrom(200, 201, 303, 400, 401, 403, 404, 422, 500),
    facts: factsArb,
    action: fc.constantFrom('unpair', 'withdraw-consent', 'refuse-next-push', 'other'),
    category: fc.constantFrom('tension', 'poids', undefined),
    at: fc.integer({ min: 0, max: 100 }),
  });

  it('gives every test of the session’s plans a status, and passes none without evidence', () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 40 }),
        fc.subarray(['pairing', 'mesures', 'documents']),
        (entries, planIds) => {
          const calls: RecordedCall[] = [];
          const actions: RecordedAction[] = [];
          for (const e of entries) {
            const at = new Date(T0 + e.at * 1000).toISOString();
            if (e.isAction)
              actions.push({
                id: actions.length + 1,
                at,
                action: e.action,
                detail: { category: e.category },
              });
            else
              calls.push({
                id: calls.length + 1,
                at,
                kind: e.kind,
                method: 'POST',
                path: '/fhir',
                status: e.status,
                ms: 1,
                facts: e.facts as Record<string, unknown>,
              });
          }
          const verdicts = evaluate(plans, facts({ plans: planIds }), calls, actions);
          assert.deepEqual(verdicts.map((v) => v.planId).sort(), [...planIds].sort());
          const ids = new Set(calls.map((c) => c.id));
          for (const v of verdicts) {
            const plan = plans.find((p) => p.id === v.planId);
            assert.deepEqual(
              v.tests.map((t) => t.testId),
              plan?.tests.map((t) => t.id),
            );
            assert.equal(v.status, planStatus(v.tests));
            for (const t of v.tests) {
              assert.ok(['passed', 'failed', 'not_run'].includes(t.status));
              assert.ok(t.reason.fr.length > 0 && t.reason.en.length > 0);
              if (t.status === 'passed')
                assert.ok(t.evidence.length > 0, `${t.testId} passed without evidence`);
              if (t.status === 'not_run') assert.equal(t.evidence.length, 0);
              for (const id of t.evidence) assert.ok(ids.has(id), `${t.testId} cites an unknown call`);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never passes the withdrawal tests after two refusals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), (refusals) => {
        const s = new Script();
        s.action('withdraw-consent', { category: 'tension' });
        for (let i = 0; i < refusals; i++) push(s, 403, `b${i}`);
        s.action('unpair');
        for (let i = 0; i < refusals; i++) s.call('fhir.search', 401, { mode: 'last' });
        assert.equal(check('consent-withdrawn', s), 'failed');
        assert.equal(check('withdrawal-stops', s), 'failed');
      }),
    );
  });
});
