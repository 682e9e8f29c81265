import type { Db } from '../db/client.js';
import { settingsRepository as repo } from './repository.js';

export interface Settings {
  /** The scheduler runs an incremental sync every interval while this is on. */
  autoSyncEnabled: boolean;
  /** Off: the public plan catalog is read from the database on every request. */
  cacheEnabled: boolean;
}

const KEYS: Record<keyof Settings, string> = {
  autoSyncEnabled: 'auto_sync_enabled',
  cacheEnabled: 'cache_enabled',
};

/** Hot paths (every public catalog read) use a copy this old at most; a change reaches every instance within it. */
const MEMO_MS = 5_000;

/**
 * Operator switches that change without a restart. The database holds them, so every instance sees
 * the same values; the configuration only gives the value a switch has before anyone sets it.
 */
export class SettingsService {
  private memo: { values: Settings; at: number } | null = null;

  constructor(
    private readonly deps: {
      db: Db;
      defaults: Settings;
      /** Told what changed, after it is stored. */
      onChange?: (changed: Partial<Settings>) => Promise<void>;
    },
  ) {}

  /** `fresh` skips the in-process copy: the scheduler asks the database at every tick. */
  async current(options: { fresh?: boolean } = {}): Promise<Settings> {
    if (!options.fresh && this.memo && Date.now() - this.memo.at < MEMO_MS) return this.memo.values;
    const stored = await repo.read(this.deps.db, Object.values(KEYS));
    const values = { ...this.deps.defaults };
    for (const name of Object.keys(KEYS) as Array<keyof Settings>) {
      const value = stored.get(KEYS[name]);
      if (typeof value === 'boolean') values[name] = value;
    }
    this.memo = { values, at: Date.now() };
    return values;
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const before = await this.current({ fresh: true });
    const writes = Object.fromEntries(
      (Object.keys(KEYS) as Array<keyof Settings>)
        .filter((name) => patch[name] !== undefined)
        .map((name) => [KEYS[name], patch[name]]),
    );
    await repo.write(this.deps.db, writes);
    const after = await this.current({ fresh: true });
    const changed = Object.fromEntries(
      (Object.keys(KEYS) as Array<keyof Settings>)
        .filter((name) => before[name] !== after[name])
        .map((name) => [name, after[name]]),
    ) as Partial<Settings>;
    if (Object.keys(changed).length) await this.deps.onChange?.(changed);
    return after;
  }

  /** For the plan catalog: whether to use its cache right now. */
  readonly cacheEnabled = async (): Promise<boolean> => (await this.current()).cacheEnabled;
}
