/**
 * `mesref check answers.yaml`: compliance as code. Validates a service's answers file, computes which
 * criteria apply and whether the service is ready to file, and prints the gaps per rubrique: as text for a
 * person, as a stable JSON document, or as JUnit XML so that a CI shows each blocking gap as a failed test.
 * Exit code: 0 ready, 1 gaps, 2 an invalid file or a usage error.
 *
 * `mesref check --init --typology avec-echange|sans-echange [-o FILE]` writes a commented template to start
 * from. Neither the database nor the web app is loaded.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { DataFileError } from '../platform/datafile.ts';
import { type Catalog, type Locale, type Translate, translator } from '../platform/i18n.ts';
import { loadReferentials, type Referentials } from '../referential/files.ts';
import type { ReferentialVersion } from '../referential/model.ts';
import {
  answersFileMessages,
  answersTemplate,
  type Problem,
  parseAnswersFile,
  TYPOLOGIES,
  type Typology,
} from './answers-file.ts';
import { type CriterionEvaluation, type Evaluation, evaluateAssessment, gaps } from './model.ts';

/** What the command reads and writes: the process's streams and files, or a test's stand-ins. */
export interface CheckIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** A file's text (`-`: standard input). */
  readText(file: string): Promise<string>;
  /** Writes a file; without `overwrite`, an existing file is left alone and the error's code is EEXIST. */
  writeText(file: string, text: string, overwrite: boolean): Promise<void>;
  /** The referential versions (the shipped ones for the real command). */
  referentials(): Referentials;
}

export function processIo(): CheckIo {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readText: async (file) => {
      if (file !== '-') return readFile(file, 'utf8');
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    writeText: (file, text, overwrite) => writeFile(file, text, { flag: overwrite ? 'w' : 'wx' }),
    referentials: () => loadReferentials(),
  };
}

export const checkMessages = {
  'check.usage_line': {
    fr: 'usage : mesref check <réponses.yaml> [--referential <version>] [--format text|json|junit] [--lang fr|en]\n        mesref check --init --typology avec-echange|sans-echange [--referential <version>] [-o <fichier>] [--force]',
    en: 'usage: mesref check <answers.yaml> [--referential <version>] [--format text|json|junit] [--lang fr|en]\n       mesref check --init --typology avec-echange|sans-echange [--referential <version>] [-o <file>] [--force]',
  },
  'check.help': {
    fr: [
      'Vérifie un fichier de réponses d’auto-évaluation (« - » : l’entrée standard) : critères applicables,',
      'écarts par rubrique, et si le service est prêt (chaque critère obligatoire applicable conforme avec preuve).',
      '',
      '  --referential <version>  version du référentiel (sinon celle du fichier, sinon la plus récente)',
      '  --format text|json|junit texte pour une personne (défaut), document JSON stable, ou JUnit XML pour une CI',
      '  --lang fr|en             langue des messages (défaut : fr)',
      '  --init                   écrit un modèle commenté à remplir (avec --typology)',
      '  --typology <typologie>   avec-echange (échange de données avec Mon espace santé) ou sans-echange',
      '  -o, --output <fichier>   écrit le modèle dans ce fichier plutôt que sur la sortie standard',
      '  --force                  remplace le fichier de --output s’il existe',
      '',
      'Codes de sortie : 0 prêt, 1 écarts, 2 fichier invalide ou usage incorrect.',
      'Format du fichier et exemples de CI : docs/publisher-guide.md.',
    ].join('\n'),
    en: [
      'Checks a self-assessment answers file ("-": standard input): applicable criteria, gaps per rubrique,',
      'and whether the service is ready (every applicable mandatory criterion conforme with evidence).',
      '',
      '  --referential <version>  referential version (else the file’s, else the newest)',
      '  --format text|json|junit text for a person (default), a stable JSON document, or JUnit XML for a CI',
      '  --lang fr|en             language of the messages (default: fr)',
      '  --init                   writes a commented template to fill in (with --typology)',
      '  --typology <typology>    avec-echange (data exchange with Mon espace santé) or sans-echange',
      '  -o, --output <file>      writes the template to this file rather than to standard output',
      '  --force                  replaces the --output file if it exists',
      '',
      'Exit codes: 0 ready, 1 gaps, 2 invalid file or usage error.',
      'File format and CI examples: docs/publisher-guide.md.',
    ].join('\n'),
  },
  'check.usage.unknown_option': { fr: 'option inconnue : {option}', en: 'unknown option: {option}' },
  'check.usage.bad_option': { fr: 'option incorrecte : {detail}', en: 'wrong option: {detail}' },
  'check.usage.lang': {
    fr: 'langue inconnue « {value} » (fr ou en)',
    en: 'unknown language "{value}" (fr or en)',
  },
  'check.usage.format': {
    fr: 'format inconnu « {value} » (text, json ou junit)',
    en: 'unknown format "{value}" (text, json or junit)',
  },
  'check.usage.typology': {
    fr: 'typologie inconnue « {value} » (avec-echange ou sans-echange)',
    en: 'unknown typology "{value}" (avec-echange or sans-echange)',
  },
  'check.usage.typology_required': {
    fr: '--init demande --typology avec-echange ou --typology sans-echange',
    en: '--init needs --typology avec-echange or --typology sans-echange',
  },
  'check.usage.init_only': {
    fr: '{option} ne va qu’avec --init',
    en: '{option} goes with --init only',
  },
  'check.usage.not_with_init': {
    fr: '{option} ne va pas avec --init',
    en: '{option} does not go with --init',
  },
  'check.usage.one_file': {
    fr: 'un fichier de réponses, et un seul, est attendu',
    en: 'one answers file, and only one, is expected',
  },
  'check.usage.referential': {
    fr: 'version du référentiel inconnue « {id} » (versions connues : {known})',
    en: 'unknown referential version "{id}" (known versions: {known})',
  },
  'check.cannot_read': { fr: '{file} : lecture impossible ({reason})', en: '{file}: cannot read ({reason})' },
  'check.referentials_invalid': {
    fr: 'les versions du référentiel ne se chargent pas',
    en: 'the referential versions do not load',
  },
  'check.exists': {
    fr: '{file} existe déjà : rien n’est écrit (--force pour le remplacer)',
    en: '{file} already exists: nothing written (--force to replace it)',
  },
  'check.written': {
    fr: 'modèle écrit dans {file} ({typology}, {version}) ; vérifiez-le avec : mesref check {file}',
    en: 'template written to {file} ({typology}, {version}); check it with: mesref check {file}',
  },
  'check.invalid': {
    fr: '{file} : fichier de réponses invalide, {count} problème(s)',
    en: '{file}: invalid answers file, {count} problem(s)',
  },
  'check.title': { fr: 'mesref check — {file}', en: 'mesref check — {file}' },
  'check.referential': { fr: 'Référentiel : {title} [{id}]', en: 'Referential: {title} [{id}]' },
  'check.demonstration': {
    fr: '⚠ Version de démonstration : ses critères sont rédigés par mesref d’après les textes publics ; ce n’est pas l’annexe officielle.',
    en: '⚠ Demonstration version: its criteria are written by mesref from the public texts; it is not the official annex.',
  },
  'check.service': { fr: 'Service : {name}', en: 'Service: {name}' },
  'check.orientation_complete': {
    fr: 'Orientation : complète ({answered} réponse(s))',
    en: 'Orientation: complete ({answered} answer(s))',
  },
  'check.orientation_missing': {
    fr: 'Orientation : {count} question(s) sans réponse — {ids}',
    en: 'Orientation: {count} question(s) unanswered — {ids}',
  },
  'check.applicable': {
    fr: 'Critères applicables : {applicable}, dont {mandatory} obligatoire(s) ; {notApplicable} non applicable(s)',
    en: 'Applicable criteria: {applicable}, {mandatory} of them mandatory; {notApplicable} not applicable',
  },
  'check.progress': {
    fr: 'Progression par rubrique (prêts / applicables)',
    en: 'Progress per rubrique (ready / applicable)',
  },
  'check.progress_mandatory': { fr: 'obligatoires {ready}/{total}', en: 'mandatory {ready}/{total}' },
  'check.progress_none': { fr: 'aucun critère applicable', en: 'no applicable criterion' },
  'check.gaps': {
    fr: 'Écarts : {count}, dont {blocking} bloquant(s)',
    en: 'Gaps: {count}, {blocking} of them blocking',
  },
  'check.no_gap': { fr: 'Aucun écart.', en: 'No gap.' },
  'check.blocking': { fr: 'bloquant', en: 'blocking' },
  'check.gap_detail': { fr: '{state} ; {date}', en: '{state}; {date}' },
  'check.optional': { fr: 'optionnel', en: 'optional' },
  'check.target_date': { fr: 'date cible {date}', en: 'target date {date}' },
  'check.no_target_date': { fr: 'sans date cible', en: 'no target date' },
  'check.warnings': { fr: 'Avertissements : {count}', en: 'Warnings: {count}' },
  'check.ready': {
    fr: 'Résultat : PRÊT — chaque critère obligatoire applicable est conforme avec preuve (ou non applicable permis).',
    en: 'Result: READY — every applicable mandatory criterion is conforme with evidence (or a permitted non applicable).',
  },
  'check.not_ready': {
    fr: 'Résultat : PAS PRÊT — {blocking} écart(s) bloquant(s), {missing} question(s) d’orientation sans réponse.',
    en: 'Result: NOT READY — {blocking} blocking gap(s), {missing} orientation question(s) unanswered.',
  },
  'check.state.unanswered': { fr: 'sans réponse', en: 'unanswered' },
  'check.state.non-conforme': { fr: 'non conforme', en: 'non-conforme' },
  'check.state.no-evidence': {
    fr: 'conforme sans preuve (attendues : {kinds})',
    en: 'conforme without evidence (expected: {kinds})',
  },
  'check.state.not-applicable-refused': {
    fr: '« non applicable » n’est pas permis pour ce critère obligatoire',
    en: '"non-applicable" is not allowed for this mandatory criterion',
  },
  'check.state.justification-missing': { fr: 'justification manquante', en: 'justification missing' },
  'check.state.ready': { fr: 'prêt', en: 'ready' },
  'check.junit.orientation': {
    fr: 'questionnaire d’orientation complet',
    en: 'orientation questionnaire complete',
  },
  'check.junit.missing': {
    fr: '{count} question(s) sans réponse : {ids}',
    en: '{count} question(s) unanswered: {ids}',
  },
  'check.junit.file': { fr: 'fichier de réponses', en: 'answers file' },
} satisfies Catalog;

class UsageError extends Error {}

type Format = 'text' | 'json' | 'junit';

type Options =
  | { mode: 'help'; locale: Locale }
  | { mode: 'check'; file: string; referential?: string; format: Format; locale: Locale }
  | {
      mode: 'init';
      typology: Typology;
      referential?: string;
      output?: string;
      force: boolean;
      locale: Locale;
    };

const optionSpec = {
  referential: { type: 'string' },
  format: { type: 'string' },
  lang: { type: 'string' },
  init: { type: 'boolean' },
  typology: { type: 'string' },
  output: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The locale asked for, to word a usage error in it even when the rest of the arguments are wrong. */
function askedLocale(args: string[]): Locale {
  const index = args.findIndex((arg) => arg === '--lang' || arg.startsWith('--lang='));
  if (index < 0) return 'fr';
  const value = args[index] === '--lang' ? args[index + 1] : args[index].slice('--lang='.length);
  return value === 'en' ? 'en' : 'fr';
}

function parse(args: string[], t: Translate): Options {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof optionSpec; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args, options: optionSpec, allowPositionals: true, strict: true });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new UsageError(
        t('check.usage.unknown_option', { option: message.match(/'([^']+)'/)?.[1] ?? message }),
      );
    }
    throw new UsageError(t('check.usage.bad_option', { detail: message }));
  }
  const { values, positionals } = parsed;
  const locale = values.lang ?? 'fr';
  if (locale !== 'fr' && locale !== 'en') throw new UsageError(t('check.usage.lang', { value: locale }));
  if (values.help) return { mode: 'help', locale };
  if (values.init) {
    if (values.format !== undefined)
      throw new UsageError(t('check.usage.not_with_init', { option: '--format' }));
    if (positionals.length > 0)
      throw new UsageError(t('check.usage.not_with_init', { option: positionals[0] }));
    if (values.typology === undefined) throw new UsageError(t('check.usage.typology_required'));
    if (!(TYPOLOGIES as readonly string[]).includes(values.typology)) {
      throw new UsageError(t('check.usage.typology', { value: values.typology }));
    }
    if (values.force && values.output === undefined) {
      throw new UsageError(t('check.usage.init_only', { option: '--force (-o)' }));
    }
    return {
      mode: 'init',
      typology: values.typology as Typology,
      referential: values.referential,
      output: values.output,
      force: values.force ?? false,
      locale,
    };
  }
  for (const option of ['typology', 'output', 'force'] as const) {
    if (values[option] !== undefined)
      throw new UsageError(t('check.usage.init_only', { option: `--${option}` }));
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'junit') {
    throw new UsageError(t('check.usage.format', { value: format }));
  }
  if (positionals.length !== 1) throw new UsageError(t('check.usage.one_file'));
  return { mode: 'check', file: positionals[0], referential: values.referential, format, locale };
}

/**
 * Runs `mesref check` with its arguments (those after `check`) and returns the exit code: 0 ready (or the
 * template written), 1 gaps (or the template not written), 2 an invalid file or a usage error.
 */
export async function runCheck(args: string[], io: CheckIo): Promise<number> {
  const fallback = translator(checkMessages, askedLocale(args));
  let options: Options;
  try {
    options = parse(args, fallback);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`mesref check : ${error.message}\n${fallback('check.usage_line')}\n`);
    return 2;
  }
  const t = translator(checkMessages, options.locale);
  if (options.mode === 'help') {
    io.stdout(`${t('check.usage_line')}\n\n${t('check.help')}\n`);
    return 0;
  }
  let referentials: Referentials;
  try {
    referentials = io.referentials();
  } catch (error) {
    if (!(error instanceof DataFileError)) throw error;
    io.stderr(`${t('check.referentials_invalid')}\n${problemLines(error.problems).join('\n')}\n`);
    return 1;
  }
  if (options.referential !== undefined && !referentials.get(options.referential)) {
    const known = referentials.versions.map((v) => v.id).join(', ');
    io.stderr(
      `mesref check : ${t('check.usage.referential', { id: options.referential, known })}\n${t('check.usage_line')}\n`,
    );
    return 2;
  }
  if (options.mode === 'init') return init(options, referentials, io, t);
  return check(options, referentials, io, t);
}

async function init(
  options: Extract<Options, { mode: 'init' }>,
  referentials: Referentials,
  io: CheckIo,
  t: Translate,
): Promise<number> {
  const version = options.referential
    ? (referentials.get(options.referential) as ReferentialVersion)
    : referentials.newest();
  const template = answersTemplate(version, options.typology, options.locale);
  if (options.output === undefined) {
    io.stdout(template);
    return 0;
  }
  try {
    await io.writeText(options.output, template, options.force);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    io.stderr(
      code === 'EEXIST'
        ? `${t('check.exists', { file: options.output })}\n`
        : `${t('check.cannot_read', { file: options.output, reason: code ?? message })}\n`,
    );
    return 1;
  }
  io.stderr(
    `${t('check.written', { file: options.output, typology: options.typology, version: version.id })}\n`,
  );
  return 0;
}

const problemLines = (problems: Problem[]): string[] =>
  problems.map((p) => `${p.file}:${p.line} ${p.path || '/'} — ${p.message}`);

/** Line of each criterion's answer in the file, to point at it from the gaps. */
function answerLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const answers = doc.get('answers', true);
  if (answers && typeof answers === 'object' && 'items' in answers) {
    for (const item of (answers as { items: unknown[] }).items) {
      const pair = item as { key?: unknown };
      if (isNode(pair.key) && pair.key.range) {
        lines.set(
          String((pair.key as { value?: unknown }).value),
          lineCounter.linePos(pair.key.range[0]).line,
        );
      }
    }
  }
  return lines;
}

interface Checked {
  file: string;
  version: ReferentialVersion;
  service?: string;
  evaluation: Evaluation;
  warnings: Problem[];
  lines: Map<string, number>;
  answeredQuestions: number;
  locale: Locale;
}

async function check(
  options: Extract<Options, { mode: 'check' }>,
  referentials: Referentials,
  io: CheckIo,
  t: Translate,
): Promise<number> {
  const { file, locale } = options;
  let text: string;
  try {
    text = await io.readText(file);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const problem = {
      file,
      line: 1,
      path: '',
      message: t('check.cannot_read', { file, reason: code ?? message }),
    };
    return invalid([problem], options, io, t);
  }
  const parsed = parseAnswersFile(text, file, referentials, {
    referential: options.referential,
    // Evidence files are named relative to the answers file.
    baseDir: file === '-' ? process.cwd() : dirname(resolve(file)),
    locale,
  });
  if (!parsed.ok) return invalid(parsed.problems, options, io, t);
  const evaluation = evaluateAssessment(parsed.version, parsed.input);
  const checked: Checked = {
    file,
    version: parsed.version,
    service: parsed.service,
    evaluation,
    warnings: parsed.warnings,
    lines: answerLines(text),
    answeredQuestions: Object.keys(parsed.input.orientation).length,
    locale,
  };
  const report =
    options.format === 'json'
      ? `${JSON.stringify(jsonReport(checked, t), null, 2)}\n`
      : options.format === 'junit'
        ? junitReport(checked, t)
        : textReport(checked, t);
  io.stdout(report);
  return evaluation.ready ? 0 : 1;
}

function invalid(
  problems: Problem[],
  options: Extract<Options, { mode: 'check' }>,
  io: CheckIo,
  t: Translate,
): number {
  const { file } = options;
  if (options.format === 'json') {
    io.stdout(
      `${JSON.stringify({ ...documentHead(file), valid: false, ready: false, problems }, null, 2)}\n`,
    );
  } else if (options.format === 'junit') {
    const cases = problems.map(
      (p) =>
        `    <testcase classname="mesref.answers-file" name="${xml(`${p.file}:${p.line} ${p.path || '/'}`)}" file="${xml(p.file)}" line="${p.line}">\n` +
        `      <error message="${xml(p.message)}" type="invalid"/>\n    </testcase>`,
    );
    io.stdout(
      `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(`mesref check ${file}`)}" tests="${problems.length}" failures="0" errors="${problems.length}">\n` +
        `  <testsuite name="${xml(t('check.junit.file'))}" tests="${problems.length}" failures="0" errors="${problems.length}">\n` +
        `${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`,
    );
  }
  io.stderr(
    `${problemLines(problems).join('\n')}\n${t('check.invalid', { file, count: problems.length })}\n`,
  );
  return 2;
}

// ── reports ─────────────────────────────────────────────────────────────────────────────────────────────

function rubriqueTitle(version: ReferentialVersion, id: string, locale: Locale): string {
  return version.rubriques.find((r) => r.id === id)?.title[locale] ?? id;
}

function stateText(gap: CriterionEvaluation, t: Translate, locale: Locale): string {
  const label = translator(answersFileMessages, locale);
  const kinds = gap.criterion.evidence.map((kind) => label(`answers.evidence_kind.${kind}`)).join(', ');
  return t(`check.state.${gap.state}`, { kinds });
}

function bar(done: number, total: number, width = 20): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

function textReport(checked: Checked, t: Translate): string {
  const { version, evaluation, locale, file } = checked;
  const lines = [
    t('check.title', { file }),
    t('check.referential', { title: version.title[locale], id: version.id }),
  ];
  if (version.status === 'demonstration') lines.push(t('check.demonstration'));
  if (checked.service) lines.push(t('check.service', { name: checked.service }));
  const missing = evaluation.missingQuestions;
  lines.push(
    missing.length === 0
      ? t('check.orientation_complete', { answered: checked.answeredQuestions })
      : t('check.orientation_missing', { count: missing.length, ids: missing.map((q) => q.id).join(', ') }),
  );
  lines.push(
    t('check.applicable', {
      applicable: evaluation.counts.applicable,
      mandatory: evaluation.counts.mandatory,
      notApplicable: evaluation.notApplicable.length,
    }),
    '',
    t('check.progress'),
  );
  const titles = evaluation.byRubrique.map((r) => rubriqueTitle(version, r.rubrique, locale));
  const width = Math.max(...titles.map((title) => title.length));
  evaluation.byRubrique.forEach((progress, index) => {
    const title = titles[index].padEnd(width);
    if (progress.applicable === 0) {
      lines.push(`  ${title}  ${bar(0, 0).replace(/░/g, '·')} ${t('check.progress_none')}`);
      return;
    }
    const mandatory = progress.mandatory
      ? `  ${t('check.progress_mandatory', { ready: progress.mandatoryReady, total: progress.mandatory })}`
      : '';
    lines.push(
      `  ${title}  ${bar(progress.ready, progress.applicable)} ${progress.ready}/${progress.applicable}${mandatory}`,
    );
  });
  const open = gaps(evaluation);
  lines.push('');
  if (open.length === 0) lines.push(t('check.no_gap'));
  else {
    lines.push(t('check.gaps', { count: open.length, blocking: evaluation.counts.blocking }));
    for (const [index, title] of titles.entries()) {
      const rubrique = evaluation.byRubrique[index].rubrique;
      const own = open.filter((gap) => gap.criterion.rubrique === rubrique);
      if (own.length === 0) continue;
      lines.push(`  ${title}`);
      for (const gap of own) {
        const line = checked.lines.get(gap.criterion.id);
        const where = line ? `  (${file}:${line})` : '';
        const mark = gap.blocking ? `✗ [${t('check.blocking')}]` : `· [${t('check.optional')}]`;
        lines.push(`    ${mark} ${gap.criterion.id} — ${gap.criterion.title[locale]}${where}`);
        const date = gap.answer?.targetDate
          ? t('check.target_date', { date: gap.answer.targetDate })
          : t('check.no_target_date');
        lines.push(`        ${t('check.gap_detail', { state: stateText(gap, t, locale), date })}`);
      }
    }
  }
  if (checked.warnings.length > 0) {
    lines.push('', t('check.warnings', { count: checked.warnings.length }));
    for (const line of problemLines(checked.warnings)) lines.push(`  ${line}`);
  }
  lines.push(
    '',
    evaluation.ready
      ? t('check.ready')
      : t('check.not_ready', { blocking: evaluation.counts.blocking, missing: missing.length }),
  );
  return `${lines.join('\n')}\n`;
}

function documentHead(file: string) {
  return { tool: 'mesref check', formatVersion: 1, file };
}

/** The JSON document: its fields are kept from one release to the next (formatVersion changes otherwise). */
function jsonReport(checked: Checked, t: Translate) {
  const { version, evaluation, locale } = checked;
  return {
    ...documentHead(checked.file),
    valid: true,
    ready: evaluation.ready,
    referential: {
      id: version.id,
      title: version.title[locale],
      status: version.status,
      demonstration: version.status === 'demonstration',
      legalSource: version.legalSource,
    },
    service: checked.service ?? null,
    orientation: {
      complete: evaluation.missingQuestions.length === 0,
      missingQuestions: evaluation.missingQuestions.map((q) => ({ id: q.id, label: q.label[locale] })),
    },
    counts: { ...evaluation.counts, notApplicable: evaluation.notApplicable.length },
    rubriques: evaluation.byRubrique.map((r) => ({
      ...r,
      title: rubriqueTitle(version, r.rubrique, locale),
    })),
    gaps: gaps(evaluation).map((gap) => ({
      criterion: gap.criterion.id,
      rubrique: gap.criterion.rubrique,
      theme: gap.criterion.theme,
      title: gap.criterion.title[locale],
      level: gap.criterion.level,
      blocking: gap.blocking,
      state: gap.state,
      message: stateText(gap, t, locale),
      status: gap.answer?.status ?? null,
      targetDate: gap.answer?.targetDate ?? null,
      evidence: gap.answer?.evidence.length ?? 0,
      reason: gap.reason[locale],
      line: checked.lines.get(gap.criterion.id) ?? null,
    })),
    warnings: checked.warnings,
    problems: [],
  };
}

// XML 1.0 has no place for most control characters: they are dropped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function xml(text: string): string {
  return text
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** JUnit XML: one test case per applicable criterion (a failure for each blocking gap), and the orientation. */
function junitReport(checked: Checked, t: Translate): string {
  const { version, evaluation, locale, file } = checked;
  const suites: string[] = [];
  const missing = evaluation.missingQuestions;
  const properties = [
    `      <property name="referential" value="${xml(version.id)}"/>`,
    `      <property name="referential.status" value="${xml(version.status)}"/>`,
    ...(checked.service ? [`      <property name="service" value="${xml(checked.service)}"/>`] : []),
  ];
  const notes = [
    ...(version.status === 'demonstration' ? [t('check.demonstration')] : []),
    ...problemLines(checked.warnings),
  ];
  const orientationCase = [
    `    <testcase classname="mesref.orientation" name="${xml(t('check.junit.orientation'))}" file="${xml(file)}">`,
    ...(missing.length > 0
      ? [
          `      <failure message="${xml(t('check.junit.missing', { count: missing.length, ids: missing.map((q) => q.id).join(', ') }))}" type="orientation">${xml(missing.map((q) => `${q.id} — ${q.label[locale]}`).join('\n'))}</failure>`,
        ]
      : []),
    '    </testcase>',
  ];
  suites.push(
    [
      `  <testsuite name="orientation" tests="1" failures="${missing.length > 0 ? 1 : 0}" errors="0" skipped="0">`,
      '    <properties>',
      ...properties,
      '    </properties>',
      ...orientationCase,
      ...(notes.length > 0 ? [`    <system-out>${xml(notes.join('\n'))}</system-out>`] : []),
      '  </testsuite>',
    ].join('\n'),
  );
  let failures = missing.length > 0 ? 1 : 0;
  let tests = 1;
  for (const progress of evaluation.byRubrique) {
    const own = evaluation.criteria.filter((c) => c.criterion.rubrique === progress.rubrique);
    if (own.length === 0) continue;
    const failed = own.filter((c) => c.blocking).length;
    tests += own.length;
    failures += failed;
    const cases = own.map((c) => {
      const line = checked.lines.get(c.criterion.id);
      const head = `    <testcase classname="mesref.${xml(progress.rubrique)}" name="${xml(`${c.criterion.id} — ${c.criterion.title[locale]}`)}" file="${xml(file)}"${line ? ` line="${line}"` : ''}>`;
      const date = c.answer?.targetDate
        ? t('check.target_date', { date: c.answer.targetDate })
        : t('check.no_target_date');
      const body =
        c.state === 'ready'
          ? []
          : c.blocking
            ? [
                `      <failure message="${xml(stateText(c, t, locale))}" type="${c.state}">${xml(`${c.criterion.requirement[locale]}\n${date}`)}</failure>`,
              ]
            : [
                `      <system-out>${xml(`[${t('check.optional')}] ${t('check.gap_detail', { state: stateText(c, t, locale), date })}`)}</system-out>`,
              ];
      return [head, ...body, '    </testcase>'].join('\n');
    });
    suites.push(
      [
        `  <testsuite name="${xml(rubriqueTitle(version, progress.rubrique, locale))}" tests="${own.length}" failures="${failed}" errors="0" skipped="0">`,
        ...cases,
        '  </testsuite>',
      ].join('\n'),
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${xml(`mesref check ${file}`)}" tests="${tests}" failures="${failures}" errors="0">\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}
