// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DataFileError } from '../platform/datafile.ts';
import {
  coefficientsOf,
  DEVICES,
  loadMethod,
  methodTables,
  parseMethod,
  SHIPPED_METHOD_FILE,
} from './method.ts';

const DOC = new URL('../../docs/ecoscore.md', import.meta.url);
const shippedText = readFileSync(SHIPPED_METHOD_FILE, 'utf8');

function problems(text: string): string[] {
  try {
    parseMethod(text, 'method.yaml');
  } catch (error) {
    assert.ok(error instanceof DataFileError, String(error));
    return error.problems.map((p) => `${p.line} ${p.path} ${p.message}`);
  }
  assert.fail('the method was accepted');
}

describe('the mesref écoscore method (method.yaml)', () => {
  const method = loadMethod();

  it('is version 1 and says plainly it is not the official écoscore', () => {
    assert.equal(method.id, 'mesref-ecoscore-v1');
    assert.match(
      method.statement.fr,
      /méthode ouverte.*description publique.*n’est pas l’écoscore officiel/s,
    );
    assert.match(method.statement.en, /open method.*public description.*not the official écoscore/s);
  });

  it('has the device profiles of the issue', () => {
    const p = method.devices;
    assert.deepEqual(p.smartphone.viewport, { width: 360, height: 800 });
    assert.equal(p.smartphone.cpuSlowdown, 4);
    assert.equal(p.smartphone.network.name, '4G');
    assert.deepEqual(
      DEVICES.map((d) => p[d].lifetimeYears),
      [2, 3.5, 5],
    );
  });

  it('gives every coefficient a value, a unit, and a named source or the reasoning of an assumption', () => {
    for (const device of DEVICES) {
      for (const { name, coefficient } of coefficientsOf(method, device)) {
        assert.ok(coefficient.value > 0, `${device} ${name}`);
        assert.ok(['public', 'assumption'].includes(coefficient.basis), `${device} ${name}`);
        assert.ok(coefficient.source.length > 10, `${device} ${name}`);
      }
    }
  });

  it('refuses thresholds where good is not below bad, with the line', () => {
    const text = shippedText.replace(
      'energy: { good: 1, bad: 6, unit: mWh }',
      'energy: { good: 6, bad: 6, unit: mWh }',
    );
    assert.notEqual(text, shippedText);
    const line = text.split('\n').findIndex((l) => l.includes('good: 6, bad: 6')) + 1;
    assert.deepEqual(problems(text), [
      `${line} /devices/smartphone/thresholds/energy good must be below bad`,
    ]);
  });

  it('refuses a coefficient without its basis, with the line', () => {
    const text = shippedText.replace(
      '  basis: public\n  source: >-\n    Sustainable',
      '  source: >-\n    Sustainable',
    );
    assert.notEqual(text, shippedText);
    const [problem] = problems(text);
    assert.match(problem, /^\d+ \/networkEnergy\/basis /);
  });

  it('is shown as it is in docs/ecoscore.md', () => {
    const doc = readFileSync(DOC, 'utf8');
    const start = doc.indexOf('<!-- method:start -->\n');
    const end = doc.indexOf('<!-- method:end -->');
    assert.ok(start >= 0 && end > start, 'docs/ecoscore.md has the method markers');
    const shown = doc.slice(start + '<!-- method:start -->\n'.length, end);
    assert.equal(shown, methodTables(method), 'update docs/ecoscore.md from methodTables(loadMethod())');
  });
});
