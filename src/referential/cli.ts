/**
 * `mesref referential import <file.csv|file.xlsx> --id …` and `mesref referential diff <a> <b>`: the
 * version files only, without the database or the app. Exit codes: 0 done, 1 failure (rows with errors, a
 * malformed spreadsheet, an unknown version, an invalid version folder), 2 usage error.
 */
import { readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadReferentialsDir } from '../platform/config.ts';
import { DataFileError } from '../platform/datafile.ts';
import { type Locale, type Translate, translator } from '../platform/i18n.ts';
import { fieldValue } from './describe.ts';
import { loadReferentials, type Referentials } from './files.ts';
import {
  checkImportOptions,
  checkWithOthers,
  convertSheet,
  type ImportOptions,
  type ImportProblem,
  readSources,
  versionFileText,
  writeNewFileAtomically,
} from './import.ts';
import { referentialMessages } from './messages.ts';
import { describeCondition, diffVersions, type ReferentialVersion, type VersionDiff } from './model.ts';
import { formatOf, readSpreadsheet, SpreadsheetError } from './spreadsheet.ts';

/** What the command reads and writes: the process's, or a test's stand-ins. */
export interface ReferentialIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<Buffer>;
  env: Record<string, string | undefined>;
  /** Today (YYYY-MM-DD), for the header of an imported file. */
  today(): string;
}

export function processIo(): ReferentialIo {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => readFile(path),
    env: process.env,
    today: () => new Date().toISOString().slice(0, 10),
  };
}

const HELP = `mesref referential — versions du référentiel de référencement

  mesref referential import <fichier.csv|fichier.xlsx> --id <id> --title-fr <titre> --legal-text <texte>
      --legal-date AAAA-MM-JJ --effective-date AAAA-MM-JJ [--title-en <title>]
      [--status official|demonstration] [--based-on <id>] [--dir <dossier>]
    Importe une annexe officielle dans une nouvelle version (colonnes : docs/referential-format.md).
    Chaque ligne est vérifiée ; le fichier <dossier>/<id>.yaml n'est écrit que si toutes sont valides.

  mesref referential diff <a> <b> [--format text|json] [--lang fr|en] [--dir <dossier>]
    Critères ajoutés, retirés et modifiés de la version <a> à la version <b>.

Dossier des versions : --dir, sinon MESREF_REFERENTIALS_DIR, sinon celui livré avec mesref.
Codes de sortie : 0 succès, 1 échec, 2 usage incorrect.
`;

class Usage extends Error {}

function referentialsDir(dir: string | undefined, io: ReferentialIo): string {
  return dir ?? loadReferentialsDir(io.env);
}

function problemLine(problem: ImportProblem): string {
  const where = [
    problem.line !== undefined ? `ligne ${problem.line}` : undefined,
    problem.column ? `colonne ${problem.column}` : undefined,
  ].filter(Boolean);
  return `  ${where.length > 0 ? `${where.join(', ')} : ` : ''}${problem.message}`;
}

async function runImport(args: string[], io: ReferentialIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      id: { type: 'string' },
      'title-fr': { type: 'string' },
      'title-en': { type: 'string' },
      'legal-text': { type: 'string' },
      'legal-date': { type: 'string' },
      'effective-date': { type: 'string' },
      status: { type: 'string', default: 'official' },
      'based-on': { type: 'string' },
      dir: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new Usage('un seul fichier à importer (.csv ou .xlsx)');
  const [path] = positionals;
  const format = formatOf(path);
  if (!format) throw new Usage(`${path} : extension inconnue (attendu : .csv ou .xlsx)`);
  const missing = ['id', 'title-fr', 'legal-text', 'legal-date', 'effective-date'].filter(
    (name) => !values[name as keyof typeof values],
  );
  if (missing.length > 0)
    throw new Usage(`option(s) manquante(s) : ${missing.map((m) => `--${m}`).join(', ')}`);
  if (values.status !== 'official' && values.status !== 'demonstration') {
    throw new Usage(`--status doit valoir official ou demonstration (reçu « ${values.status} »)`);
  }
  const options: ImportOptions = {
    id: values.id as string,
    titleFr: values['title-fr'] as string,
    titleEn: values['title-en'],
    legalText: values['legal-text'] as string,
    legalDate: values['legal-date'] as string,
    effectiveDate: values['effective-date'] as string,
    status: values.status,
    basedOn: values['based-on'],
    sourceName: basename(path),
  };

  const dir = referentialsDir(values.dir, io);
  const referentials = loadReferentials(dir);
  const refuse = (problems: ImportProblem[]) => {
    io.stderr(
      `${path} : ${problems.length} erreur(s), aucun fichier écrit\n${problems.map(problemLine).join('\n')}\n`,
    );
    return 1;
  };
  const optionProblems = checkImportOptions(options, referentials);
  if (optionProblems.length > 0) return refuse(optionProblems);

  let bytes: Buffer;
  try {
    bytes = await io.readFile(path);
  } catch (error) {
    return refuse([{ message: `fichier illisible (${(error as NodeJS.ErrnoException).code ?? 'erreur'})` }]);
  }
  let sheet: Awaited<ReturnType<typeof readSpreadsheet>>;
  try {
    sheet = await readSpreadsheet(bytes, format);
  } catch (error) {
    if (error instanceof SpreadsheetError) return refuse([{ line: error.line, message: error.message }]);
    throw error;
  }
  const frame = (
    options.basedOn ? referentials.get(options.basedOn) : referentials.newest()
  ) as ReferentialVersion;
  const { conversion, problems } = convertSheet(sheet, options, frame);
  if (!conversion) return refuse(problems);

  const target = join(dir, `${options.id}.yaml`);
  const shown = relative(process.cwd(), target) || target;
  const text = versionFileText(conversion.file, options, io.today());
  const finalProblems = checkWithOthers(text, shown, readSources(dir), conversion);
  if (finalProblems.length > 0) return refuse(finalProblems);
  try {
    writeNewFileAtomically(target, text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return refuse([{ message: `${shown} existe déjà : rien n’est remplacé` }]);
    }
    throw error;
  }
  const criteria = conversion.file.criteria ?? [];
  const mandatory = criteria.filter((c) => c.level === 'obligatoire').length;
  const lines = [
    `version ${options.id} écrite dans ${shown} : ${criteria.length} critère(s) dont ${mandatory} obligatoire(s)`,
  ];
  if (conversion.addedThemes.length > 0) {
    lines.push(
      `thème(s) ajouté(s) : ${conversion.addedThemes.map((t) => `${t.rubrique}/${t.id}`).join(', ')} (titres anglais à traduire)`,
    );
  }
  if (conversion.file.removedCriteria) {
    lines.push(
      `critère(s) de ${options.basedOn} absents de l’annexe, retirés : ${conversion.file.removedCriteria.join(', ')}`,
    );
  }
  lines.push('redémarrez mesref pour la charger');
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

/** The diff for a person, in the language asked. */
export function diffText(
  diff: VersionDiff,
  from: ReferentialVersion,
  to: ReferentialVersion,
  t: Translate,
  locale: Locale,
): string {
  const ctx = { t, locale };
  const out: string[] = [t('referential.diff.title', { from: from.id, to: to.id })];
  for (const version of from.id === to.id ? [to] : [from, to]) {
    if (version.status === 'demonstration') {
      out.push(`${t('referential.demo.title')} — ${t('referential.demo.text', { id: version.id })}`);
    }
  }
  const line = (sign: string, version: ReferentialVersion, c: ReferentialVersion['criteria'][number]) =>
    `  ${sign} ${c.id} — ${c.title[locale]} [${t(`referential.level.${c.level}`)}] — ${describeCondition(version, c.appliesWhen, locale)}`;
  out.push('', t('referential.diff.added', { count: diff.added.length }));
  for (const c of diff.added) out.push(line('+', to, c));
  out.push('', t('referential.diff.removed', { count: diff.removed.length }));
  for (const c of diff.removed) out.push(line('-', from, c));
  out.push('', t('referential.diff.changed', { count: diff.changed.length }));
  for (const change of diff.changed) {
    out.push(`  ~ ${change.id} — ${change.after.title[locale]}`);
    for (const field of change.fields) {
      out.push(`      ${t(`referential.field.${field}`)}`);
      out.push(`        ${from.id} : ${fieldValue(ctx, from, change.before, field)}`);
      out.push(`        ${to.id} : ${fieldValue(ctx, to, change.after, field)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

async function runDiff(args: string[], io: ReferentialIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      lang: { type: 'string', default: 'fr' },
      dir: { type: 'string' },
    },
  });
  if (positionals.length !== 2) throw new Usage('deux versions à comparer : mesref referential diff <a> <b>');
  if (values.format !== 'text' && values.format !== 'json') {
    throw new Usage(`--format doit valoir text ou json (reçu « ${values.format} »)`);
  }
  if (values.lang !== 'fr' && values.lang !== 'en')
    throw new Usage(`--lang doit valoir fr ou en (reçu « ${values.lang} »)`);
  const referentials: Referentials = loadReferentials(referentialsDir(values.dir, io));
  const [fromId, toId] = positionals;
  const unknown = [fromId, toId].filter((id) => !referentials.get(id));
  if (unknown.length > 0) {
    io.stderr(
      `version(s) inconnue(s) : ${[...new Set(unknown)].join(', ')} (versions : ${referentials.versions.map((v) => v.id).join(', ')})\n`,
    );
    return 1;
  }
  const from = referentials.get(fromId) as ReferentialVersion;
  const to = referentials.get(toId) as ReferentialVersion;
  const diff = diffVersions(from, to);
  if (values.format === 'json') {
    io.stdout(`${JSON.stringify({ ...diff, status: { from: from.status, to: to.status } }, null, 2)}\n`);
  } else {
    io.stdout(diffText(diff, from, to, translator(referentialMessages, values.lang), values.lang));
  }
  return 0;
}

/** Runs `mesref referential <subcommand> …` and returns its exit code. */
export async function runReferential(args: string[], io: ReferentialIo): Promise<number> {
  const [subcommand, ...rest] = args;
  try {
    if (subcommand === 'import') return await runImport(rest, io);
    if (subcommand === 'diff') return await runDiff(rest, io);
    if (subcommand === undefined || subcommand === 'help' || subcommand === '--help' || subcommand === '-h') {
      io.stdout(HELP);
      return subcommand === undefined ? 2 : 0;
    }
    throw new Usage(`sous-commande inconnue « ${subcommand} » (import ou diff)`);
  } catch (error) {
    if (error instanceof Usage || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`${(error as Error).message}\n\n${HELP}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof DataFileError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
