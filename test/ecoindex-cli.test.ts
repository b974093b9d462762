// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runEcoindex } from '../src/ecoscore/cli.ts';

/** `mesref ecoindex`: in-process through `runEcoindex`; one real process run at the end. */

const BIN = join(import.meta.dirname, '..', 'bin', 'mesref.js');

async function run(args: string[]) {
  const out = { stdout: '', stderr: '' };
  const code = await runEcoindex(args, {
    stdout: (text) => {
      out.stdout += text;
    },
    stderr: (text) => {
      out.stderr += text;
    },
  });
  return { code, ...out };
}

describe('mesref ecoindex (in-process)', () => {
  it('prints score, grade, gCO2e, water and the algorithm, in French by default', async () => {
    const r = await run(['--dom', '600', '--requests', '40', '--size-kb', '1024']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'EcoIndex : 61/100, note C',
        'Gaz à effet de serre : 1,78 gCO2e',
        'Eau : 2,67 cl',
        'Algorithme ecoindex-cnumr-2022, règle de note stricte (un score égal à un seuil prend la note inférieure : 80 est un B)',
        '',
      ].join('\n'),
    );
  });

  it('speaks English with --lang en', async () => {
    const r = await run(['--dom=693', '--requests=78', '--size-kb=2420', '--lang', 'en']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^EcoIndex: 44\/100, grade D\nGreenhouse gases: 2\.12 gCO2e\nWater: 3\.18 cl\n/);
  });

  it('gives JSON with --format json, the boundary rule applied (score 10 is a G)', async () => {
    const r = await run(['--dom', '2000', '--requests', '200', '--size-kb', '5000', '--format', 'json']);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), {
      input: { dom: 2000, requests: 200, sizeKb: 5000 },
      score: 10,
      grade: 'G',
      ghgGco2e: 2.8,
      waterCl: 4.2,
      algorithm: 'ecoindex-cnumr-2022',
      gradeRule: 'strict',
      colour: '#ED2124',
    });
  });

  it('accepts decimals (medians of several runs)', async () => {
    const r = await run(['--dom', '476', '--requests', '0', '--size-kb', '0.0', '--format', 'json']);
    assert.deepEqual([JSON.parse(r.stdout).score, JSON.parse(r.stdout).grade], [80, 'B']);
  });

  const usageErrors: Array<[string, string[], RegExp]> = [
    ['a missing measure', ['--dom', '1', '--requests', '2'], /--size-kb manque/],
    ['a negative measure', ['--dom', '-1', '--requests', '2', '--size-kb', '3'], /--dom : « -1 »/],
    ['a negative measure with =', ['--dom=-1', '--requests', '2', '--size-kb', '3'], /--dom : « -1 »/],
    ['not a number', ['--dom', 'NaN', '--requests', '2', '--size-kb', '3'], /--dom : « NaN »/],
    [
      'an unknown option',
      ['--dom', '1', '--requests', '2', '--size-kb', '3', '--url', 'x'],
      /option refusée/,
    ],
    ['a positional argument', ['page.html'], /option refusée/],
    ['an unknown format', ['--dom', '1', '--requests', '2', '--size-kb', '3', '--format', 'csv'], /--format/],
    ['an unknown language', ['--dom', '1', '--requests', '2', '--size-kb', '3', '--lang', 'de'], /--lang/],
  ];
  for (const [name, args, message] of usageErrors) {
    it(`exits 2 on ${name}, with the usage line`, async () => {
      const r = await run(args);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.match(r.stderr, /usage : mesref ecoindex --dom N/);
    });
  }

  it('words a usage error in English when asked', async () => {
    const r = await run(['--lang', 'en', '--dom', '1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--requests is missing\nusage: mesref ecoindex/);
  });

  it('shows its help', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--size-kb N +taille transférée en Ko/);
  });
});

describe('mesref ecoindex (real process)', () => {
  function mesref(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('runs without a database and exits with its code', async () => {
    const ok = await mesref([
      'ecoindex',
      '--dom',
      '240',
      '--requests',
      '20',
      '--size-kb',
      '500',
      '--format',
      'json',
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual([JSON.parse(ok.stdout).score, JSON.parse(ok.stdout).grade], [82, 'A']);
    const usage = await mesref(['ecoindex', '--dom', '240']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--requests manque/);
  });
});
