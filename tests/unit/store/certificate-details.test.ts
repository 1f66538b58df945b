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
