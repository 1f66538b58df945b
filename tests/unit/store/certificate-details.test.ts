/** Chain status and certificate details as the UI reads them through the workspace. */
import { describe, expect, it } from 'vitest';
import { fixture, openssl } from '../../support/fixtures';
import { freshWorkspace } from './support';

const rsa = (name: string) => fixture('openssl-set', 'rsa', name);
const certificate = (id: string, file: string) => ({ id, der: rsa(file) });

describe('chainStatuses', () => {
  it('judges each certificate against all of them; bytes that are no certificate are untrusted, the others still judged', async () => {
    const { ws } = await freshWorkspace();
    const kinds = async (list: { id: string; der: Uint8Array }[]) =>
      Object.fromEntries(Object.entries(await ws.chainStatuses(list)).map(([id, status]) => [id, status.kind]));
    expect(await kinds([certificate('leaf', 'server.der')])).toEqual({ leaf: 'missing-intermediate' });
    expect(await kinds([certificate('leaf', 'server.der'), certificate('ica', 'ica.der')])).toEqual({ leaf: 'missing-root', ica: 'missing-root' });
    expect(
      await kinds([certificate('leaf', 'server.der'), certificate('ica', 'ica.der'), certificate('root', 'root.der'), { id: 'junk', der: Uint8Array.of(0x30, 0x03, 1, 2) }]),
    ).toEqual({ leaf: 'complete', ica: 'complete', root: 'complete', junk: 'untrusted' });
    ws.close();
  });
});

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
