import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DatabaseBusyError } from '../errors.ts';

/** Lock files this process holds: a pid equal to ours in a lock we do not hold is a previous life's. */
const held = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Holder {
  pid: number;
  host: string;
}

/** The lock file holds the holder's pid on its first line and its host name on the second. */
function readHolder(path: string): Holder | undefined {
  try {
    const [pid, host] = readFileSync(path, 'utf8').split('\n');
    return { pid: Number(pid), host: host ?? '' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Whether the holder may still be using the database. A lock from another host cannot be checked: it holds. */
function holds(path: string, holder: Holder): boolean {
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return false;
  if (holder.host && holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return held.has(path);
  return isAlive(holder.pid);
}

/**
 * Takes the embedded database's lock file: PGlite must be opened by one process at a time, or its files
 * are corrupted. A lock left by a process that no longer runs (killed, crashed, or a container restarted
 * with the same pid) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'mesref.lock');
  const content = `${process.pid}\n${hostname()}\n`;
  for (let attempt = 0; attempt < 5; attempt++) {
    // Written aside then linked into place: the lock appears whole, and only one process can create it.
    const mine = `${path}.${process.pid}.${attempt}.tmp`;
    writeFileSync(mine, content);
    try {
      linkSync(mine, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(path);
      if (holder === undefined) continue;
      if (holds(path, holder)) throw new DatabaseBusyError(dataDir, holder.pid);
      takeOverStale(path, holder, dataDir);
      continue;
    } finally {
      rmSync(mine, { force: true });
    }
    held.add(path);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      held.delete(path);
      process.off('exit', release);
      try {
        if (readFileSync(path, 'utf8') === content) rmSync(path);
      } catch {
        // already gone
      }
    };
    process.on('exit', release);
    return release;
  }
  throw new Error(`Impossible de prendre le verrou ${path}`);
}

/**
 * Removes a stale lock. It is first moved aside, which only one process can do; if what was moved is not
 * the stale lock that was read (another process took over in between), it is put back.
 */
function takeOverStale(path: string, stale: Holder, dataDir: string): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readHolder(aside);
  if (moved && (moved.pid !== stale.pid || moved.host !== stale.host) && holds(path, moved)) {
    try {
      linkSync(aside, path);
    } finally {
      rmSync(aside, { force: true });
    }
    throw new DatabaseBusyError(dataDir, moved.pid);
  }
  rmSync(aside, { force: true });
}
