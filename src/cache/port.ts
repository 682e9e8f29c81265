/** A shared key-value cache with expiry; values are JSON. */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
