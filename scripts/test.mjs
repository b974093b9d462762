#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ (Node 20 expands no globs itself): `node scripts/test.mjs [part…]`
// runs the files whose path contains one of the parts.
//
// Each test file runs on the embedded PGlite and, with DATABASE_URL set, on that PostgreSQL server too (each
// file makes its own fresh database there). Some files run once rather than once per database:
// - a file that says `mesref-test: no-database` tests pure rules or tools that never open a database: on PGlite;
// - a file that says `mesref-test: once` checks what the database under it does not change (the authorization
//   walk: every route as every role): on PostgreSQL when there is one;
// - a page test in a real browser (`*.browser.test.ts`) checks what a person sees and does in the pages, which the
//   database under them does not change (the API and service tests of the same features run on both): on
//   PostgreSQL when there is one.
//
// Every (file, database) run is a job of one queue, run as its own node process, four at a time with two
// databases (two with one): the machine's cores stay busy while a job waits on a browser or a database. The
// longest jobs (by an estimate: size, database, browser, child processes) start first, so that the run does not
// end on one long file running alone. Each job's output is printed whole when it ends; then a summary: counts per
// database, the failed files, and the slowest jobs with their times.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) find(path, out);
    else if (name.endsWith('.test.ts') || name.endsWith('.test.tsx')) out.push(path);
  }
  return out;
}

const filter = process.argv.slice(2);
let files = [...find('src'), ...find('test')].sort();
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));

const pglite = { name: 'PGlite', env: { ...process.env, DATABASE_URL: '', MESREF_TEST_LANE: 'pglite' } };
const postgres = process.env.DATABASE_URL
  ? { name: 'PostgreSQL', env: { ...process.env, MESREF_TEST_LANE: 'postgres' } }
  : undefined;
const databases = postgres ? [pglite, postgres] : [pglite];
const concurrency = postgres ? 4 : 2;
// A file that runs this long has hung: it fails rather than stalling the run (a browser file takes minutes
// on a busy 2-core machine).
const HANG_MS = 15 * 60_000;

const jobs = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const browser = file.endsWith('.browser.test.ts');
  const on = text.includes('mesref-test: no-database')
    ? [pglite]
    : browser || text.includes('mesref-test: once')
      ? [postgres ?? pglite]
      : databases;
  // What a job is likely to take, to start the longest first: its size, times 2 on PGlite (slower than a
  // server), 4 for a browser, 3 for a file that starts mesref commands as child processes.
  const spawns = /bin', 'mesref\.js'|spawn\(process\.execPath/.test(text);
  for (const database of on) {
    const weight = text.length * (database === pglite ? 2 : 1) * (browser ? 4 : 1) * (spawns ? 3 : 1);
    jobs.push({ file, database, weight });
  }
}
jobs.sort((a, b) => b.weight - a.weight);

const timesDir = mkdtempSync(join(tmpdir(), 'mesref-file-times-'));
const fileTimes = join(import.meta.dirname, 'file-times.mjs');

function run(job, index) {
  const started = Date.now();
  const timesFile = join(timesDir, `${index}.txt`);
  return new Promise((resolve) => {
    const chunks = [];
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        `--test-reporter=${fileTimes}`,
        `--test-reporter-destination=${timesFile}`,
        job.file,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: job.database.env },
    );
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, HANG_MS);
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('close', (code) => {
      clearTimeout(timer);
      const output = Buffer.concat(chunks).toString('utf8');
      const count = (what) => Number(new RegExp(`^ℹ ${what} (\\d+)`, 'm').exec(output)?.[1] ?? 0);
      let times = [];
      try {
        times = readFileSync(timesFile, 'utf8').split('\n').filter(Boolean);
      } catch {
        // no times: the process died before writing them; its output says why
      }
      resolve({
        ...job,
        ok: code === 0 && !hung,
        hung,
        output,
        pass: count('pass'),
        fail: count('fail'),
        skipped: count('skipped'),
        seconds: (Date.now() - started) / 1000,
        times,
      });
    });
  });
}

const startedAt = Date.now();
const results = [];
let next = 0;
async function worker() {
  while (next < jobs.length) {
    const index = next++;
    const result = await run(jobs[index], index);
    results.push(result);
    const verdict = result.ok
      ? 'passed'
      : result.hung
        ? `HUNG (killed after ${HANG_MS / 60_000} min)`
        : 'FAILED';
    process.stdout.write(
      `\n── ${result.file} · ${result.database.name} · ${verdict} in ${result.seconds.toFixed(0)} s ──\n${result.output}`,
    );
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
rmSync(timesDir, { recursive: true, force: true });

const lines = ['', `══ ${jobs.length} test file runs in ${Math.round((Date.now() - startedAt) / 1000)} s ══`];
for (const database of databases) {
  const mine = results.filter((r) => r.database === database);
  const sum = (key) => mine.reduce((total, r) => total + r[key], 0);
  lines.push(
    `${database.name}: ${mine.length} files, ${sum('pass')} passed, ${sum('fail')} failed, ${sum('skipped')} skipped`,
  );
}
const failed = results.filter((r) => !r.ok);
for (const r of failed) lines.push(`FAILED: ${r.file} (${r.database.name})${r.hung ? ', hung' : ''}`);
lines.push('', 'The 15 slowest runs (whole process; a helper-declared suite in it, by its tests’ time):');
for (const r of [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 15)) {
  const suites = r.times.filter((t) => t.includes(' › ')).map((t) => t.trim());
  lines.push(
    `${r.seconds.toFixed(0).padStart(6)} s  ${r.file} (${r.database.name})${suites.length ? `\n${suites.map((s) => `          ${s}`).join('\n')}` : ''}`,
  );
}
lines.push('', failed.length ? `${failed.length} file run(s) FAILED` : 'all passed', '');
process.stdout.write(lines.join('\n'));
process.exit(failed.length ? 1 : 0);
