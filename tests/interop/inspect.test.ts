import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fixturePath, openssl, projectRoot } from '../support/fixtures';
import { parsePem } from '../../src/core/pki/pem';

function inspect(...args: string[]): { status: number; json: Record<string, unknown> } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/certdesk.ts', 'inspect', ...args], { cwd: projectRoot, encoding: 'utf8' });
  return { status: result.status ?? -1, json: JSON.parse(result.stdout) as Record<string, unknown> };
}

interface InspectedCertificate {
  sha256: string;
  subject: string;
  serialNumber: string;
  subjectAltNames: string[];
  isCA: boolean;
  selfSigned: boolean;
}

/** sha256 fingerprints openssl prints for every certificate of a PEM text. */
function opensslFingerprints(pemText: string): string[] {
  return parsePem(pemText)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => {
      const out = openssl(['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha256'], b.der).stdout;
      return /=([0-9A-F:]+)/.exec(out)![1]!.replace(/:/g, '').toLowerCase();
    });
}

describe('certdesk inspect agrees with openssl', () => {
  it('a PKCS#12 with key and chain', () => {
    const file = fixturePath('openssl-set', 'rsa', 'server-legacy-rc2-3des.p12');
    const { status, json } = inspect(file, '--password', 'changeit');
    expect(status).toBe(0);
    const certs = json.certificates as InspectedCertificate[];
    const dump = openssl(['pkcs12', '-legacy', '-in', file, '-passin', 'pass:changeit', '-nokeys']);
    expect(certs.map((c) => c.sha256)).toEqual(opensslFingerprints(dump.stdout));
    const server = certs.find((c) => !c.isCA)!;
    expect(server.subjectAltNames).toEqual(['DNS:appliance.example.test', 'DNS:*.mgmt.example.test', 'DNS:appliance', 'IP:192.0.2.10', 'IP:2001:db8::10']);
    const keys = json.privateKeys as { algorithm: string; publicKeySha256: string }[];
    const spki = parsePem(openssl(['pkey', '-in', fixturePath('openssl-set', 'rsa', 'server.pkcs8.pem'), '-pubout']).stdout)[0]!.der;
    expect(keys).toEqual([{ algorithm: 'RSA-2048', publicKeySha256: createHash('sha256').update(spki).digest('hex') }]);
  });

  const pemFiles: string[][] = [
    ['openssl-set', 'ec', 'server-fullchain.pem'],
    ['mozilla-roots.pem'],
    ['x509-misc', 'pyca-cryptography-vectors-38.0.4', 'cryptography.io.chain.pem'],
  ];
  for (const parts of pemFiles) {
    it(parts.join('/'), () => {
      const { status, json } = inspect(fixturePath(...parts));
      expect(status).toBe(0);
      const certs = json.certificates as InspectedCertificate[];
      const pemText = readFileSync(fixturePath(...parts), 'utf8');
      expect(certs.map((c) => c.sha256)).toEqual(opensslFingerprints(pemText));
      expect(certs.length).toBe((pemText.match(/BEGIN CERTIFICATE/g) ?? []).length);
      expect(certs.every((c) => /^[0-9a-f]{64}$/.test(c.sha256))).toBe(true);
    });
  }

  it('a CSR: subject, SANs and signature', () => {
    const { status, json } = inspect(fixturePath('openssl-set', 'ec', 'server.csr.der'));
    expect(status).toBe(0);
    expect(json.requests).toEqual([
      { subject: 'CN=appliance.example.test, O=Certdesk Appliance, C=XX', subjectAltNames: ['DNS:appliance.example.test', 'DNS:*.mgmt.example.test', 'IP:192.0.2.10'], signatureValid: true },
    ]);
  });

  it('bad input: {"error":{code,message}} and exit 2', () => {
    const { status, json } = inspect(fixturePath('openssl-set', 'ec', 'server.pub.pem'));
    expect(status).toBe(2);
    expect(json).toMatchObject({ error: { code: 'public-key-not-certificate' } });
    expect(inspect(fixturePath('openssl-set', 'ec', 'server-default.p12'))).toMatchObject({ status: 2, json: { error: { code: 'password-required' } } });
  });
});

