import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OID, der, toHex } from '../../src/core/pki/asn1';
import {
  attr,
  buildChain,
  ext,
  generalName,
  keyAlgorithmIdentifier,
  keyIdentifier,
  keyPair,
  name,
  signatureAlgorithmIdentifier,
  time,
  toPem,
  validationTime,
  withCritical,
  withDuplicateExtension,
  withExtension,
  withExtensionValue,
  withFields,
  withoutExtension,
  writeChain,
  type KeyKind,
  type Tweak,
} from '../support/chain-factory';
import { openssl } from '../support/fixtures';

/** The certificate as OpenSSL prints it. */
const text = (certificate: Uint8Array) => {
  const result = openssl(['x509', '-noout', '-text'], toPem(certificate));
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
};
/** OpenSSL's ASN.1 dump of DER. */
const asn1 = (bytes: Uint8Array) => {
  const result = openssl(['asn1parse', '-inform', 'DER'], bytes);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
};

describe('chain factory: what it writes is what OpenSSL and Node read', () => {
  it('writes the algorithm identifiers byte for byte as CABF BR §7.1.3 lists them', () => {
    const signature = (scheme: 'pkcs1' | 'pss' | 'ecdsa', hash: 'sha256' | 'sha384' | 'sha512') => toHex(signatureAlgorithmIdentifier({ scheme, hash }));
    expect(signature('pkcs1', 'sha256')).toBe('300d06092a864886f70d01010b0500');
    expect(signature('pkcs1', 'sha384')).toBe('300d06092a864886f70d01010c0500');
    expect(signature('pkcs1', 'sha512')).toBe('300d06092a864886f70d01010d0500');
    expect(signature('pss', 'sha256')).toBe('304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120');
    expect(signature('pss', 'sha384')).toBe('304106092a864886f70d01010a3034a00f300d06096086480165030402020500a11c301a06092a864886f70d010108300d06096086480165030402020500a203020130');
    expect(signature('pss', 'sha512')).toBe('304106092a864886f70d01010a3034a00f300d06096086480165030402030500a11c301a06092a864886f70d010108300d06096086480165030402030500a203020140');
    expect(signature('ecdsa', 'sha256')).toBe('300a06082a8648ce3d040302');
    expect(signature('ecdsa', 'sha384')).toBe('300a06082a8648ce3d040303');
    expect(signature('ecdsa', 'sha512')).toBe('300a06082a8648ce3d040304');
    expect(toHex(keyAlgorithmIdentifier('rsa2048'))).toBe('300d06092a864886f70d0101010500');
    expect(toHex(keyAlgorithmIdentifier('p256'))).toBe('301306072a8648ce3d020106082a8648ce3d030107');
    expect(toHex(keyAlgorithmIdentifier('p384'))).toBe('301006072a8648ce3d020106052b81040022');
    expect(toHex(keyAlgorithmIdentifier('p521'))).toBe('301006072a8648ce3d020106052b81040023');
  });

  const kinds: KeyKind[] = ['p256', 'p384', 'p521', 'ed25519', 'rsa2048', 'rsa3072', 'rsa4096'];
  for (const kind of kinds)
    it(`${kind}: every signature verifies in Node, and openssl verify accepts the chain`, () => {
      const chain = buildChain({ keys: { root: kind, intermediate: kind, leaf: kind } });
      const [root, intermediate, leaf] = [chain.root, chain.intermediates[0]!, chain.leaf].map((c) => new X509Certificate(c.der));
      expect([root!.verify(root!.publicKey), intermediate!.verify(root!.publicKey), leaf!.verify(intermediate!.publicKey)]).toEqual([true, true, true]);
      expect(leaf!.checkHost('appliance.example.com')).toBe('appliance.example.com');
      expect(new Date(leaf!.validTo).getTime() > validationTime.getTime() && new Date(leaf!.validFrom).getTime() < validationTime.getTime()).toBe(true);
      const files = writeChain(chain.leaf.der, chain.pool);
      const verify = openssl(['verify', '-x509_strict', '-policy_check', '-purpose', 'sslserver', '-attime', String(validationTime.getTime() / 1000), '-CAfile', files.root, '-untrusted', files.untrusted!, files.leaf]);
      expect(verify.stdout + verify.stderr).toBe(`${files.leaf}: OK\n`);
    });

  it('gives each role the extensions and criticality of the BR profile', () => {
    const chain = buildChain();
    const root = text(chain.root.der);
    expect(root).toMatch(/Basic Constraints: critical\s+CA:TRUE\n/);
    expect(root).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign\n/);
    const ski = /Subject Key Identifier:\s*\n\s+([0-9A-F:]+)/.exec(root)?.[1];
    expect(ski).toBe(toHex(keyIdentifier(chain.root.key)).toUpperCase().replace(/(..)(?!$)/g, '$1:'));
    expect(/Authority Key Identifier:\s*\n\s+(?:keyid:)?([0-9A-F:]+)/.exec(root)?.[1]).toBe(ski);
    expect(root).not.toMatch(/Extended Key Usage/);
    const intermediate = text(chain.intermediates[0]!.der);
    expect(intermediate).toMatch(/Authority Key Identifier:\s*\n\s+(?:keyid:)?([0-9A-F:]+)/);
    expect(/Authority Key Identifier:\s*\n\s+(?:keyid:)?([0-9A-F:]+)/.exec(intermediate)?.[1]).toBe(ski);
    expect(intermediate).toMatch(/Extended Key Usage:\s*\n\s+TLS Web Server Authentication, TLS Web Client Authentication\n/);
    expect(intermediate).toMatch(/Certificate Policies:\s*\n\s+Policy: 2\.23\.140\.1\.2\.1\n/);
    expect(intermediate).toMatch(/URI:http:\/\/crl\.example\.com\/intermediate-1\.crl/);
    const leaf = text(chain.leaf.der);
    expect(leaf).toMatch(/Subject: CN = appliance\.example\.com\n/);
    expect(leaf).toMatch(/Key Usage: critical\s+Digital Signature\n/);
    expect(leaf).toMatch(/Extended Key Usage:\s*\n\s+TLS Web Server Authentication\n/);
    expect(leaf).toMatch(/Subject Alternative Name:\s*\n\s+DNS:appliance\.example\.com\n/);
    expect(leaf).toMatch(/OCSP - URI:http:\/\/ocsp\.example\.com\n\s+CA Issuers - URI:http:\/\/ca\.example\.com\/intermediate\.cer\n/);
    expect(leaf).not.toMatch(/Basic Constraints|Subject Key Identifier/);
  });

  it('omits, flips, replaces and duplicates exactly the extension named', () => {
    const leaf = (tweak: Tweak) => text(buildChain({ leaf: tweak }).leaf.der);
    const without = leaf(withoutExtension(OID.extKeyUsage));
    expect(without).not.toMatch(/Extended Key Usage/);
    expect(without).toMatch(/Key Usage: critical/);
    expect(leaf(withCritical(OID.subjectAltName, true))).toMatch(/Subject Alternative Name: critical/);
    expect(leaf(withCritical(OID.keyUsage, false))).toMatch(/Key Usage: \n\s+Digital Signature/);
    expect(leaf(withExtensionValue(OID.extKeyUsage, der.sequence(der.oid(OID.clientAuth))))).toMatch(/Extended Key Usage:\s*\n\s+TLS Web Client Authentication\n/);
    expect(leaf(withExtension(ext.nameConstraints({ permitted: [generalName.dns('example.com')] })))).toMatch(/Name Constraints: critical\s+Permitted:\s+DNS:example\.com/);
    const twice = asn1(buildChain({ leaf: withDuplicateExtension(OID.keyUsage) }).leaf.der);
    expect(twice.match(/X509v3 Key Usage/g)).toHaveLength(2);
  });

  it('sets serials, versions, times, names and unique identifiers to anything', () => {
    const leafDer = (fields: Parameters<typeof withFields>[0]) => buildChain({ leaf: withFields(fields) }).leaf.der;
    expect(asn1(leafDer({ serial: Uint8Array.of(0x80, 1) }))).toMatch(/INTEGER\s+:-7FFF\n/);
    expect(asn1(leafDer({ serial: new Uint8Array(21).fill(0x11) }))).toMatch(/INTEGER\s+:(11){21}\n/);
    expect(asn1(leafDer({ serial: new Uint8Array(0) }))).toMatch(/prim: INTEGER\s+:BAD INTEGER/);
    expect(text(leafDer({ version: null, extensions: null }))).toMatch(/Version: 1 \(0x0\)/);
    expect(asn1(leafDer({ notAfter: time(new Date('2030-01-01T00:00:00Z'), 'generalized') }))).toMatch(/GENERALIZEDTIME\s+:20300101000000Z/);
    expect(asn1(leafDer({ notAfter: time(new Date('2060-01-01T00:00:00Z')) }))).toMatch(/GENERALIZEDTIME\s+:20600101000000Z/);
    expect(asn1(leafDer({ subject: name([attr.cn('appliance.example.com', 0x1e)]) }))).toMatch(/BMPSTRING/);
    expect(text(leafDer({ subject: name([]) }))).toMatch(/Subject: \n/);
    expect(text(leafDer({ subjectUniqueId: Uint8Array.of(1, 2), issuerUniqueId: Uint8Array.of(3) }))).toMatch(/Issuer Unique ID:\s+03\s+Subject Unique ID:\s+01:02\n/);
    const mismatched = asn1(leafDer({ outerSignatureAlgorithm: der.sequence(der.oid(OID.ecdsaWithSHA384)) }));
    expect(mismatched.match(/OBJECT\s+:(ecdsa-with-SHA\d+)/g)).toEqual(['OBJECT            :ecdsa-with-SHA256', 'OBJECT            :ecdsa-with-SHA384']);
  });

  it('makes each key once per test file and per slot', () => {
    expect(keyPair('p256', 'leaf')).toBe(keyPair('p256', 'leaf'));
    expect(keyPair('p256', 'leaf')).not.toBe(keyPair('p256', 'root'));
    expect(new X509Certificate(buildChain({ keys: { leaf: 'rsa2052' } }).leaf.der).publicKey.asymmetricKeyDetails?.modulusLength).toBe(2052);
  });
});

