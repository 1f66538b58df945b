import { describe, expect, it } from 'vitest';
import { chainStatus } from '../../../src/core/pki/validation/chain-status';
import { fixture, fixturePath, openssl } from '../../support/fixtures';
import { makeCert, makeFamily, now } from './chain-fixtures';

/** Inside every openssl-set certificate's validity (2025-06-01 … 2027-06-01). */
const time = new Date('2026-01-01T00:00:00Z');

describe.each(['rsa', 'ec'])('chain status of the openssl-set %s family', (family) => {
  const leaf = fixture('openssl-set', family, 'server.der');
  const ica = fixture('openssl-set', family, 'ica.der');
  const root = fixture('openssl-set', family, 'root.der');
  const icaName = `C=XX, O=Certdesk Test PKI (${family}), CN=Certdesk Test Intermediate CA ${family}`;
  const rootName = `C=XX, O=Certdesk Test PKI (${family}), CN=Certdesk Test Root CA ${family}`;

  it.each([
    { name: 'leaf alone → missing intermediate', cert: 'server', pool: [] as string[], want: { kind: 'missing-intermediate', issuer: icaName, caIssuersUrls: [] } },
    { name: 'leaf + intermediate → missing root', cert: 'server', pool: ['ica'], want: { kind: 'missing-root', issuer: rootName } },
    { name: 'leaf + root, no intermediate → missing intermediate', cert: 'server', pool: ['root'], want: { kind: 'missing-intermediate', issuer: icaName, caIssuersUrls: [] } },
    { name: 'intermediate alone → missing root', cert: 'ica', pool: [], want: { kind: 'missing-root', issuer: rootName } },
    { name: 'intermediate + root → complete', cert: 'ica', pool: ['root'], want: { kind: 'complete' } },
    { name: 'root alone → complete', cert: 'root', pool: [], want: { kind: 'complete' } },
    { name: 'full chain → complete', cert: 'server', pool: ['server', 'ica', 'root'], want: { kind: 'complete' } },
    { name: 'client certificate, full chain', cert: 'client', pool: ['ica', 'root'], want: { kind: 'untrusted' } },
  ])('$name', async ({ cert, pool, want }) => {
    const status = await chainStatus(fixture('openssl-set', family, `${cert}.der`), pool.map((p) => fixture('openssl-set', family, `${p}.der`)), { time });
    expect(status).toMatchObject(want);
  });

  it('full chain → complete, with the path leaf..root, as openssl verify agrees', async () => {
    expect(await chainStatus(leaf, [root, ica], { time })).toEqual({ kind: 'complete', path: [leaf, ica, root] });
    const verify = openssl(['verify', '-attime', String(time.getTime() / 1000), '-CAfile', fixturePath('openssl-set', family, 'root.pem'), '-untrusted', fixturePath('openssl-set', family, 'ica.pem'), fixturePath('openssl-set', family, 'server.pem')]);
    expect(verify.stdout).toContain('OK');
  });

  it('client certificate validated for clientAuth → complete', async () => {
    const client = fixture('openssl-set', family, 'client.der');
    expect(await chainStatus(client, [ica, root], { time, purpose: 'clientAuth' })).toMatchObject({ kind: 'complete' });
  });

  it('expired leaf at a later time → expired, with its dates', async () => {
    expect(await chainStatus(leaf, [ica, root], { time: new Date('2028-01-01T00:00:00Z') })).toEqual({ kind: 'expired', notBefore: '2025-06-01T00:00:00Z', notAfter: '2027-06-01T00:00:00Z' });
  });

  it('before the leaf is valid → not yet valid', async () => {
    expect(await chainStatus(leaf, [ica, root], { time: new Date('2025-01-01T00:00:00Z') })).toMatchObject({ kind: 'not-yet-valid', notBefore: '2025-06-01T00:00:00Z' });
  });

  it.each(['appliance.example.test', 'node2.mgmt.example.test', 'appliance', '192.0.2.10', '2001:db8::10'])('covers %s', async (hostname) => {
    expect(await chainStatus(leaf, [ica, root], { time, hostname })).toMatchObject({ kind: 'complete' });
  });

  it.each(['other.example.test', 'mgmt.example.test', '192.0.2.11'])('wrong host name %s → does not cover', async (hostname) => {
    expect(await chainStatus(leaf, [ica, root], { time, hostname })).toEqual({ kind: 'does-not-cover', name: hostname });
    const verify = openssl(['verify', '-attime', String(time.getTime() / 1000), '-CAfile', fixturePath('openssl-set', family, 'root.pem'), '-untrusted', fixturePath('openssl-set', family, 'ica.pem'), hostname.includes('.') && !/^\d/.test(hostname) ? '-verify_hostname' : '-verify_ip', hostname, fixturePath('openssl-set', family, 'server.pem')]);
    expect(verify.status).not.toBe(0);
  });

  it('offers the root from the built-in store when it has it', async () => {
    expect(await chainStatus(leaf, [ica], { time, builtInRoots: [root] })).toEqual({ kind: 'missing-root', issuer: rootName, builtInRoot: root });
  });

  it('a built-in root is offered, never trusted: still missing root', async () => {
    const status = await chainStatus(ica, [], { time, builtInRoots: [root] });
    expect(status.kind).toBe('missing-root');
  });

  it('self-signed server certificate → untrusted (self-signed)', async () => {
    const status = await chainStatus(fixture('openssl-set', family, 'selfsigned.der'), [], { time });
    expect(status).toMatchObject({ kind: 'untrusted', problems: [{ code: 'self-signed' }] });
  });
});

describe('chain status, other cases', () => {
  it('names the AIA caIssuers URL of a missing intermediate', async () => {
    const x509 = await import('@peculiar/x509');
    const { root, ica } = await makeFamily();
    const aia = new x509.AuthorityInfoAccessExtension({ caIssuers: [new x509.GeneralName('url', 'http://ca.example.test/ica.cer')] });
    const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: ica, san: ['dns:appliance.example.test'], extensions: [aia] });
    expect(await chainStatus(leaf.der, [root.der], { time: now })).toEqual({ kind: 'missing-intermediate', issuer: 'CN=Test Intermediate p256', caIssuersUrls: ['http://ca.example.test/ica.cer'] });
  });

  it('a chain that breaks a rule → untrusted with the problem', async () => {
    const { root } = await makeFamily();
    const ica = await makeCert({ subject: 'CN=Expired ICA', issuer: root, notAfter: new Date(now.getTime() - 1000) });
    const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: ica, san: ['dns:appliance.example.test'] });
    const status = await chainStatus(leaf.der, [ica.der, root.der], { time: now });
    expect(status).toMatchObject({ kind: 'untrusted', problems: [{ code: 'expired', certificate: { index: 1 } }] });
  });

  it('bytes that are not a certificate → untrusted', async () => {
    expect(await chainStatus(new Uint8Array([0x30, 0x03, 1, 1, 1]), [])).toMatchObject({ kind: 'untrusted', problems: [{ code: 'malformed-certificate' }] });
  });
});
