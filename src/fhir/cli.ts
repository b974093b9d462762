/**
 * `mesref fhir validate <file...>`: validates FHIR resources offline, without a database or a server.
 * JSON output is one OperationOutcome per file, one per line (NDJSON), in the order of the arguments; text
 * output is for a person. Exit code: 0 when no file has an error-level issue, 1 when one has (or a file
 * cannot be read), 2 on a usage error.
 */
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadFhirMaxResourceBytes } from '../platform/config.ts';
import { type Catalog, type Locale, type Translate, translator } from '../platform/i18n.ts';
import {
  type CheckedText,
  checkText,
  formatMessage,
  hasErrors,
  type Outcome,
  outcomeOf,
  plainOutcome,
  toOperationOutcome,
  tooLargeIssue,
  type ValidationIssue,
} from './index.ts';
import { fhirMessages, plural } from './messages.ts';

/** What the command reads and writes: the process's streams and files, or a test's stand-ins. */
export interface ValidateIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Reads at most `cap` bytes of a file (`-`: standard input). `size` is the file's whole size when known
   * without reading it (a regular file), so that a file over the limit is refused without being read.
   */
  read(file: string, cap: number): Promise<{ bytes: Buffer; size?: number }>;
  env: Record<string, string | undefined>;
}

/** The real process: its standard streams, its files, its environment. */
export function processIo(): ValidateIo {
  // A reader that stops early (`| head`) closes the pipe: that ends the output, it is not a failure.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    read: readCapped,
    env: process.env,
  };
}

async function readCapped(file: string, cap: number): Promise<{ bytes: Buffer; size?: number }> {
  let size: number | undefined;
  if (file !== '-') {
    const { stat } = await import('node:fs/promises');
    const info = await stat(file);
    if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    if (info.isFile()) size = info.size;
    if (size !== undefined && size > cap) return { bytes: Buffer.alloc(0), size };
  }
  const stream = file === '-' ? process.stdin : createReadStream(file, { end: cap - 1 });
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
    // Standard input has no size to look at first: stop reading once past the limit.
    if (length >= cap) break;
  }
  return { bytes: Buffer.concat(chunks).subarray(0, cap), size };
}

const MAX_BYTES_CEILING = 256 * 1024 * 1024;

interface Options {
  files: string[];
  format: 'json' | 'text';
  rules: 'mes' | 'ig';
  locale: Locale;
  maxBytes?: number;
}

class UsageError extends Error {}

const optionSpec = {
  format: { type: 'string' },
  'ig-only': { type: 'boolean' },
  lang: { type: 'string' },
  'max-bytes': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseStrictly(args: string[], t: () => Translate) {
  try {
    return parseArgs({ args, options: optionSpec, allowPositionals: true, strict: true });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = message.match(/'([^']+)'/)?.[1] ?? message;
      throw new UsageError(t()('fhir.cli.usage.unknown_option', { option }));
    }
    throw new UsageError(t()('fhir.cli.usage.bad_option', { detail: message }));
  }
}

function parse(args: string[], t: () => Translate): Options | 'help' {
  const parsed = parseStrictly(args, t);
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const locale = values.lang ?? 'fr';
  if (locale !== 'fr' && locale !== 'en') throw new UsageError(t()('fhir.cli.usage.lang', { value: locale }));
  const tr = translator(fhirMessages, locale);
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'text')
    throw new UsageError(tr('fhir.cli.usage.format', { value: format }));
  let maxBytes: number | undefined;
  if (values['max-bytes'] !== undefined) {
    const raw = values['max-bytes'];
    maxBytes = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1 || maxBytes > MAX_BYTES_CEILING) {
      throw new UsageError(tr('fhir.cli.usage.max_bytes', { value: raw, max: MAX_BYTES_CEILING }));
    }
  }
  if (positionals.length === 0) throw new UsageError(tr('fhir.cli.usage.no_file'));
  return { files: positionals, format, rules: values['ig-only'] ? 'ig' : 'mes', locale, maxBytes };
}

/** The locale asked for, when the arguments say it clearly enough to word a usage error in it. */
function askedLocale(args: string[]): Locale {
  const index = args.findIndex((arg) => arg === '--lang' || arg.startsWith('--lang='));
  if (index < 0) return 'fr';
  const value = args[index] === '--lang' ? args[index + 1] : args[index].slice('--lang='.length);
  return value === 'en' ? 'en' : 'fr';
}

/** What one file gave: its outcome, and whether it has an error-level issue. */
interface FileResult {
  file: string;
  outcome: Outcome;
  issues: ValidationIssue[];
  failed: boolean;
  /** Set when the file could not be read: the reason, for a person. */
  unreadable?: string;
}

async function validateFile(file: string, options: Options, maxBytes: number, io: ValidateIo, t: Translate) {
  const validateOptions = { rules: options.rules, maxBytes };
  let read: { bytes: Buffer; size?: number };
  try {
    read = await io.read(file, maxBytes + 1);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const key = `fhir.cli.reason.${code}`;
    const reason = code && key in fhirMessages ? t(key) : (error as Error).message;
    const outcome = plainOutcome({
      severity: 'fatal',
      code: code === 'ENOENT' ? 'not-found' : 'exception',
      text: t('fhir.outcome.unreadable', { reason }),
      diagnostics: code,
    });
    return { file, outcome, issues: [], failed: true, unreadable: reason } satisfies FileResult;
  }
  if ((read.size ?? 0) > maxBytes || read.bytes.length > maxBytes) {
    const issues = [tooLargeIssue(maxBytes, read.size)];
    return {
      file,
      outcome: toOperationOutcome(issues, options.locale),
      issues,
      failed: true,
    } satisfies FileResult;
  }
  // UTF-8, as FHIR JSON is; a byte-order mark is dropped.
  const text = new TextDecoder('utf-8').decode(read.bytes);
  const checked: CheckedText = checkText(text, validateOptions);
  const outcome = outcomeOf(checked, options.locale, t('fhir.outcome.internal'));
  if (checked.failure) io.stderr(`${file}: ${checked.failure.message}\n`);
  return {
    file,
    outcome,
    issues: checked.issues,
    failed: Boolean(checked.failure) || hasErrors(checked.issues),
  } satisfies FileResult;
}

function counts(t: Translate, locale: Locale, issues: ValidationIssue[]): string {
  const n = (severities: string[]) => issues.filter((issue) => severities.includes(issue.severity)).length;
  const parts = [
    plural(t, 'fhir.count.error', n(['fatal', 'error']), locale),
    plural(t, 'fhir.count.warning', n(['warning']), locale),
  ];
  const information = n(['information']);
  if (information > 0) parts.push(plural(t, 'fhir.count.information', information, locale));
  return parts.join(', ');
}

/** `<file>:<line>:<col> <severity> <expression> — <message>`, and MES's own diagnostic on the next line. */
function textReport(result: FileResult, options: Options, t: Translate): string {
  const { file } = result;
  const lines: string[] = [];
  if (result.unreadable !== undefined) {
    lines.push(
      t('fhir.cli.file_invalid', { file, counts: plural(t, 'fhir.count.error', 1, options.locale) }),
    );
    lines.push(`${file} fatal — ${result.outcome.issue[0].details.text}`);
    return `${lines.join('\n')}\n`;
  }
  if (result.issues.length === 0 && !result.failed) return `${t('fhir.cli.file_valid', { file })}\n`;
  const summary = counts(t, options.locale, result.issues);
  lines.push(
    result.failed
      ? t('fhir.cli.file_invalid', { file, counts: summary })
      : t('fhir.cli.file_valid_with', { file, counts: summary }),
  );
  if (result.issues.length === 0) {
    // The validator itself failed on this file.
    lines.push(`${file} fatal — ${result.outcome.issue[0].details.text}`);
  }
  // In the order of the text, as a compiler lists its errors (those without a position first).
  const position = (issue: ValidationIssue) =>
    issue.location ? issue.location.line * 1e7 + issue.location.column : -1;
  for (const issue of [...result.issues].sort((a, b) => position(a) - position(b))) {
    const where = issue.location ? `${file}:${issue.location.line}:${issue.location.column}` : file;
    const message = formatMessage(issue.messageId, options.locale, issue.params);
    lines.push(`${where} ${issue.severity} ${issue.expression} — ${message}`);
    if (issue.mes) lines.push(`    ${t('fhir.cli.mes', { diagnostic: issue.mes.diagnostic })}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs `mesref fhir validate` with its arguments (those after `validate`) and returns the exit code. Every
 * file gets its outcome, whatever it holds; nothing here throws on a file's content.
 */
export async function runValidate(args: string[], io: ValidateIo): Promise<number> {
  const fallback = askedLocale(args);
  let options: Options | 'help';
  try {
    options = parse(args, () => translator(fhirMessages, fallback));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const t = translator(fhirMessages, fallback);
    io.stderr(`mesref fhir validate : ${error.message}\n${t('fhir.cli.usage_line')}\n`);
    return 2;
  }
  if (options === 'help') {
    const t = translator(fhirMessages, fallback);
    io.stdout(`${t('fhir.cli.usage_line')}\n\n${t('fhir.cli.help')}\n`);
    return 0;
  }
  let maxBytes: number;
  try {
    maxBytes = options.maxBytes ?? loadFhirMaxResourceBytes(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${error.message}\n`);
    return 1;
  }
  const t = translator(fhirMessages satisfies Catalog, options.locale);
  let failedFiles = 0;
  for (const file of options.files) {
    const result = await validateFile(file, options, maxBytes, io, t);
    if (result.unreadable !== undefined)
      io.stderr(`${t('fhir.cli.cannot_read', { file, reason: result.unreadable })}\n`);
    if (result.failed) failedFiles++;
    io.stdout(
      options.format === 'json' ? `${JSON.stringify(result.outcome)}\n` : textReport(result, options, t),
    );
  }
  if (options.format === 'text') {
    io.stdout(
      `${t('fhir.cli.summary', { files: plural(t, 'fhir.count.file', options.files.length, options.locale), failed: failedFiles })}\n`,
    );
  }
  return failedFiles > 0 ? 1 : 0;
}
