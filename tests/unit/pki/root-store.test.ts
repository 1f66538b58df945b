import { describe, expect, it } from 'vitest';
import { findBuiltInIssuer, loadBuiltInRoots } from '../../../src/core/pki/validation/root-store';
import { chainStatus } from '../../../src/core/pki/validation/chain-status';
import { buildAndValidate } from '../../../src/core/pki/validation/path-validation';
import { readLimbo } from '../../../src/cli/limbo';
import { fixturePath, fixtureText, openssl, tempDir, writeTemp } from '../../support/fixtures';

const pemBlocks = (text: string): Uint8Array[] =>
  [...text.matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)].map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
const sha256 = async (der: Uint8Array) => Buffer.from(await crypto.subtle.digest('SHA-256', der as BufferSource)).toString('hex');

describe('built-in root store (src/data/mozilla-roots.ts)', () => {
  it('holds the same 144 roots as ../shared/fixtures/mozilla-roots.pem', async () => {
    const store = await loadBuiltInRoots();
    expect(store.roots).toHaveLength(144);
    const expected = pemBlocks(fixtureText('mozilla-roots.pem'));
    expect(expected).toHaveLength(144);
    const ours = new Set(await Promise.all(store.roots.map(sha256)));
    const theirs = new Set(await Promise.all(expected.map(sha256)));
    expect(ours).toEqual(theirs);
    expect(store.source).toMatch(/tls\.rootCertificates/);
    expect(store.generated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('every built-in root, once imported, is a complete chain (SHA-1 self-signatures included)', async () => {
    const store = await loadBuiltInRoots();
    const time = new Date('2026-01-01T00:00:00Z');
    const kinds = new Map<string, number>();
    for (const root of store.roots) {
      const status = await chainStatus(root, store.roots, { time, builtInRoots: store.roots });
      kinds.set(status.kind, (kinds.get(status.kind) ?? 0) + 1);
    }
    expect(Object.fromEntries(kinds)).toEqual({ complete: 144 });
  });

  it('the CABF root profile is not applied to roots a root program vetted', async () => {
    const store = await loadBuiltInRoots();
    const { parseCertificate, nameToString } = await import('../../../src/core/pki/x509');
    // QuoVadis Root CA 2 (2006) names its issuer and serial in its AKI, which BR 7.1.2.1.3 now forbids.
    const quovadis = store.roots.find((r) => nameToString(parseCertificate(r).subject).startsWith('CN=QuoVadis Root CA 2,'))!;
    const time = new Date('2026-01-01T00:00:00Z');
    // Named by the caller, or found in the built-in store when the caller named none.
    expect(await chainStatus(quovadis, [], { time, builtInRoots: store.roots })).toMatchObject({ kind: 'complete' });
    expect(await chainStatus(quovadis, [], { time })).toMatchObject({ kind: 'complete' });
    // Any other root breaking the profile is refused, as webpki::aki::* in limbo expect.
    expect(await chainStatus(quovadis, [], { time, builtInRoots: [] })).toMatchObject({ kind: 'untrusted', problems: [{ code: 'authority-key-identifier-issuer-serial' }] });
  });

  it('every root is a certificate OpenSSL reads', async () => {
    const store = await loadBuiltInRoots();
    const pem = store.roots.map((der) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----\n`).join('');
    const path = writeTemp(tempDir(), 'roots.pem', pem);
    const result = openssl(['storeutl', '-noout', '-certs', path]);
    expect(result.stdout + result.stderr).toMatch(/Total found: 144/);
  });

  // Real chains from x509-limbo's "online" cases: the server sent leaf + intermediate only.
  const online = readLimbo(fixturePath('limbo', 'public.json.gz')).filter((c) => c.id.startsWith('online::'));
  const der = (pem: string) => pemBlocks(pem)[0]!;

  it.each(online.map((c) => [c.id, c] as const))('%s: finds the missing root and completes the chain', async (_id, c) => {
    const store = await loadBuiltInRoots();
    const leaf = der(c.peer_certificate);
    const intermediates = c.untrusted_intermediates.map(der);
    const time = new Date(c.validation_time!);
    const status = await chainStatus(leaf, intermediates, { time, builtInRoots: store.roots });
    expect(status.kind).toBe('missing-root');
    if (status.kind !== 'missing-root') return;
    expect(status.builtInRoot).toBeDefined();
    const trusted = c.trusted_certs.map(der);
    // The offered root is the very root limbo trusts for this chain (or one with its key).
    const validated = await buildAndValidate(leaf, { intermediates, roots: [status.builtInRoot!] }, { time, hostname: c.expected_peer_name!.value });
    expect(validated.ok).toBe(true);
    expect(await chainStatus(leaf, [...intermediates, status.builtInRoot!], { time, hostname: c.expected_peer_name!.value })).toMatchObject({ kind: 'complete' });
    expect(trusted.length).toBeGreaterThan(0);
  });

  it('finds nothing for a certificate no built-in root issued', async () => {
    const store = await loadBuiltInRoots();
    const ica = pemBlocks(fixtureText('openssl-set', 'rsa', 'ica.pem'))[0]!;
    expect(await findBuiltInIssuer(ica, store.roots)).toBeUndefined();
    expect(await findBuiltInIssuer(new Uint8Array([1, 2, 3]), store.roots)).toBeUndefined();
  });
});
