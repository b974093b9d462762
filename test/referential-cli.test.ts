/**
 * `mesref referential import` and `mesref referential diff`, run in-process through `runReferential` on a
 * copy of the shipped versions; two cases spawn the real command (process starts are slow).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { runReferential } from '../src/referential/cli.ts';
import { loadReferentials, SHIPPED_REFERENTIALS_DIR } from '../src/referential/files.ts';
import { UNTRANSLATED } from '../src/referential/import.ts';
import { tempDir } from './helpers.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'mesref.js');

const HEADERS = [
  'Identifiant',
  'Rubrique',
  'Thème',
  'Titre',
  'Titre (EN)',
  'Exigence',
  'Niveau',
  'Niveau cible',
  "Condition d'applicabilité",
  'Non applicable si',
  'Preuves attendues',
  'Aide',
  'Source',
];

/** Three valid rows: a known theme by its title, a known theme by its id, a theme the base does not have. */
const GOOD_ROWS = [
  [
    'URB 01',
    'Urbanisation',
    'Hébergement des données de santé',
    'Hébergement certifié HDS',
    'HDS-certified hosting',
    'Les données de santé DOIVENT être hébergées chez un hébergeur certifié HDS.',
    'Obligatoire',
    '',
    'donnees_sante=oui',
    '',
    'Document',
    'Joignez le certificat HDS.',
    'Code de la santé publique, L.1111-8',
  ],
  [
    'SEC 01',
    'Sécurité',
    'gouvernance',
    'Politique de sécurité; responsable désigné',
    '',
    'L’éditeur DOIT désigner un responsable de la sécurité.',
    'obligatoire',
    'Niveau 1 : responsable nommé\nNiveau 2 : PSSI publiée',
    'echange_donnees=oui ET dispositif_medical=non',
    'compte_usager=aucun',
    'document, déclaration',
    '',
    '',
  ],
  [
    'ETH 40',
    'Éthique',
    'Sobriété numérique',
    'Sobriété des mises à jour',
    '',
    'Le service DEVRAIT limiter la taille de ses mises à jour.',
    'Optionnel',
    '',
    '',
    '',
    'URL',
    'Indiquez la taille moyenne.',
    'RGESN',
  ],
];

function csvCell(value: string): string {
  return /[;"\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csv(rows: string[][], headers = HEADERS): string {
  return `${[headers, ...rows].map((row) => row.map(csvCell).join(';')).join('\n')}\n`;
}

async function xlsx(rows: string[][], sheetName = 'Critères'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Notes').addRow(['Annexe au référentiel']);
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(HEADERS);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const IMPORT_OPTIONS = [
  '--id',
  '2025-v3',
  '--title-fr',
  'Référentiel de référencement v3',
  '--legal-text',
  'Arrêté du 1er mars 2025',
  '--legal-date',
  '2025-03-01',
  '--effective-date',
  '2025-04-01',
];

describe('mesref referential', () => {
  let dir: ReturnType<typeof tempDir>;
  let versionsDir: string;

  beforeEach(() => {
    dir = tempDir('mesref-referential-');
    versionsDir = join(dir.path, 'referentials');
    // A copy of the shipped versions: imports write next to them.
    mkdirSync(versionsDir);
    for (const name of readdirSync(SHIPPED_REFERENTIALS_DIR)) {
      copyFileSync(join(SHIPPED_REFERENTIALS_DIR, name), join(versionsDir, name));
    }
  });
  afterEach(() => dir.remove());

  async function run(args: string[]): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const code = await runReferential(args, {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      readFile: (path) => readFile(path),
      env: { MESREF_REFERENTIALS_DIR: versionsDir },
      today: () => '2025-03-15',
    });
    return { code, stdout, stderr };
  }

  const write = (name: string, content: string | Buffer) => {
    const path = join(dir.path, name);
    writeFileSync(path, content);
    return path;
  };
  const filesIn = () => readdirSync(versionsDir).sort();

  describe('import', () => {
    it('imports a good CSV file into a new version that mesref loads', async () => {
      const result = await run(['import', write('annexe.csv', csv(GOOD_ROWS)), ...IMPORT_OPTIONS]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stdout,
        /version 2025-v3 écrite dans .*2025-v3\.yaml : 3 critère\(s\) dont 2 obligatoire\(s\)/,
      );
      assert.match(result.stdout, /thème\(s\) ajouté\(s\) : ethique\/sobriete-numerique/);
      assert.deepEqual(filesIn(), ['2022-v1.yaml', '2023-v2.yaml', '2025-v3.yaml']);

      const text = readFileSync(join(versionsDir, '2025-v3.yaml'), 'utf8');
      assert.match(
        text,
        /^# Référentiel de référencement v3 — imported by mesref on 2025-03-15 from annexe\.csv\./,
      );
      const version = loadReferentials(versionsDir).get('2025-v3');
      assert.ok(version);
      assert.equal(version.status, 'official');
      assert.equal(version.basedOn, undefined);
      assert.equal(version.title.en, `${UNTRANSLATED}Référentiel de référencement v3`);
      assert.equal(
        version.questionnaire.length,
        loadReferentials(versionsDir).get('2023-v2')?.questionnaire.length,
      );
      assert.deepEqual(
        version.criteria.map((c) => [c.id, c.rubrique, c.theme, c.level]),
        [
          ['URB 01', 'urbanisation', 'hebergement', 'obligatoire'],
          ['SEC 01', 'securite', 'gouvernance', 'obligatoire'],
          ['ETH 40', 'ethique', 'sobriete-numerique', 'optionnel'],
        ],
      );
      const [urb, sec, eth] = version.criteria;
      assert.equal(urb.title.en, 'HDS-certified hosting');
      assert.deepEqual(urb.appliesWhen, { question: 'donnees_sante', equals: true });
      assert.equal(sec.title.fr, 'Politique de sécurité; responsable désigné');
      assert.equal(sec.title.en, `${UNTRANSLATED}Politique de sécurité; responsable désigné`);
      assert.deepEqual(
        sec.targetLevels?.map((l) => l.fr),
        ['Niveau 1 : responsable nommé', 'Niveau 2 : PSSI publiée'],
      );
      assert.deepEqual(sec.appliesWhen, {
        all: [
          { question: 'echange_donnees', equals: true },
          { question: 'dispositif_medical', equals: false },
        ],
      });
      assert.deepEqual(sec.notApplicableWhen, { question: 'compte_usager', equals: 'aucun' });
      assert.deepEqual(sec.evidence, ['document', 'declaration']);
      assert.equal(sec.source, 'Arrêté du 1er mars 2025, annexe, critère SEC 01');
      assert.equal(sec.guidance.fr, 'Pas d’aide dans l’annexe pour ce critère.');
      assert.equal(eth.appliesWhen, undefined);
      assert.deepEqual(
        version.rubriques.find((r) => r.id === 'ethique')?.themes.find((t) => t.id === 'sobriete-numerique')
          ?.title,
        { fr: 'Sobriété numérique', en: `${UNTRANSLATED}Sobriété numérique` },
      );
    });

    it('imports a good XLSX workbook (its « Critères » sheet), based on a version whose other criteria it removes', async () => {
      const path = write('annexe.xlsx', await xlsx(GOOD_ROWS));
      const result = await run([
        'import',
        path,
        ...IMPORT_OPTIONS,
        '--title-en',
        'Referencing framework v3',
        '--based-on',
        '2023-v2',
        '--status',
        'demonstration',
      ]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /absents de l’annexe, retirés : .*INT 01/);
      const referentials = loadReferentials(versionsDir);
      const version = referentials.get('2025-v3');
      assert.ok(version);
      assert.equal(version.basedOn, '2023-v2');
      assert.equal(version.status, 'demonstration');
      assert.equal(version.title.en, 'Referencing framework v3');
      assert.deepEqual(
        version.criteria.map((c) => c.id),
        ['URB 01', 'SEC 01', 'ETH 40'],
      );
      assert.equal(referentials.newest().id, '2025-v3');
    });

    it('reports every bad row by line and column, and writes nothing', async () => {
      const bad = [
        GOOD_ROWS[0],
        ['URB 02', 'Urbanisme', 'x', 'Titre', '', 'Exigence', 'Obligatoire', '', '', '', 'document', '', ''],
        [
          'URB 03',
          'Urbanisation',
          'hebergement',
          '',
          '',
          'Exigence',
          'Obligatoir',
          '',
          '',
          '',
          'document',
          '',
          '',
        ],
        [
          'URB 04',
          'Urbanisation',
          'hebergement',
          'T',
          '',
          'E',
          'Obligatoire',
          '',
          'inconnue=oui',
          '',
          'document',
          '',
          '',
        ],
        [
          'URB 01',
          'Urbanisation',
          'hebergement',
          'T',
          '',
          'E',
          'Optionnel',
          '',
          '',
          'donnees_sante=non',
          'fax',
          '',
          '',
        ],
        GOOD_ROWS[2],
      ];
      const before = filesIn();
      const result = await run(['import', write('annexe.csv', csv(bad)), ...IMPORT_OPTIONS]);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /annexe\.csv : 7 erreur\(s\), aucun fichier écrit/);
      for (const expected of [
        /ligne 3, colonne B \(« Rubrique »\) : rubrique inconnue « Urbanisme »/,
        /ligne 4, colonne D \(« Titre »\) : cellule vide/,
        /ligne 4, colonne G \(« Niveau »\) : niveau inconnu « Obligatoir »/,
        /ligne 5, colonne I \(« Condition d'applicabilité »\) : condition invalide : question inconnue « inconnue »/,
        /ligne 6, colonne A \(« Identifiant »\) : identifiant URB 01 déjà utilisé ligne 2/,
        /ligne 6, colonne J \(« Non applicable si »\) : un critère optionnel peut toujours/,
        /ligne 6, colonne K \(« Preuves attendues »\) : preuve inconnue « fax »/,
      ]) {
        assert.match(result.stderr, expected);
      }
      assert.deepEqual(filesIn(), before, 'nothing written, no temporary file left');
    });

    it('refuses a malformed CSV file', async () => {
      const text = `${csv([GOOD_ROWS[0]])}URB 02;Urbanisation;"non fermé;x\n`;
      const result = await run(['import', write('annexe.csv', text), ...IMPORT_OPTIONS]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /CSV illisible : Quote Not Closed/);
      assert.deepEqual(filesIn(), ['2022-v1.yaml', '2023-v2.yaml']);
    });

    it('refuses a file that is not a workbook, and a sheet without the required columns', async () => {
      const garbage = await run([
        'import',
        write('annexe.xlsx', Buffer.from('not a zip at all')),
        ...IMPORT_OPTIONS,
      ]);
      assert.equal(garbage.code, 1);
      assert.match(garbage.stderr, /classeur XLSX illisible/);
      const columns = await run([
        'import',
        write('annexe.csv', 'Identifiant;Titre\nURB 01;Hébergement\n'),
        ...IMPORT_OPTIONS,
      ]);
      assert.equal(columns.code, 1);
      assert.match(columns.stderr, /ligne 1 : colonne obligatoire absente : « rubrique »/);
      assert.match(columns.stderr, /colonne obligatoire absente : « niveau »/);
      assert.deepEqual(filesIn(), ['2022-v1.yaml', '2023-v2.yaml']);
    });

    it('refuses an id that exists, a bad date and an unknown base', async () => {
      const path = write('annexe.csv', csv(GOOD_ROWS));
      const options = IMPORT_OPTIONS.map((value) => (value === '2025-v3' ? '2023-v2' : value));
      const taken = await run(['import', path, ...options]);
      assert.equal(taken.code, 1);
      assert.match(taken.stderr, /la version 2023-v2 existe déjà/);
      const dates = await run([
        'import',
        path,
        ...IMPORT_OPTIONS.map((value) => (value === '2025-04-01' ? '2025-02-30' : value)),
        '--based-on',
        'v0',
      ]);
      assert.equal(dates.code, 1);
      assert.match(dates.stderr, /--effective-date doit être une date AAAA-MM-JJ \(reçu « 2025-02-30 »\)/);
      assert.match(dates.stderr, /--based-on : version inconnue « v0 »/);
      assert.equal(
        readFileSync(join(versionsDir, '2023-v2.yaml'), 'utf8'),
        readFileSync(join(SHIPPED_REFERENTIALS_DIR, '2023-v2.yaml'), 'utf8'),
      );
    });

    it('answers usage errors with exit code 2', async () => {
      const path = write('annexe.csv', csv(GOOD_ROWS));
      for (const args of [
        ['import', path],
        ['import', write('annexe.ods', 'x'), ...IMPORT_OPTIONS],
        ['import', ...IMPORT_OPTIONS],
        ['import', path, ...IMPORT_OPTIONS, '--status', 'draft'],
        ['import', path, ...IMPORT_OPTIONS, '--unknown'],
        ['frobnicate'],
      ]) {
        const result = await run(args);
        assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
        assert.match(result.stderr, /mesref referential import/);
      }
      assert.deepEqual(filesIn(), ['2022-v1.yaml', '2023-v2.yaml']);
    });
  });

  describe('diff', () => {
    it('lists added, removed and changed criteria as text, with the demonstration notice', async () => {
      const result = await run(['diff', '2022-v1', '2023-v2']);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^De 2022-v1 à 2023-v2\n/);
      assert.match(
        result.stdout,
        /Version de démonstration — La version 2022-v1 n’est pas l’annexe officielle/,
      );
      assert.match(result.stdout, /Critères ajoutés \(17\)\n {2}\+ ETH 33/);
      assert.match(result.stdout, /\+ SED 01 — Appariement conforme à la spécification \[Obligatoire\]/);
      assert.match(
        result.stdout,
        /Critères retirés \(1\)\n {2}- INT 04 — Corps non structuré en PDF\/A \[Optionnel\]/,
      );
      assert.match(result.stdout, /Critères modifiés \(3\)/);
      assert.match(
        result.stdout,
        /~ INT 05 — API Mesures de santé\n(.*\n)* {6}niveau\n {8}2022-v1 : Optionnel\n {8}2023-v2 : Obligatoire/,
      );
    });

    it('speaks English with --lang en', async () => {
      const result = await run(['diff', '2022-v1', '2023-v2', '--lang', 'en']);
      assert.equal(result.code, 0);
      assert.match(result.stdout, /^From 2022-v1 to 2023-v2\n/);
      assert.match(result.stdout, /Criteria removed \(1\)/);
      assert.match(result.stdout, /level\n {8}2022-v1 : Optional\n {8}2023-v2 : Mandatory/);
    });

    it('gives the changed fields as JSON', async () => {
      const result = await run(['diff', '2022-v1', '2023-v2', '--format', 'json']);
      assert.equal(result.code, 0);
      const diff = JSON.parse(result.stdout);
      assert.equal(diff.from, '2022-v1');
      assert.equal(diff.added.length, 17);
      assert.deepEqual(
        diff.removed.map((c: { id: string }) => c.id),
        ['INT 04'],
      );
      assert.deepEqual(
        diff.changed.map((c: { id: string; fields: string[] }) => [c.id, c.fields]),
        [
          ['INT 01', ['requirement', 'guidance']],
          ['INT 05', ['requirement', 'level', 'guidance', 'source']],
          ['INT 06', ['requirement', 'level', 'guidance']],
        ],
      );
      assert.deepEqual(diff.status, { from: 'demonstration', to: 'demonstration' });
    });

    it('fails on an unknown version and on an invalid version folder', async () => {
      const unknown = await run(['diff', '2022-v1', '1999-v0']);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /version\(s\) inconnue\(s\) : 1999-v0 \(versions : 2023-v2, 2022-v1\)/);
      writeFileSync(join(versionsDir, 'broken.yaml'), 'id: broken\ntitle: { fr: X }\n');
      const broken = await run(['diff', '2022-v1', '2023-v2']);
      assert.equal(broken.code, 1);
      assert.match(broken.stderr, /broken\.yaml:2 \/title\/en/);
    });
  });
});

describe('the real command', () => {
  const spawnMesref = (args: string[], env: Record<string, string> = {}) =>
    new Promise<Run>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        env: { ...process.env, LOG_LEVEL: 'silent', ...env },
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
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });

  it('mesref referential diff runs without a database', async () => {
    const result = await spawnMesref(['referential', 'diff', '2022-v1', '2023-v2', '--format', 'json'], {
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).to, '2023-v2');
  });

  it('mesref serve stops at start on an invalid version file, listing its problems', async () => {
    const dir = tempDir('mesref-referential-serve-');
    try {
      const versions = join(dir.path, 'referentials');
      mkdirSync(versions);
      copyFileSync(join(SHIPPED_REFERENTIALS_DIR, '2022-v1.yaml'), join(versions, '2022-v1.yaml'));
      writeFileSync(
        join(versions, '2023-v2.yaml'),
        readFileSync(join(SHIPPED_REFERENTIALS_DIR, '2023-v2.yaml'), 'utf8').replace(
          'theme: finalites',
          'theme: inexistant',
        ),
      );
      const result = await spawnMesref(['serve'], {
        MESREF_REFERENTIALS_DIR: versions,
        DATA_DIR: join(dir.path, 'data'),
        PORT: '0',
      });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /Fichier de données refusé/);
      assert.match(
        result.stderr,
        /2023-v2\.yaml:\d+ \/criteria\/\d+\/theme — no theme inexistant in rubrique ethique/,
      );
      assert.deepEqual(readdirSync(dir.path), ['referentials'], 'the database was never opened');
    } finally {
      dir.remove();
    }
  });
});

describe('mesref referential import, on damaged spreadsheets', () => {
  it('either imports a version mesref loads, or changes nothing at all', async () => {
    const good = csv(GOOD_ROWS);
    // One damage to the good file: cut it, splice random text in, or blank or garble one cell.
    const damaged = fc.oneof(
      fc.nat(good.length).map((at) => good.slice(0, at)),
      fc
        .tuple(fc.nat(good.length), fc.string({ maxLength: 20 }))
        .map(([at, text]) => good.slice(0, at) + text + good.slice(at)),
      fc
        .tuple(
          fc.nat(GOOD_ROWS.length - 1),
          fc.nat(HEADERS.length - 1),
          fc.constantFrom('', 'x', '???', 'a=b ET', '"'),
        )
        .map(([row, column, value]) => {
          const rows = GOOD_ROWS.map((r) => [...r]);
          rows[row][column] = value;
          return csv(rows);
        }),
    );
    await fc.assert(
      fc.asyncProperty(damaged, async (text) => {
        const dir = tempDir('mesref-referential-damaged-');
        try {
          const versionsDir = join(dir.path, 'referentials');
          mkdirSync(versionsDir);
          for (const name of readdirSync(SHIPPED_REFERENTIALS_DIR)) {
            copyFileSync(join(SHIPPED_REFERENTIALS_DIR, name), join(versionsDir, name));
          }
          const before = readdirSync(versionsDir)
            .sort()
            .map((name) => [name, readFileSync(join(versionsDir, name), 'utf8')]);
          const input = join(dir.path, 'annexe.csv');
          writeFileSync(input, text);
          const code = await runReferential(['import', input, ...IMPORT_OPTIONS], {
            stdout: () => {},
            stderr: () => {},
            readFile: (path) => readFile(path),
            env: { MESREF_REFERENTIALS_DIR: versionsDir },
            today: () => '2025-03-15',
          });
          const after = readdirSync(versionsDir)
            .sort()
            .map((name) => [name, readFileSync(join(versionsDir, name), 'utf8')]);
          if (code === 0) {
            assert.ok(loadReferentials(versionsDir).get('2025-v3'), 'the imported version loads');
            assert.deepEqual(
              after.filter(([name]) => name !== '2025-v3.yaml'),
              before,
            );
          } else {
            assert.deepEqual(after, before, 'a refused import changes nothing');
          }
        } finally {
          dir.remove();
        }
      }),
      { numRuns: 60 },
    );
  });
});
