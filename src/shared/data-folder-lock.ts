import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file that names the process owning a data folder. */
export const LOCK_FILE = 'recur.lock';

interface Owner {
  pid: number;
  command: string;
  since: string;
}

/** Another live process owns the folder: said in one line, naming it. */
export class DataFolderBusyError extends Error {
  constructor(
    readonly dir: string,
    readonly owner: Owner,
  ) {
    super(
      `the data folder ${dir} is in use by \`recur ${owner.command}\` (pid ${owner.pid}); ` +
        'stop it first, or set RECUR_DATA_DIR to another folder',
    );
  }
}

export interface DataFolderLock {
  release(): void;
}

/**
 * Makes this process the one owner of a data folder. PGlite's files and the emulator's state file
 * hold one writer's view each: a second process on them corrupts the first one's state, so it is
 * refused. A lock whose process is gone (a crash, a kill -9) is stale and taken over; the lock is
 * dropped on every exit path Node runs (`exit`), and a kill that skips it leaves a stale lock.
 */
export function claimDataFolder(dir: string, command: string): DataFolderLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const mine: Owner = { pid: process.pid, command, since: new Date().toISOString() };
  const text = `${JSON.stringify(mine)}\n`;
  for (let attempt = 0; ; attempt++) {
    if (createWith(path, text)) break;
    const owner = readOwner(path);
    if (owner && isAlive(owner.pid)) throw new DataFolderBusyError(dir, owner);
    // Stale (or torn by a crash mid-write): removed once, then claimed as if it never existed.
    if (attempt > 0) throw new DataFolderBusyError(dir, owner ?? { pid: 0, command: 'unknown', since: '' });
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    // Only our own lock is removed: never one a later owner took over.
    if (readOwner(path)?.pid === process.pid) unlinkSync(path);
  };
  process.on('exit', release);
  return { release };
}

/**
 * Creates the lock with its content in one step: written beside it, then hard-linked into place,
 * which fails when a lock exists, so no reader ever sees a lock file without its owner in it.
 */
function createWith(path: string, text: string): boolean {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

function readOwner(path: string): Owner | null {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' && typeof owner.command === 'string' ? (owner as Owner) : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  // A lock naming this very process was left by an earlier life under the same pid (a container's 1).
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
