#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node's test runner (Node 20 expands no globs itself).
// With DATABASE_URL set, the suite also runs against that PostgreSQL server (each test file makes its own
// fresh database on it); the embedded PGlite lane always runs.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
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

const lanes = [{ name: 'PGlite', env: { ...process.env, DATABASE_URL: '', MESREF_TEST_LANE: 'pglite' } }];
if (process.env.DATABASE_URL) {
  lanes.push({ name: 'PostgreSQL', env: { ...process.env, MESREF_TEST_LANE: 'postgres' } });
}

// A test file that takes more than 15 minutes has hung: it fails rather than stalling the run (the runner
// applies the timeout to each file as a whole, and a browser file takes minutes on a busy 2-core machine).
// Some files run once rather than once per database:
// - a file that says `mesref-test: no-database` tests pure rules or tools that never open a database: first lane;
// - a page test in a real browser (`*.browser.test.ts`) checks what a person sees and does in the pages, which
//   the database under them does not change (the API and service tests of the same features run in every
//   lane): last lane, which has the lighter share otherwise (PostgreSQL is faster than PGlite), each browser
//   file placed between two others so that a lane rarely runs two Chromiums at once.
// With two lanes, both run at the same time (each two files at a time): the machine's cores are kept busy
// while one lane waits on a browser or a database. Each lane's output is printed whole when it ends.
const databaseFree = new Set(
  files.filter((f) => readFileSync(f, 'utf8').includes('mesref-test: no-database')),
);
const isBrowser = (f) => f.endsWith('.browser.test.ts');

/** The files of one lane, browser files spread among the others. */
function laneFilesOf(index) {
  const last = index === lanes.length - 1;
  const own = files.filter((f) => (index === 0 || !databaseFree.has(f)) && (!isBrowser(f) || last));
  const browsers = own.filter(isBrowser);
  const others = own.filter((f) => !isBrowser(f));
  const out = [];
  const step = Math.max(1, Math.floor(others.length / (browsers.length + 1)));
  for (const [i, f] of others.entries()) {
    out.push(f);
    if ((i + 1) % step === 0 && browsers.length) out.push(browsers.shift());
  }
  return [...out, ...browsers];
}

function runLane(lane, laneFiles) {
  const started = Date.now();
  const header = `\n── ${lane.name} lane: ${laneFiles.length} test files ──\n`;
  // With no file, node --test would look for tests everywhere: there is nothing to run.
  if (laneFiles.length === 0) return Promise.resolve({ lane, ok: true, output: header, seconds: 0 });
  return new Promise((resolve) => {
    const chunks = [];
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-concurrency=2',
        '--test-timeout=900000',
        '--test-reporter=spec',
        ...laneFiles,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: lane.env },
    );
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('close', (code) =>
      resolve({
        lane,
        ok: code === 0,
        output: header + Buffer.concat(chunks).toString('utf8'),
        seconds: Math.round((Date.now() - started) / 1000),
      }),
    );
  });
}

const results = await Promise.all(
  lanes.map((lane, index) =>
    runLane(lane, laneFilesOf(index)).then((result) => {
      process.stdout.write(result.output);
      process.stdout.write(
        `\n── ${lane.name} lane ${result.ok ? 'passed' : 'FAILED'} in ${result.seconds} s ──\n`,
      );
      return result;
    }),
  ),
);
process.exit(results.every((r) => r.ok) ? 0 : 1);
