// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../../test/helpers.ts';
import { lockDataDir } from './db/lock.ts';
import { DatabaseBusyError } from './errors.ts';

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function busyWith(pid: number) {
  return (error: Error) =>
    error instanceof DatabaseBusyError && error.holderPid === pid && error.message.includes(`pid ${pid}`);
}

describe('embedded database lock', () => {
  const dir = tempDir();
  let n = 0;
  /** A new data folder for each case. */
  const dataDir = () => join(dir.path, `data-${++n}`);
  const lockOf = (d: string) => join(d, 'mesref.lock');
  let sleeper: ReturnType<typeof spawn>;

  before(() => {
    sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  });
  after(() => {
    sleeper.kill();
    dir.remove();
  });

  it('is taken, names this process, and is released', () => {
    const d = dataDir();
    const release = lockDataDir(d);
    assert.equal(readFileSync(lockOf(d), 'utf8'), `${process.pid}\n${hostname()}\n`);
    release();
    assert.equal(existsSync(lockOf(d)), false);
    release(); // twice is harmless
    lockDataDir(d)();
  });

  it('is not taken twice by one process', () => {
    const d = dataDir();
    const release = lockDataDir(d);
    try {
      assert.throws(() => lockDataDir(d), busyWith(process.pid));
    } finally {
      release();
    }
  });

  it('is refused while a live process holds it', () => {
    const d = dataDir();
    lockDataDir(d)();
    writeFileSync(lockOf(d), `${sleeper.pid}\n${hostname()}\n`);
    assert.throws(() => lockDataDir(d), busyWith(sleeper.pid as number));
    assert.equal(
      readFileSync(lockOf(d), 'utf8'),
      `${sleeper.pid}\n${hostname()}\n`,
      'the holder’s lock untouched',
    );
  });

  it('is refused when held from another host, whose processes cannot be checked', () => {
    const d = dataDir();
    lockDataDir(d)();
    writeFileSync(lockOf(d), `${deadPid()}\nanother-host\n`);
    assert.throws(() => lockDataDir(d), DatabaseBusyError);
  });

  const stale: Array<[string, () => string]> = [
    ['left by a process that died', () => `${deadPid()}\n${hostname()}\n`],
    ['in the old format (pid only)', () => String(deadPid())],
    [
      'naming this process’s pid, from a previous life (container restart)',
      () => `${process.pid}\n${hostname()}\n`,
    ],
    ['empty', () => ''],
    ['unreadable', () => 'garbage'],
  ];
  for (const [name, content] of stale) {
    it(`is taken over when ${name}`, () => {
      const d = dataDir();
      lockDataDir(d)();
      writeFileSync(lockOf(d), content());
      const release = lockDataDir(d);
      assert.equal(readFileSync(lockOf(d), 'utf8'), `${process.pid}\n${hostname()}\n`);
      release();
    });
  }

  it('release leaves alone a lock that is no longer this process’s', () => {
    const d = dataDir();
    const release = lockDataDir(d);
    writeFileSync(lockOf(d), `${sleeper.pid}\n${hostname()}\n`);
    release();
    assert.equal(readFileSync(lockOf(d), 'utf8'), `${sleeper.pid}\n${hostname()}\n`);
  });

  it('goes to exactly one of several processes racing for it, even over a stale lock', async () => {
    const d = dataDir();
    lockDataDir(d)();
    writeFileSync(lockOf(d), `${deadPid()}\n${hostname()}\n`);
    // Each racer loads, says it is ready, tries when told to go (all at once), and exits when told to end.
    const script = `
      const { lockDataDir } = await import(${JSON.stringify(join(import.meta.dirname, 'db', 'lock.ts'))});
      process.stdout.write('ready\\n');
      process.stdin.setEncoding('utf8');
      process.stdin.on('data', (line) => {
        if (line.includes('go')) {
          try { lockDataDir(${JSON.stringify(d)}); process.stdout.write('won\\n'); }
          catch (e) { process.stdout.write((e.name === 'DatabaseBusyError' ? 'busy' : 'error ' + e.message) + '\\n'); }
        }
        if (line.includes('end')) process.exit(0);
      });`;
    const racers = Array.from({ length: 6 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      const lines: string[] = [];
      const waiters: Array<() => void> = [];
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        lines.push(...chunk.split('\n').filter(Boolean));
        for (const w of waiters.splice(0)) w();
      });
      const nth = async (i: number) => {
        while (lines.length <= i) await new Promise<void>((r) => waiters.push(r));
        return lines[i];
      };
      const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
      return { child, nth, closed };
    });
    try {
      assert.deepEqual(
        await Promise.all(racers.map((r) => r.nth(0))),
        racers.map(() => 'ready'),
      );
      for (const r of racers) r.child.stdin?.write('go\n');
      const outcomes = (await Promise.all(racers.map((r) => r.nth(1)))).sort();
      assert.deepEqual(outcomes, ['busy', 'busy', 'busy', 'busy', 'busy', 'won']);
    } finally {
      for (const r of racers) r.child.stdin?.write('end\n');
      await Promise.all(racers.map((r) => r.closed));
    }
    assert.equal(existsSync(lockOf(d)), false, 'the winner released it on exit');
  });
});
