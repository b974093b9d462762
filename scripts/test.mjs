#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node's test runner (Node 20 expands no globs itself).
// With DATABASE_URL set, the suite also runs against that PostgreSQL server (each test file makes its own
// fresh database on it); the embedded PGlite lane always runs.
import { spawnSync } from 'node:child_process';
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
//   lane). They are dealt to the lanes in turn, so that each lane runs a browser file beside a lighter one
//   rather than two Chromiums at once.
const databaseFree = new Set(
  files.filter((f) => readFileSync(f, 'utf8').includes('mesref-test: no-database')),
);
const browserLane = new Map(
  files.filter((f) => f.endsWith('.browser.test.ts')).map((f, i) => [f, i % lanes.length]),
);

let failed = false;
for (const [index, lane] of lanes.entries()) {
  const laneFiles = files.filter(
    (f) => (index === 0 || !databaseFree.has(f)) && (browserLane.get(f) ?? index) === index,
  );
  process.stdout.write(`\n── ${lane.name} lane: ${laneFiles.length} test files ──\n`);
  // With no file, node --test would look for tests everywhere: there is nothing to run.
  if (laneFiles.length === 0) continue;
  const result = spawnSync(
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
    { stdio: 'inherit', env: lane.env },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
