/**
 * Keeps the store on disk for embedded use: loaded at start, written after writes (debounced, so
 * a burst of requests costs one write) and on close. Writes go to a temporary file renamed over the
 * snapshot, so a crash mid-write never leaves a torn file.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Store, StoreSnapshot } from './store.js';

export interface SnapshotWriter {
  flush(): Promise<void>;
  close(): Promise<void>;
}

export async function loadSnapshot(store: Store, path: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const snapshot = JSON.parse(text) as StoreSnapshot;
  if (snapshot.version !== 1) throw new Error(`Unsupported emulator snapshot version in ${path}`);
  store.restore(snapshot);
  return true;
}

/**
 * Temporary files a killed process left beside the snapshot (this name, and the per-process names
 * of earlier versions): only ever half a snapshot, removed before writing starts.
 */
export async function removeLeftoverTemps(path: string): Promise<void> {
  const name = basename(path);
  let entries: string[];
  try {
    entries = await readdir(dirname(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const leftovers = entries.filter((e) => e.startsWith(`${name}.`) && e.endsWith('.tmp'));
  await Promise.all(leftovers.map((e) => rm(join(dirname(path), e), { force: true })));
}

export function startSnapshotWriter(
  store: Store,
  path: string,
  onError: (error: unknown) => void,
  debounceMs = 250,
): SnapshotWriter {
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;

  // One temporary name: the snapshot has one writer, and a write that fails removes what it began.
  const temp = `${path}.tmp`;
  const write = async () => {
    await mkdir(dirname(path), { recursive: true });
    try {
      // Owner only, from the moment the file exists: it holds customers' emails and the webhook
      // secret. A mode applies only to a file being created, so a leftover is removed first; the
      // rename keeps the mode, so the snapshot itself is never readable by others.
      await rm(temp, { force: true });
      await writeFile(temp, JSON.stringify(store.snapshot()), { mode: 0o600 });
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  };

  // Writes are chained so that two never race on the rename.
  const flush = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    writing = writing.then(write, write);
    return writing;
  };

  const unsubscribe = store.onChange(() => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      flush().catch(onError);
    }, debounceMs);
    timer.unref();
  });

  return {
    flush,
    async close() {
      closed = true;
      unsubscribe();
      await flush();
    },
  };
}
