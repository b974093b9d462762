/**
 * `mesref ecoindex --dom N --requests N --size-kb N [--format text|json] [--lang fr|en]`: the EcoIndex of a
 * page measured elsewhere (or a check of the formula), without the database or the app. Exit codes: 0 done,
 * 2 usage error (a missing or invalid measure, an unknown option).
 */
import { parseArgs } from 'node:util';
import { ECOINDEX_GRADES, type EcoindexResult, ecoindex } from './ecoindex.ts';

export interface EcoindexIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export function processIo(): EcoindexIo {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  return { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) };
}

type Lang = 'fr' | 'en';

const TEXT = {
  fr: {
    usage: 'usage : mesref ecoindex --dom N --requests N --size-kb N [--format text|json] [--lang fr|en]',
    help: [
      'Calcule l’EcoIndex d’une page à partir de ses trois mesures :',
      '  --dom N         éléments du DOM',
      '  --requests N    requêtes HTTP',
      '  --size-kb N     taille transférée en Ko (1 Ko = 1024 octets)',
      '  --format F      text (par défaut) ou json',
      '  --lang L        fr (par défaut) ou en',
      'Algorithme et règle de note : docs/ecoscore.md.',
    ].join('\n'),
    missing: (option: string) => `--${option} manque`,
    invalid: (option: string, value: string) =>
      `--${option} : « ${value} » n’est pas un nombre positif ou nul`,
    unknown: (detail: string) => `option refusée : ${detail}`,
    format: (value: string) => `--format : « ${value} » (text ou json)`,
    lang: (value: string) => `--lang : « ${value} » (fr ou en)`,
    result: (r: EcoindexResult, n: (x: number) => string) =>
      [
        `EcoIndex : ${r.score}/100, note ${r.grade}`,
        `Gaz à effet de serre : ${n(r.ghgGco2e)} gCO2e`,
        `Eau : ${n(r.waterCl)} cl`,
        `Algorithme ${r.algorithm}, règle de note stricte (un score égal à un seuil prend la note inférieure : 80 est un B)`,
      ].join('\n'),
  },
  en: {
    usage: 'usage: mesref ecoindex --dom N --requests N --size-kb N [--format text|json] [--lang fr|en]',
    help: [
      'Computes the EcoIndex of a page from its three measures:',
      '  --dom N         DOM elements',
      '  --requests N    HTTP requests',
      '  --size-kb N     transferred size in KB (1 KB = 1024 bytes)',
      '  --format F      text (default) or json',
      '  --lang L        fr (default) or en',
      'Algorithm and grading rule: docs/ecoscore.md.',
    ].join('\n'),
    missing: (option: string) => `--${option} is missing`,
    invalid: (option: string, value: string) => `--${option}: "${value}" is not a number at or above zero`,
    unknown: (detail: string) => `option refused: ${detail}`,
    format: (value: string) => `--format: "${value}" (text or json)`,
    lang: (value: string) => `--lang: "${value}" (fr or en)`,
    result: (r: EcoindexResult, n: (x: number) => string) =>
      [
        `EcoIndex: ${r.score}/100, grade ${r.grade}`,
        `Greenhouse gases: ${n(r.ghgGco2e)} gCO2e`,
        `Water: ${n(r.waterCl)} cl`,
        `Algorithm ${r.algorithm}, strict grading rule (a score equal to a threshold takes the lower grade: 80 is a B)`,
      ].join('\n'),
  },
} as const;

class UsageError extends Error {}

const MEASURES = [
  ['dom', 'dom'],
  ['requests', 'requests'],
  ['size-kb', 'sizeKb'],
] as const;

/** The language asked for, when the arguments say it clearly enough to word a usage error in it. */
function askedLang(args: string[]): Lang {
  const index = args.findIndex((arg) => arg === '--lang' || arg.startsWith('--lang='));
  if (index < 0) return 'fr';
  const value = args[index] === '--lang' ? args[index + 1] : args[index].slice('--lang='.length);
  return value === 'en' ? 'en' : 'fr';
}

const optionSpec = {
  dom: { type: 'string' },
  requests: { type: 'string' },
  'size-kb': { type: 'string' },
  format: { type: 'string' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseStrictly(args: string[], lang: Lang) {
  try {
    return parseArgs({ args, options: optionSpec, allowPositionals: false, strict: true });
  } catch (error) {
    // A value starting with a dash (`--dom -1`) is taken for an option: say which measure is invalid.
    const { message } = error as Error;
    const ambiguous = message.match(/Option '--([\w-]+)' argument is ambiguous/);
    if (ambiguous) {
      const option = ambiguous[1];
      throw new UsageError(TEXT[lang].invalid(option, args[args.indexOf(`--${option}`) + 1] ?? ''));
    }
    throw new UsageError(TEXT[lang].unknown(message.split('\n')[0]));
  }
}

function parse(args: string[], lang: Lang) {
  const t = TEXT[lang];
  const parsed = parseStrictly(args, lang);
  const { values } = parsed;
  if (values.help) return 'help' as const;
  if (values.lang !== undefined && values.lang !== 'fr' && values.lang !== 'en') {
    throw new UsageError(t.lang(values.lang));
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(t.format(format));
  const input = { dom: 0, requests: 0, sizeKb: 0 };
  for (const [option, field] of MEASURES) {
    const raw = values[option];
    if (raw === undefined) throw new UsageError(t.missing(option));
    if (!/^\d+(\.\d+)?$/.test(raw.trim())) throw new UsageError(t.invalid(option, raw));
    input[field] = Number(raw);
  }
  return { input, format };
}

/** Runs `mesref ecoindex` with its arguments (those after `ecoindex`) and returns the exit code. */
export async function runEcoindex(args: string[], io: EcoindexIo): Promise<number> {
  const lang = askedLang(args);
  const t = TEXT[lang];
  let options: ReturnType<typeof parse>;
  try {
    options = parse(args, lang);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`mesref ecoindex : ${error.message}\n${t.usage}\n`);
    return 2;
  }
  if (options === 'help') {
    io.stdout(`${t.usage}\n\n${t.help}\n`);
    return 0;
  }
  const result = ecoindex(options.input);
  if (options.format === 'json') {
    const colour = ECOINDEX_GRADES.find((g) => g.grade === result.grade)!.colour;
    io.stdout(`${JSON.stringify({ input: options.input, ...result, colour })}\n`);
  } else {
    const number = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { minimumFractionDigits: 2 });
    io.stdout(`${t.result(result, (x) => number.format(x))}\n`);
  }
  return 0;
}
