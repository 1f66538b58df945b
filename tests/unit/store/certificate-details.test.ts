/** Certificate details and the built-in root a chain status offers, as the UI reads them through the workspace. */
import { describe, expect, it } from 'vitest';
import { fixture, openssl } from '../../support/fixtures';
import { sha256Hex } from '../../../src/core/pki/asn1';
import { loadBuiltInRoots } from '../../../src/core/pki/validation/root-store';
import { freshWorkspace } from './support';

const rsa = (name: string) => fixture('openssl-set', 'rsa', name);

describe('describeCertificate', () => {
  it('says what OpenSSL says about subject and fingerprint', async () => {
    const { ws } = await freshWorkspace();
    const description = await ws.describeCertificate(rsa('server.der'));
    const sha256 = openssl(['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha256'], rsa('server.der')).stdout.split('=')[1]!.trim().replace(/:/g, '').toLowerCase();
    expect(description.sha256).toBe(sha256);
    expect(description.role).toBe('server');
    expect(description.subjectText).toContain('appliance.example.test');
    ws.close();
  });
});

describe('builtInRoot', () => {
  it('finds a built-in root by its SHA-256, and nothing for another', async () => {
    const { ws } = await freshWorkspace();
    const root = (await loadBuiltInRoots()).roots[7]!;
    expect(await ws.builtInRoot(await sha256Hex(root))).toEqual(root);
    expect(await ws.builtInRoot(await sha256Hex(rsa('root.der')))).toBeUndefined();
    ws.close();
  });
});
