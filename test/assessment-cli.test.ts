// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseAnswersFile } from '../src/assessment/answers-file.ts';
import { type CheckIo, runCheck } from '../src/assessment/cli.ts';
import { loadReferentials, parseReferentials } from '../src/referential/files.ts';
import { tempDir } from './helpers.ts';

/**
 * `mesref check`: in-process through `runCheck`, on real files in a temporary folder and on two small
 * versions the tests control (official test-v1, demonstration test-v2); one real process run at the end.
 */

const BIN = join(import.meta.dirname, '..', 'bin', 'mesref.js');

const criterion = (id: string, rubrique: string, theme: string, level: string, extra = '') => `
  - id: ${id}
    rubrique: ${rubrique}
    theme: ${theme}
    part: base
    level: ${level}
    title: { fr: Titre ${id}, en: Title ${id} }
    requirement: { fr: Exigence ${id}., en: Requirement ${id}. }
    evidence: [document]
    guidance: { fr: Conseil ${id}., en: Guidance ${id}. }
    source: Source ${id}${extra}`;

const V1 = `
id: test-v1
title: { fr: Référentiel d’essai v1, en: Test framework v1 }
status: official
legalSource: { text: Arrêté d’essai, date: '2022-06-23' }
effectiveDate: '2022-07-05'
rubriques:
  - id: urbanisation
    title: { fr: Urbanisation, en: Urbanisation }
    themes: [{ id: hebergement, title: { fr: Hébergement, en: Hosting } }]
  - id: securite
    title: { fr: Sécurité, en: Security }
    themes: [{ id: echange-donnees, title: { fr: Échange de données, en: Data exchange } }]
  - id: ethique
    title: { fr: Éthique, en: Ethics }
    themes: [{ id: eco-conception, title: { fr: Éco-conception, en: Eco-design } }]
questionnaire:
  - id: echange_donnees
    type: boolean
    label: { fr: Échange de données ?, en: Data exchange? }
  - id: donnees_sante
    type: boolean
    label: { fr: Données de santé conservées ?, en: Health data kept? }
criteria:${criterion('URB 01', 'urbanisation', 'hebergement', 'obligatoire', '\n    appliesWhen: { question: donnees_sante, equals: true }')}${criterion('SED 01', 'securite', 'echange-donnees', 'obligatoire', '\n    appliesWhen: { question: echange_donnees, equals: true }')}${criterion('ETH 32', 'ethique', 'eco-conception', 'obligatoire')}${criterion('ETH 33', 'ethique', 'eco-conception', 'optionnel')}
`;

const V2 = `
id: test-v2
title: { fr: Référentiel d’essai v2, en: Test framework v2 }
status: demonstration
legalSource: { text: Arrêté d’essai modificatif, date: '2023-10-23' }
effectiveDate: '2023-10-31'
basedOn: test-v1
criteria:${criterion('ETH 40', 'ethique', 'eco-conception', 'obligatoire')}
`;

const referentials = parseReferentials([
  { file: 'test-v1.yaml', text: V1 },
  { file: 'test-v2.yaml', text: V2 },
]);

const dir = tempDir('mesref-check-');
after(() => dir.remove());
mkdirSync(join(dir.path, 'preuves'));
writeFileSync(join(dir.path, 'preuves', 'ecoscore.pdf'), '%PDF-1.4');

/** Real files, captured output, and the test versions (or the shipped ones). */
function io(shipped = false) {
  const out = { stdout: '', stderr: '' };
  const checkIo: CheckIo = {
    stdout: (text) => {
      out.stdout += text;
    },
    stderr: (text) => {
      out.stderr += text;
    },
    readText: (file) => readFile(file, 'utf8'),
    writeText: (file, text, overwrite) => writeFile(file, text, { flag: overwrite ? 'w' : 'wx' }),
    referentials: () => (shipped ? loadReferentials() : referentials),
  };
  return { checkIo, out };
}

async function check(args: string[], shipped = false) {
  const { checkIo, out } = io(shipped);
  const code = await runCheck(args, checkIo);
  return { code, ...out };
}

let count = 0;
function answersFile(text: string): string {
  const path = join(dir.path, `reponses-${++count}.yaml`);
  writeFileSync(path, text);
  return path;
}

const READY = `referential: test-v1
service: Mon Appli iOS Mobile
orientation:
  echange_donnees: false
  donnees_sante: true
answers:
  "URB 01":
    status: conforme
    evidence:
      - url: https://exemple.fr/certificat-hds
  "ETH 32":
    status: conforme
    evidence:
      - file: preuves/ecoscore.pdf
`;

const GAPS = `referential: test-v2
orientation:
  echange_donnees: true
  donnees_sante: true
answers:
  "URB 01":
    status: conforme
  "SED 01":
    status: non-conforme
    justification: Tests d’accrochage à planifier.
    targetDate: 2025-06-30
  "ETH 32":
    status: conforme
    evidence: [{ text: B }]
`;

describe('mesref check (in-process)', () => {
  it('a ready service: exit 0, progress per rubrique and no gap', async () => {
    const r = await check([answersFile(READY)]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Référentiel : Référentiel d’essai v1 \[test-v1\]/);
    assert.doesNotMatch(r.stdout, /démonstration/);
    assert.match(r.stdout, /Service : Mon Appli iOS Mobile/);
    assert.match(r.stdout, /Orientation : complète/);
    assert.match(r.stdout, /Critères applicables : 3, dont 2 obligatoire\(s\) ; 1 non applicable\(s\)/);
    assert.match(r.stdout, /Urbanisation\s+\[█{20}\] 1\/1 {2}obligatoires 1\/1/);
    assert.match(r.stdout, /Sécurité\s+\[·{20}\] aucun critère applicable/);
    assert.match(r.stdout, /Éthique\s+\[█{10}░{10}\] 1\/2 {2}obligatoires 1\/1/);
    assert.match(r.stdout, /· \[optionnel\] ETH 33 — Titre ETH 33\n {8}sans réponse ; sans date cible/);
    assert.match(r.stdout, /Résultat : PRÊT/);
    assert.equal(r.stderr, '');
  });

  it('gaps: exit 1, each gap under its rubrique with its line, the demonstration notice', async () => {
    const file = answersFile(GAPS);
    const r = await check([file]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /⚠ Version de démonstration/);
    assert.match(r.stdout, /Écarts : 4, dont 3 bloquant\(s\)/);
    const urbanisation = r.stdout.indexOf('  Urbanisation\n');
    const securite = r.stdout.indexOf('  Sécurité\n');
    assert.ok(urbanisation > 0 && securite > urbanisation, r.stdout);
    assert.match(
      r.stdout,
      new RegExp(
        `✗ \\[bloquant\\] URB 01 — Titre URB 01 {2}\\(${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6\\)\\n {8}conforme sans preuve \\(attendues : document\\) ; sans date cible`,
      ),
    );
    assert.match(
      r.stdout,
      /✗ \[bloquant\] SED 01 — Titre SED 01 .*:8\)\n {8}non conforme ; date cible 2025-06-30/,
    );
    assert.match(r.stdout, /✗ \[bloquant\] ETH 40 — Titre ETH 40\n {8}sans réponse/);
    assert.match(
      r.stdout,
      /Résultat : PAS PRÊT — 3 écart\(s\) bloquant\(s\), 0 question\(s\) d’orientation sans réponse\./,
    );
  });

  it('in English', async () => {
    const r = await check([answersFile(GAPS), '--lang', 'en']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /⚠ Demonstration version/);
    assert.match(r.stdout, /Gaps: 4, 3 of them blocking/);
    assert.match(r.stdout, /conforme without evidence \(expected: document\); no target date/);
    assert.match(r.stdout, /Result: NOT READY/);
  });

  it('--format json: a stable document', async () => {
    const file = answersFile(GAPS);
    const r = await check([file, '--format', 'json']);
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(doc), [
      'tool',
      'formatVersion',
      'file',
      'valid',
      'ready',
      'referential',
      'service',
      'orientation',
      'counts',
      'rubriques',
      'gaps',
      'warnings',
      'problems',
    ]);
    assert.equal(doc.tool, 'mesref check');
    assert.equal(doc.formatVersion, 1);
    assert.equal(doc.valid, true);
    assert.equal(doc.ready, false);
    assert.deepEqual(doc.referential, {
      id: 'test-v2',
      title: 'Référentiel d’essai v2',
      status: 'demonstration',
      demonstration: true,
      legalSource: { text: 'Arrêté d’essai modificatif', date: '2023-10-23' },
    });
    assert.deepEqual(doc.counts, {
      applicable: 5,
      mandatory: 4,
      answered: 3,
      ready: 1,
      blocking: 3,
      notApplicable: 0,
    });
    assert.deepEqual(
      doc.rubriques.map((r: { rubrique: string; applicable: number; ready: number }) => [
        r.rubrique,
        r.applicable,
        r.ready,
      ]),
      [
        ['urbanisation', 1, 0],
        ['interoperabilite', 0, 0],
        ['securite', 1, 0],
        ['ethique', 3, 1],
      ],
    );
    assert.deepEqual(
      doc.gaps.map((g: { criterion: string; blocking: boolean; state: string; line: number | null }) => [
        g.criterion,
        g.blocking,
        g.state,
        g.line,
      ]),
      [
        ['URB 01', true, 'no-evidence', 6],
        ['SED 01', true, 'non-conforme', 8],
        ['ETH 40', true, 'unanswered', null],
        ['ETH 33', false, 'unanswered', null],
      ],
    );
    assert.equal(doc.gaps[1].targetDate, '2025-06-30');
  });

  it('--format junit: one test case per applicable criterion, a failure for each blocking gap', async () => {
    const r = await check([answersFile(GAPS), '--format', 'junit']);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="mesref check [^"]+" tests="6" failures="3" errors="0">/,
    );
    assert.equal((r.stdout.match(/<testcase /g) ?? []).length, 6);
    assert.equal((r.stdout.match(/<failure /g) ?? []).length, 3);
    assert.match(
      r.stdout,
      /<testcase classname="mesref.securite" name="SED 01 — Titre SED 01" file="[^"]+" line="8">\n {6}<failure message="non conforme" type="non-conforme">Exigence SED 01\.\ndate cible 2025-06-30<\/failure>/,
    );
    assert.match(
      r.stdout,
      /<testcase classname="mesref.ethique" name="ETH 32 — Titre ETH 32" file="[^"]+" line="\d+">\n {4}<\/testcase>/,
    );
    assert.match(r.stdout, /<property name="referential.status" value="demonstration"\/>/);
    assert.match(r.stdout, /<testsuite name="orientation" tests="1" failures="0"/);
  });

  it('an unanswered orientation keeps the service from being ready, even with every criterion answered', async () => {
    const text = READY.replace('  echange_donnees: false\n', '');
    const r = await check([answersFile(text), '--format', 'junit']);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /<failure message="1 question\(s\) sans réponse : echange_donnees" type="orientation">/,
    );
  });

  it('an invalid file: every problem with its line on standard error, exit 2', async () => {
    const file = answersFile(
      'orientation:\n  donnees_sante: oui\nanswers:\n  "ETH 32":\n    status: fait\n    targetDate: 31/12/2025\n',
    );
    const r = await check([file]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 4, r.stderr);
    assert.match(
      lines[0],
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2 /orientation/donnees_sante — `),
    );
    assert.match(lines[1], /:5 \/answers\/ETH 32\/status — statut inconnu « fait »/);
    assert.match(lines[2], /:6 \/answers\/ETH 32\/targetDate — date invalide/);
    assert.match(lines[3], /fichier de réponses invalide, 3 problème\(s\)/);
  });

  it('an invalid file in JSON and JUnit: the problems in the document too', async () => {
    const file = answersFile('answers:\n  "ETH 99": {}\n');
    const json = await check([file, '--format', 'json']);
    assert.equal(json.code, 2);
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.valid, false);
    assert.deepEqual(
      doc.problems.map((p: { line: number; path: string }) => [p.line, p.path]),
      [[2, '/answers/ETH 99']],
    );
    const junit = await check([file, '--format', 'junit']);
    assert.equal(junit.code, 2);
    assert.match(junit.stdout, /<testsuites name="[^"]+" tests="1" failures="0" errors="1">/);
    assert.match(junit.stdout, /<error message="critère inconnu « ETH 99 » dans test-v2" type="invalid"\/>/);
  });

  it('file evidence is looked for next to the answers file', async () => {
    const missing = READY.replace('preuves/ecoscore.pdf', 'preuves/absente.pdf');
    const r = await check([answersFile(missing)]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /:14 \/answers\/ETH 32\/evidence\/0\/file — fichier de preuve introuvable : preuves\/absente.pdf/,
    );
  });

  it('--referential wins over the file, with a warning', async () => {
    const r = await check([answersFile(READY), '--referential', 'test-v2', '--format', 'json']);
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.referential.id, 'test-v2');
    assert.deepEqual(
      doc.warnings.map((w: { line: number; path: string }) => [w.line, w.path]),
      [[1, '/referential']],
    );
  });

  it('a file that cannot be read: exit 2', async () => {
    const r = await check([join(dir.path, 'absent.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /absent.yaml : lecture impossible \(ENOENT\)/);
  });

  // [arguments, message on standard error]
  const usage: [string[], RegExp][] = [
    [[], /un fichier de réponses, et un seul, est attendu/],
    [['a.yaml', 'b.yaml'], /un fichier de réponses, et un seul/],
    [['a.yaml', '--format', 'xml'], /format inconnu « xml »/],
    [['a.yaml', '--lang', 'de'], /langue inconnue « de »/],
    [
      ['a.yaml', '--referential', 'v9'],
      /version du référentiel inconnue « v9 » \(versions connues : test-v2, test-v1\)/,
    ],
    [['a.yaml', '--typology', 'avec-echange'], /--typology ne va qu’avec --init/],
    [['a.yaml', '--verbose'], /option inconnue : --verbose/],
    [['--init'], /--init demande --typology/],
    [['--init', '--typology', 'mixte'], /typologie inconnue « mixte »/],
    [['--init', '--typology', 'avec-echange', 'a.yaml'], /a.yaml ne va pas avec --init/],
    [['--init', '--typology', 'avec-echange', '--format', 'json'], /--format ne va pas avec --init/],
    [['--lang', 'en'], /one answers file, and only one, is expected/],
  ];
  for (const [args, message] of usage) {
    it(`usage error: ${args.join(' ') || '(no argument)'}`, async () => {
      const r = await check(args);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /mesref check (<réponses.yaml>|<answers.yaml>)/);
      assert.equal(r.stdout, '');
    });
  }

  it('--help: exit 0 with the options and exit codes', async () => {
    const r = await check(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--format text\|json\|junit/);
    assert.match(r.stdout, /Codes de sortie : 0 prêt, 1 écarts, 2 fichier invalide ou usage incorrect\./);
  });
});

describe('mesref check --init', () => {
  it('writes the template to standard output; checked as it is, it has gaps and no problem', async () => {
    const r = await check(['--init', '--typology', 'sans-echange']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^referential: test-v2$/m);
    assert.match(r.stdout, /^ {2}echange_donnees: false$/m);
    assert.doesNotMatch(r.stdout, /"SED 01"/);
    const checked = await check([answersFile(r.stdout)]);
    assert.equal(checked.code, 1, checked.stderr);
    assert.match(checked.stdout, /Orientation : 1 question\(s\) sans réponse — donnees_sante/);
  });

  it('-o writes a file, refuses to overwrite it, and --force replaces it', async () => {
    const output = join(dir.path, 'modele.yaml');
    const first = await check(['--init', '--typology', 'avec-echange', '-o', output]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, '');
    assert.match(first.stderr, /modèle écrit dans .*modele.yaml \(avec-echange, test-v2\)/);
    assert.match(readFileSync(output, 'utf8'), /^ {2}"SED 01":$/m);

    writeFileSync(output, 'mes réponses\n');
    const again = await check(['--init', '--typology', 'avec-echange', '-o', output]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /existe déjà : rien n’est écrit \(--force pour le remplacer\)/);
    assert.equal(readFileSync(output, 'utf8'), 'mes réponses\n');

    const forced = await check([
      '--init',
      '--typology',
      'sans-echange',
      '--referential',
      'test-v1',
      '-o',
      output,
      '--force',
    ]);
    assert.equal(forced.code, 0);
    assert.match(readFileSync(output, 'utf8'), /^referential: test-v1$/m);
  });

  it('the shipped versions: a template for each typology that the check reads without a problem', async () => {
    for (const typology of ['avec-echange', 'sans-echange']) {
      const r = await check(['--init', '--typology', typology], true);
      assert.equal(r.code, 0);
      const parsed = parseAnswersFile(r.stdout, 'modele.yaml', loadReferentials());
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
    }
  });
});

describe('mesref check (real process)', () => {
  it('reads the shipped versions and exits with the check’s code', async () => {
    const shipped = loadReferentials().newest();
    const file = answersFile(`referential: ${shipped.id}\norientation: {}\n`);
    const child = spawn(process.execPath, [BIN, 'check', file, '--format', 'json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 1, stderr);
    const doc = JSON.parse(stdout);
    assert.equal(doc.referential.id, shipped.id);
    assert.equal(doc.ready, false);
    assert.equal(doc.orientation.complete, false);
    assert.equal(doc.referential.demonstration, shipped.status === 'demonstration');
  });
});
