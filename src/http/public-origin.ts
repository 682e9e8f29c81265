/**
 * Recur's own address as users reach it: configured (RECUR_PUBLIC_URL), or learnt when `recur serve`
 * binds its port (port 0 picks one at start). Read at each use, never copied at start-up.
 */
export class PublicOrigin {
  private bound: string | null = null;

  constructor(
    private readonly configured: string | undefined,
    /** Until a port is bound (tests that inject requests): the configured host and port. */
    private readonly fallback: string,
  ) {}

  /** Told by `recur serve` where it listens; a configured origin still wins. */
  bind(origin: string): void {
    this.bound = origin;
  }

  get value(): string {
    return this.configured ?? this.bound ?? this.fallback;
  }

  /** The customer billing page, served by this process at /billing. */
  get billingPage(): string {
    return `${this.value}/billing`;
  }
}

/** `http://host:port`, with an IPv6 host in brackets and a wildcard host replaced by loopback. */
export function originOf(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
