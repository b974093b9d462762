#!/usr/bin/env node
// Writes the FHIR validator's message catalogue (every message id, its French and English text, its default
// severity where the validator's code fixes it) into docs/fhir-validation.md, between the markers
// <!-- messages:start --> and <!-- messages:end -->.
//
//   npm run docs:fhir-messages            rewrites the table
//   npm run docs:fhir-messages -- --check exits 1 when the table is out of date (src/fhir/messages-doc.test.ts)
//
// It reads the catalogue through tsx: run it with `node --import tsx`.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DOC_PATH = join(root, 'docs', 'fhir-validation.md');
const VALIDATION_DIR = join(root, 'src', 'fhir', 'validation');
export const START = '<!-- messages:start -->';
export const END = '<!-- messages:end -->';

const SEVERITIES = ['fatal', 'error', 'warning', 'information'];

/**
 * The innermost call or object literal around `index` in `source` (its brackets balanced, strings skipped
 * roughly): where a message id is used, the severity given with it, if any, is there.
 */
function enclosing(source, index) {
  let depth = 0;
  let start = -1;
  for (let i = index; i >= 0 && index - i < 2000; i--) {
    const c = source[i];
    if (c === ')' || c === '}') depth++;
    else if (c === '(' || c === '{') {
      if (depth === 0) {
        start = i;
        break;
      }
      depth--;
    }
  }
  if (start < 0) return '';
  const open = source[start];
  const close = open === '(' ? ')' : '}';
  depth = 0;
  for (let i = start; i < source.length && i - start < 4000; i++) {
    const c = source[i];
    if (c === open) depth++;
    else if (c === close && --depth === 0) return source.slice(start, i + 1);
  }
  return '';
}

/**
 * The severities the validator's code gives each message id, where it writes them beside the id (in the same
 * call or object literal). An id whose severity comes from elsewhere (a rule's data, a variable) has none here.
 */
export function scanSeverities(ids) {
  const known = new Set(ids);
  const found = new Map();
  const unknown = new Set();
  const files = readdirSync(VALIDATION_DIR).filter(
    (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.startsWith('messages'),
  );
  for (const name of files.sort()) {
    const source = readFileSync(join(VALIDATION_DIR, name), 'utf8');
    for (const match of source.matchAll(/'([a-z0-9][a-z0-9-]*)'/g)) {
      const id = match[1];
      if (!known.has(id)) continue;
      const around = enclosing(source, match.index);
      const severities = [...around.matchAll(/'(fatal|error|warning|information)'/g)].map((m) => m[1]);
      if (severities.length === 1) {
        if (!found.has(id)) found.set(id, new Set());
        found.get(id).add(severities[0]);
      } else unknown.add(id);
    }
  }
  const result = new Map();
  for (const [id, severities] of found) {
    // An id also used where its severity is not written beside it: not known for sure.
    if (unknown.has(id)) continue;
    result.set(
      id,
      SEVERITIES.filter((s) => severities.has(s)),
    );
  }
  return result;
}

const cell = (text) =>
  String(text)
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');

/** The Markdown table of the catalogue, sorted by message id. */
export async function messagesTable() {
  const { validationMessages } = await import('../src/fhir/validation/messages.ts');
  const ids = Object.keys(validationMessages).sort();
  const severities = scanSeverities(ids);
  const lines = [
    `${ids.length} messages. Placeholders in braces (\`{max}\`) are filled in with the issue's details.`,
    '',
    '| id | default severity | français | English |',
    '|---|---|---|---|',
  ];
  for (const id of ids) {
    const { fr, en } = validationMessages[id];
    const severity = severities.get(id)?.join(', ') || '—';
    lines.push(`| \`${id}\` | ${severity} | ${cell(fr)} | ${cell(en)} |`);
  }
  return lines.join('\n');
}

/** The document with `table` between its markers; throws when the markers are missing. */
export function withTable(doc, table) {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${DOC_PATH}: markers ${START} … ${END} not found`);
  return `${doc.slice(0, start + START.length)}\n${table}\n${doc.slice(end)}`;
}

async function main() {
  const check = process.argv.includes('--check');
  const doc = readFileSync(DOC_PATH, 'utf8');
  const updated = withTable(doc, await messagesTable());
  if (updated === doc) {
    process.stdout.write('docs/fhir-validation.md: message catalogue up to date\n');
    return 0;
  }
  if (check) {
    process.stderr.write(
      'docs/fhir-validation.md: message catalogue out of date; run npm run docs:fhir-messages\n',
    );
    return 1;
  }
  writeFileSync(DOC_PATH, updated);
  process.stdout.write('docs/fhir-validation.md: message catalogue written\n');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
