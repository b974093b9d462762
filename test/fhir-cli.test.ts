import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { processIo, runValidate, type ValidateIo } from '../src/fhir/cli.ts';
import { ConfigError, loadConfig, loadFhirMaxResourceBytes } from '../src/platform/config.ts';
import { tempDir } from './helpers.ts';

/**
 * `mesref fhir validate`: most cases run in-process through `runValidate` with files in memory; a few spawn
 * the real command (process starts are slow).
 */

const BIN = join(import.meta.dirname, '..', 'bin', 'mesref.js');

/** A body weight as a publisher's service sends it to MES (Mesures de santé 3.1.1). */
const bodyWeight = {
  resourceType: 'Observation',
  meta: {
    profile: [
      'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition/mesures-fr-observation-body-weight',
    ],
  },
  status: 'final',
  category: [
    {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/observation-category',
          code: 'vital-signs',
          display: 'vital-signs',
        },
      ],
    },
  ],
  code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Poids corporel' }] },
  subject: { identifier: { system: 'urn:oid:2.999.1.1', value: 'idpe-0f6b2c1e' } },
  effectiveDateTime: '2026-11-20T08:15:00+01:00',
  valueQuantity: { value: 71.5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
};

const VALID = JSON.stringify(bodyWeight, null, 2);
const INVALID = '{"resourceType":"Observation"}';
const MALFORMED = '{\n  "resourceType": "Observation",\n  "status": \n}';

interface OutcomeJson {
  resourceType: string;
  issue: Array<{
    severity: string;
    code: string;
    details: { text: string; coding?: Array<{ code: string }> };
    expression?: string[];
    location?: string[];
    diagnostics?: string;
  }>;
}

const errorsOf = (outcome: OutcomeJson) =>
  outcome.issue.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');

/** Files in memory; `-` is standard input. Records what was read, and how much of it. */
function memoryIo(files: Record<string, string | Buffer>, env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '', reads: [] as Array<{ file: string; cap: number }> };
  const io: ValidateIo = {
    stdout: (text) => {
      out.stdout += text;
    },
    stderr: (text) => {
      out.stderr += text;
    },
    env,
    async read(file, cap) {
      out.reads.push({ file, cap });
      const content = files[file];
      if (content === undefined) {
        throw Object.assign(new Error(`ENOENT: no such file or directory, open '${file}'`), {
          code: 'ENOENT',
        });
      }
      const bytes = Buffer.from(content);
      return { bytes: bytes.subarray(0, cap), size: file === '-' ? undefined : bytes.length };
    },
  };
  return { io, out };
}

async function run(
  args: string[],
  files: Record<string, string | Buffer> = {},
  env: Record<string, string> = {},
) {
  const { io, out } = memoryIo(files, env);
  const code = await runValidate(args, io);
  // JSON output: every line is an OperationOutcome (text output and help have none).
  const outcomes = out.stdout
    .split('\n')
    .filter((line) => line.startsWith('{"resourceType"'))
    .map((line) => JSON.parse(line) as OutcomeJson);
  return { code, ...out, outcomes };
}

describe('mesref fhir validate (in-process)', () => {
  it('a valid body weight: one OperationOutcome without error, exit 0', async () => {
    const r = await run(['weight.json'], { 'weight.json': VALID });
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.outcomes.length, 1);
    assert.equal(r.outcomes[0].resourceType, 'OperationOutcome');
    assert.deepEqual(errorsOf(r.outcomes[0]), []);
    assert.equal(r.stderr, '');
  });

  it('an Observation with nothing but its type: errors with their expression, exit 1', async () => {
    const r = await run(['bare.json'], { 'bare.json': INVALID });
    assert.equal(r.code, 1);
    const errors = errorsOf(r.outcomes[0]);
    assert.ok(errors.length > 0);
    for (const issue of errors) {
      assert.ok(issue.expression?.[0]?.startsWith('Observation'), JSON.stringify(issue));
      assert.ok(issue.details.text.length > 0);
    }
  });

  it('one outcome per file, one per line, in the order of the arguments', async () => {
    const r = await run(['a.json', 'b.json', 'c.json'], {
      'a.json': VALID,
      'b.json': INVALID,
      'c.json': VALID,
    });
    assert.equal(r.code, 1);
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 3);
    assert.deepEqual(
      r.outcomes.map((o) => errorsOf(o).length > 0),
      [false, true, false],
    );
  });

  it('malformed JSON, an empty file, absurd nesting: an error outcome each, never a crash', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const deepObject = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const r = await run(['bad.json', 'empty.json', 'blank.json', 'deep.json', 'deep-object.json'], {
      'bad.json': MALFORMED,
      'empty.json': '',
      'blank.json': ' \n\t\n',
      'deep.json': deep,
      'deep-object.json': deepObject,
    });
    assert.equal(r.code, 1);
    assert.equal(r.outcomes.length, 5);
    for (const outcome of r.outcomes) assert.ok(errorsOf(outcome).length > 0, JSON.stringify(outcome));
    // A syntax error says where it is.
    assert.ok(
      r.outcomes[0].issue.some((issue) => issue.location?.[0]?.match(/^Line\[\d+\] Col\[\d+\]$/)),
      JSON.stringify(r.outcomes[0]),
    );
  });

  it('a file over the size limit is refused with the validator’s issue, without being read whole', async () => {
    const big = JSON.stringify({ ...bodyWeight, note: [{ text: 'x'.repeat(5000) }] });
    const r = await run(['--max-bytes', '1000', 'big.json', 'small.json'], {
      'big.json': big,
      'small.json': VALID,
    });
    assert.equal(r.code, 1);
    assert.equal(r.reads[0].cap, 1001, 'asks for one byte more than the limit, no more');
    const [tooBig, small] = r.outcomes;
    assert.equal(tooBig.issue.length, 1);
    assert.equal(tooBig.issue[0].severity, 'fatal');
    assert.equal(tooBig.issue[0].code, 'too-long');
    assert.equal(tooBig.issue[0].details.coding?.[0].code, 'resource-too-large');
    assert.match(tooBig.issue[0].details.text, new RegExp(String(Buffer.byteLength(big))));
    assert.deepEqual(errorsOf(small), []);
  });

  it('takes the limit from MESREF_FHIR_MAX_BYTES, and refuses a wrong value of it', async () => {
    const limited = await run(['a.json'], { 'a.json': VALID }, { MESREF_FHIR_MAX_BYTES: '100' });
    assert.equal(limited.code, 1);
    assert.equal(limited.reads[0].cap, 101);
    const wrong = await run(['a.json'], { 'a.json': VALID }, { MESREF_FHIR_MAX_BYTES: 'beaucoup' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /MESREF_FHIR_MAX_BYTES/);
    assert.equal(wrong.stdout, '');
  });

  it('a file that cannot be read: said on stderr, an error outcome in its place, the others still checked', async () => {
    const r = await run(['missing.json', 'a.json'], { 'a.json': VALID });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /impossible de lire missing\.json : fichier introuvable/);
    assert.equal(r.outcomes.length, 2);
    assert.equal(r.outcomes[0].issue[0].code, 'not-found');
    assert.match(r.outcomes[0].issue[0].details.text, /n’a pas pu être lu/);
    assert.deepEqual(errorsOf(r.outcomes[1]), []);
  });

  it('reads standard input for "-"', async () => {
    const r = await run(['-'], { '-': VALID });
    assert.equal(r.code, 0);
    assert.equal(r.reads[0].file, '-');
    assert.deepEqual(errorsOf(r.outcomes[0]), []);
  });

  it('--ig-only leaves out the MES API rules (a missing meta.profile is an error only under them)', async () => {
    const { meta: _meta, ...withoutProfile } = bodyWeight;
    const files = { 'w.json': JSON.stringify(withoutProfile, null, 2) };
    const mes = await run(['w.json'], files);
    const ig = await run(['--ig-only', 'w.json'], files);
    assert.equal(mes.code, 1, 'the MES API requires meta.profile');
    assert.equal(ig.code, 0, JSON.stringify(ig.outcomes[0]));
    assert.ok(
      errorsOf(mes.outcomes[0]).some((issue) => issue.expression?.[0]?.startsWith('Observation.meta')),
    );
  });

  it('--format text: a header per file, one line per issue with file:line:col, and a summary', async () => {
    const r = await run(['--format', 'text', 'ok.json', 'bad.json'], {
      'ok.json': VALID,
      'bad.json': MALFORMED,
    });
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^ok\.json : valide/);
    assert.match(lines[1], /^bad\.json : \d+ erreurs?/);
    assert.match(lines[2], /^bad\.json:\d+:\d+ (error|fatal) \S+ — \S/);
    assert.equal(lines.at(-1), 'Bilan : 2 fichiers validé(s), 1 avec des erreurs.');
  });

  it('--format text --lang en: in English; MES’s own answer under its issue', async () => {
    const { meta: _meta, ...withoutProfile } = bodyWeight;
    const r = await run(['--format=text', '--lang', 'en', 'w.json'], {
      'w.json': JSON.stringify(withoutProfile, null, 2),
    });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^w\.json: \d+ errors?/);
    assert.match(r.stdout, /Summary: 1 file validated, 1 with errors\./);
    // The MES API rules carry the text MES itself answers.
    assert.match(r.stdout, /\n {4}MES: .+/);
  });

  it('json in French by default, in English with --lang en', async () => {
    const fr = await run(['x.json'], { 'x.json': INVALID });
    const en = await run(['--lang', 'en', 'x.json'], { 'x.json': INVALID });
    assert.equal(fr.outcomes[0].issue.length, en.outcomes[0].issue.length);
    assert.notEqual(fr.outcomes[0].issue[0].details.text, en.outcomes[0].issue[0].details.text);
    assert.deepEqual(
      fr.outcomes[0].issue.map((i) => i.details.coding?.[0].code),
      en.outcomes[0].issue.map((i) => i.details.coding?.[0].code),
    );
  });

  it('usage errors exit 2 and say what is wrong; --help exits 0', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--frmat', 'text', 'a.json'], /option inconnue : --frmat/],
      [[], /aucun fichier/],
      [['--format', 'xml', 'a.json'], /--format vaut json ou text/],
      [['--format'], /option mal formée/],
      [['--lang', 'de', 'a.json'], /--lang vaut fr ou en/],
      [['--max-bytes', '12k', 'a.json'], /--max-bytes/],
      [['--max-bytes', '0', 'a.json'], /--max-bytes/],
      [['--ig-only=yes', 'a.json'], /option mal formée/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args, { 'a.json': VALID });
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message, args.join(' '));
      assert.match(r.stderr, /Usage : mesref fhir validate/);
      assert.equal(r.stdout, '');
    }
    const english = await run(['--lang', 'en']);
    assert.equal(english.code, 2);
    assert.match(english.stderr, /no file to validate/);
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--ig-only/);
    assert.match(help.stdout, /Codes de sortie/);
  });
});

describe('mesref fhir validate: real files', () => {
  const dir = tempDir('mesref-fhir-cli-');
  after(() => dir.remove());

  it('reads files from disk; one over the limit is not read beyond it; a folder is unreadable', async () => {
    const valid = join(dir.path, 'weight.json');
    const big = join(dir.path, 'big.json');
    writeFileSync(valid, VALID);
    writeFileSync(big, ' '.repeat(50_000));
    const out = { stdout: '', stderr: '' };
    const io: ValidateIo = {
      ...processIo(),
      stdout: (text) => {
        out.stdout += text;
      },
      stderr: (text) => {
        out.stderr += text;
      },
      env: {},
    };
    const code = await runValidate(['--max-bytes', '1000', valid, big, dir.path], io);
    assert.equal(code, 1);
    const outcomes = out.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as OutcomeJson);
    assert.deepEqual(errorsOf(outcomes[0]), []);
    // The size comes from the file system: the file is refused unread.
    assert.match(outcomes[1].issue[0].details.text, /50000/);
    assert.equal(outcomes[2].issue[0].severity, 'fatal');
    assert.match(out.stderr, /c’est un dossier/);
  });
});

describe('MESREF_FHIR_MAX_BYTES', () => {
  it('is 5 MiB by default, read and checked like the other numeric settings', () => {
    const base = { MESREF_MODE: 'sandbox' };
    assert.equal(loadConfig(base).fhirMaxResourceBytes, 5 * 1024 * 1024);
    assert.equal(loadConfig({ ...base, MESREF_FHIR_MAX_BYTES: '1048576' }).fhirMaxResourceBytes, 1048576);
    for (const wrong of ['0', '-1', '5MB', '1e6', '999999999999']) {
      assert.throws(
        () => loadConfig({ ...base, MESREF_FHIR_MAX_BYTES: wrong }),
        (error: unknown) =>
          error instanceof ConfigError && error.problems.some((p) => p.startsWith('MESREF_FHIR_MAX_BYTES')),
        wrong,
      );
      assert.throws(() => loadFhirMaxResourceBytes({ MESREF_FHIR_MAX_BYTES: wrong }), ConfigError);
    }
    // The command reads this setting alone: a server setting it does not use never stops it.
    assert.equal(
      loadFhirMaxResourceBytes({ MESREF_MODE: 'production', MESREF_FHIR_MAX_BYTES: '2048' }),
      2048,
    );
  });
});

describe('mesref fhir validate (the real command)', () => {
  const dir = tempDir('mesref-fhir-bin-');
  let valid: string;
  let invalid: string;
  before(() => {
    valid = join(dir.path, 'weight.json');
    invalid = join(dir.path, 'bare.json');
    writeFileSync(valid, VALID);
    writeFileSync(invalid, INVALID);
  });
  after(() => dir.remove());

  function mesref(args: string[], stdin?: string) {
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    // Neither the database nor the server's settings are needed: these would make them fail.
    env.DATABASE_URL = 'postgres://nobody@127.0.0.1:1/none';
    env.DATA_DIR = join(dir.path, 'data');
    env.MESREF_MODE = 'production';
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdin.end(stdin ?? '');
    // A hang detector, not a speed check: a loaded 2-core machine has taken over a minute to start the command.
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      }),
    );
  }

  it('validates files without a database or a server configuration: NDJSON, exit 1 on an error', async () => {
    const r = await mesref(['fhir', 'validate', valid, invalid]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    const [first, second] = lines.map((line) => JSON.parse(line) as OutcomeJson);
    assert.deepEqual(errorsOf(first), []);
    assert.ok(errorsOf(second).length > 0);
    assert.equal(existsSync(join(dir.path, 'data')), false, 'no database was opened');
  });

  it('reads standard input, prints text, exits 0 when valid', async () => {
    const r = await mesref(['fhir', 'validate', '--format', 'text', '--lang', 'en', '-'], VALID);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^-: valid/);
    assert.match(r.stdout, /Summary: 1 file validated, 0 with errors\./);
  });

  it('exits 2 on a usage error', async () => {
    const r = await mesref(['fhir', 'validate', '--nope', valid]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /option inconnue : --nope/);
  });
});
