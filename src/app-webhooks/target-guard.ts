import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface TargetOptions {
  /** Loopback, private, link-local … addresses are acceptable (local set-ups). */
  allowPrivate: boolean;
  /** Only https: URLs are acceptable (live mode). */
  requireHttps: boolean;
}

export interface VettedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * The verdict on a webhook URL. When accepted, `addresses` are the ones that were checked: a
 * sender connects to one of them rather than resolving the name again, so a name that answers
 * a public address to the check and 127.0.0.1 to the connection (DNS rebinding) gains nothing.
 */
export type TargetCheck = { ok: true; url: URL; addresses: VettedAddress[] } | { ok: false; reason: string };

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * Why an address is not a public one (`loopback`, `private`, `linkLocal` …), or null when it is.
 * IPv6 forms that carry an IPv4 address (mapped, NAT64) are judged by that address; any other
 * IPv6 address outside the global unicast space (2000::/3) or in a special range is refused.
 */
export function nonPublicRange(address: string): string | null {
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') {
    const range = parsed.range();
    return range === 'unicast' ? null : range;
  }
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return nonPublicRange(v6.toIPv4Address().toString());
  const range = v6.range();
  if (range === 'rfc6052') {
    const [a, b, c, d] = v6.toByteArray().slice(12);
    return nonPublicRange(`${a}.${b}.${c}.${d}`);
  }
  if (range !== 'unicast') return range;
  return v6.match(GLOBAL_UNICAST_V6) ? null : 'reserved';
}

/** Every address of a name, as the operating system's resolver answers (hosts file included). */
export async function resolveAll(hostname: string): Promise<VettedAddress[]> {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

/**
 * Whether Recur may post webhooks to `url`: http(s) only (https only when required), no
 * credentials in it, and, unless private targets are allowed, every address its name resolves
 * to public: one private answer among public ones refuses the whole name.
 */
export async function checkTarget(
  url: string,
  options: TargetOptions,
  resolve: (hostname: string) => Promise<VettedAddress[]> = resolveAll,
): Promise<TargetCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'is not a URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { ok: false, reason: 'must start with http:// or https://' };
  if (options.requireHttps && parsed.protocol !== 'https:')
    return { ok: false, reason: 'must use https:// in live mode' };
  if (parsed.username || parsed.password)
    return { ok: false, reason: 'must not carry credentials (user:password@)' };
  // The URL parser has already turned every IPv4 spelling (0x7f.1, 2130706433) into dotted form.
  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: VettedAddress[];
  try {
    const family = isIP(hostname);
    addresses = family === 4 || family === 6 ? [{ address: hostname, family }] : await resolve(hostname);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    return { ok: false, reason: `its host ${hostname} does not resolve (${code})` };
  }
  if (addresses.length === 0) return { ok: false, reason: `its host ${hostname} resolves to no address` };
  if (!options.allowPrivate) {
    for (const { address } of addresses) {
      const range = nonPublicRange(address);
      if (range)
        return {
          ok: false,
          reason: `its host ${hostname} resolves to ${address}, a ${range} address; only public addresses are allowed (RECUR_WEBHOOKS_ALLOW_PRIVATE)`,
        };
    }
  }
  return { ok: true, url: parsed, addresses };
}
