import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DataFileError } from '../platform/datafile.ts';
import { CHECKS } from './model.ts';
import { DEFAULT_PLANS_DIR, loadPlans, parsePlan } from './plans.ts';

const mesures = readFileSync(join(DEFAULT_PLANS_DIR, 'mesures.yaml'), 'utf8');

function refused(text: string): DataFileError {
  try {
    parsePlan(text, 'plan.yaml');
  } catch (error) {
    assert.ok(error instanceof DataFileError, String(error));
    return error;
  }
  assert.fail('the plan was accepted');
}

describe('connection-test plans', () => {
  it('loads the three plans, in the order sessions show them, each test with a known check', () => {
    const plans = loadPlans();
    assert.deepEqual(
      plans.map((p) => [p.id, p.requiredWhen]),
      [
        ['pairing', 'always'],
        ['mesures', 'measure-category'],
        ['documents', 'documents-category'],
      ],
    );
    assert.deepEqual(
      plans.flatMap((p) => p.tests.map((t) => t.id)),
      [
        'pairing.authorize-pkce',
        'pairing.refresh',
        'pairing.withdrawal-stops',
        'mesures.push-valid',
        'mesures.no-blind-retry',
        'mesures.read-last',
        'mesures.count-limits',
        'mesures.consent-withdrawn',
        'documents.provide',
        'documents.search',
        'documents.retrieve',
      ],
    );
    for (const test of plans.flatMap((p) => p.tests)) {
      assert.ok(Object.hasOwn(CHECKS, test.check), test.check);
      assert.ok(test.instructions.fr.length > 20 && test.instructions.en.length > 20, test.id);
    }
    const actions = plans.flatMap((p) => p.tests.flatMap((t) => (t.action ? [[t.id, t.action.id]] : [])));
    assert.deepEqual(actions, [
      ['pairing.withdrawal-stops', 'unpair'],
      ['mesures.no-blind-retry', 'refuse-next-push'],
      ['mesures.consent-withdrawn', 'withdraw-consent'],
    ]);
  });

  it('refuses a plan naming an unknown check, with its line', () => {
    const error = refused(mesures.replace('check: read-last', 'check: read-first'));
    assert.equal(error.problems.length, 1);
    const [problem] = error.problems;
    assert.equal(problem?.path, '/tests/2/check');
    assert.match(problem?.message ?? '', /unknown check read-first/);
    const line = mesures.split('\n').findIndex((l) => l.includes('check: read-last')) + 1;
    assert.equal(problem?.line, line);
    assert.match(error.message, /plan\.yaml:\d+ \/tests\/2\/check — unknown check read-first/);
  });

  it('refuses a plan missing a translation', () => {
    const text = mesures.replace(
      'title: { fr: "Lecture de la dernière mesure", en: "Read the last measure" }',
      'title: { fr: "Lecture de la dernière mesure" }',
    );
    assert.notEqual(text, mesures);
    const error = refused(text);
    assert.ok(
      error.problems.some((p) => p.path === '/tests/2/title/en'),
      JSON.stringify(error.problems),
    );
  });

  it('refuses an unknown action, a test id outside its plan and a repeated one', () => {
    assert.ok(
      refused(mesures.replace('id: refuse-next-push', 'id: delete-everything')).problems.some((p) =>
        p.path.startsWith('/tests/1/action/id'),
      ),
    );
    const ids = refused(mesures.replace('id: mesures.read-last', 'id: pairing.read-last')).problems;
    assert.deepEqual(
      ids.map((p) => p.message),
      ['test id must start with mesures.'],
    );
    const twice = refused(mesures.replace('id: mesures.read-last', 'id: mesures.push-valid')).problems;
    assert.deepEqual(
      twice.map((p) => p.message),
      ['duplicate test id mesures.push-valid'],
    );
  });

  it('refuses a folder where two files declare the same plan, naming both problems at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesref-plans-'));
    try {
      writeFileSync(join(dir, 'a.yaml'), mesures);
      writeFileSync(join(dir, 'b.yaml'), mesures);
      writeFileSync(
        join(dir, 'c.yaml'),
        mesures.replace('check: count-limits', 'check: nope').replace('id: mesures', 'id: autre'),
      );
      assert.throws(
        () => loadPlans(dir),
        (e: unknown) =>
          e instanceof DataFileError &&
          e.problems.some((p) => p.message === 'duplicate plan id mesures') &&
          e.problems.some((p) => p.message.startsWith('unknown check nope')),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
