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

describe('reviewCertificate and lintRequest: the rule table through the workspace', () => {
  it('names the rules a chain breaks with who enforces them, and lints what public CAs would not issue', async () => {
    const { buildChain, compose, time, withCritical, withFields } = await import('../../support/chain-factory');
    const { OID } = await import('../../../src/core/pki/asn1');
    const { ws } = await freshWorkspace();
    // Chain status judges now: a leaf valid for 90 days around today.
    const current = withFields({ notBefore: time(new Date(Date.now() - 10 * 86_400_000)), notAfter: time(new Date(Date.now() + 80 * 86_400_000)) });
    const good = buildChain({ leaf: current });
    const pool = [good.leaf.der, good.intermediates[0]!.der, good.root.der];
    const review = await ws.reviewCertificate(good.leaf.der, pool);
    expect(review).toMatchObject({ status: { kind: 'complete' }, problems: [], lint: [] });
    const bad = buildChain({ leaf: compose(current, withCritical(OID.extKeyUsage, true)) });
    const refused = await ws.reviewCertificate(bad.leaf.der, [bad.leaf.der, bad.intermediates[0]!.der, bad.root.der]);
    expect(refused.status.kind).toBe('untrusted');
    expect(refused.problems).toEqual([expect.objectContaining({ code: 'critical-extended-key-usage', verdict: 'reject', enforcedBy: { families: ['strict-libraries'], clients: ['pyca/cryptography'] } })]);
    // The openssl-set leaf has no policy or revocation pointers a public CA's would.
    const notes = await ws.reviewCertificate(rsa('server.der'), [rsa('server.der'), rsa('ica.der'), rsa('root.der')]);
    expect(notes.problems).toEqual([]);
    expect(notes.lint.map((p) => p.code)).toContain('missing-certificate-policies');
    ws.close();
  });

  it('lints a stored request, and refuses an unknown one', async () => {
    const { ws } = await freshWorkspace();
    const view = await ws.ensureWorkspace();
    const applianceId = view.appliances[0]!.appliance.id;
    const request = await ws.createRequest(applianceId, { friendlyName: 'Lint', algorithm: 'ECDSA-P256', exportable: false, subject: { CN: 'appliance.example.com', OU: 'IT' }, subjectAltNames: ['appliance.example.com'] });
    const findings = await ws.lintRequest(request.id, { validityDays: 90 });
    expect(findings.map((p) => p.code)).toEqual(['subject-attributes-not-permitted']);
    await expect(ws.lintRequest('nope')).rejects.toMatchObject({ code: 'unknown-request' });
    ws.close();
  });
});
