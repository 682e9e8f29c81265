import { describe, expect, it } from 'vitest';
import { checkTarget } from './target-guard.js';

const strict = { allowPrivate: false, requireHttps: false };

describe('checkTarget', () => {
  it.each([
    ['a name resolving to 127.0.0.1', 'http://localhost:8080/hooks'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data'],
    ['IPv6 loopback', 'http://[::1]/hooks'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/hooks'],
    ['NAT64 of a private address', 'http://[64:ff9b::a00:1]/hooks'],
    ['10/8', 'http://10.1.2.3/hooks'],
    ['172.16/12', 'http://172.31.255.1/hooks'],
    ['192.168/16', 'http://192.168.0.10/hooks'],
    ['CGNAT 100.64/10', 'http://100.100.1.1/hooks'],
    ['unique-local fc00::/7', 'http://[fd12:3456::1]/hooks'],
    ['link-local fe80::/10', 'http://[fe80::1]/hooks'],
    ['unspecified', 'http://0.0.0.0/hooks'],
    ['multicast', 'http://224.0.0.1/hooks'],
    ['loopback spelled as one number', 'http://2130706433/hooks'],
  ])('refuses %s unless private targets are allowed', async (_, url) => {
    const refused = await checkTarget(url, strict);
    expect(refused).toMatchObject({ ok: false, reason: expect.stringContaining('only public addresses') });
    const allowed = await checkTarget(url, { allowPrivate: true, requireHttps: false });
    expect(allowed.ok).toBe(true);
  });

  it('says which address of the name was refused', async () => {
    const refused = await checkTarget('http://localhost/hooks', strict);
    expect(refused.ok || refused.reason).toMatch(
      /localhost resolves to (127\.0\.0\.1|::1), a loopback address/,
    );
  });

  it('refuses a name when any one of its addresses is not public', async () => {
    const resolve = async () => [
      { address: '93.184.215.14', family: 4 as const },
      { address: '10.0.0.7', family: 4 as const },
    ];
    const refused = await checkTarget('https://mixed.example/hooks', strict, resolve);
    expect(refused).toMatchObject({
      ok: false,
      reason: expect.stringContaining('10.0.0.7, a private address'),
    });
  });

  it('accepts a public address and hands back the address it checked', async () => {
    const checked = await checkTarget('https://93.184.215.14/hooks', {
      allowPrivate: false,
      requireHttps: true,
    });
    expect(checked).toMatchObject({ ok: true, addresses: [{ address: '93.184.215.14', family: 4 }] });
    const v6 = await checkTarget('https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/', strict);
    expect(v6).toMatchObject({ ok: true, addresses: [{ family: 6 }] });
  });

  it('returns every address a name resolves to', async () => {
    const checked = await checkTarget('http://localhost:1/', { allowPrivate: true, requireHttps: false });
    expect(checked.ok && checked.addresses.map((a) => a.address)).toContain('127.0.0.1');
  });

  it.each([
    ['ftp://93.184.215.14/', 'must start with http:// or https://'],
    ['file:///etc/passwd', 'must start with http:// or https://'],
    ['not a url', 'is not a URL'],
    ['https://user:secret@93.184.215.14/', 'must not carry credentials'],
    ['https://user@93.184.215.14/', 'must not carry credentials'],
    ['http://name.invalid/', 'does not resolve'],
  ])('refuses %s', async (url, reason) => {
    const refused = await checkTarget(url, strict);
    expect(refused).toMatchObject({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('requires https when told to (live mode)', async () => {
    const refused = await checkTarget('http://93.184.215.14/', { allowPrivate: false, requireHttps: true });
    expect(refused).toMatchObject({ ok: false, reason: 'must use https:// in live mode' });
    const local = await checkTarget('http://localhost/', { allowPrivate: true, requireHttps: true });
    expect(local.ok).toBe(false);
  });
});
