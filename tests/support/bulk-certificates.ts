/**
 * Many certificates fast, for tests and benchmarks at the sizes admins reach: one root and
 * `count` server certificates it issued (distinct serials and host names), valid around `now`.
 * Built with the test-chain factory (asn1 writer, signed by Node's crypto).
 */
import { OID } from '../../src/core/pki/asn1';
import { attr, ext, generalName, keyIdentifier, keyPair, name, randomSerial, signatureAlgorithmIdentifier, defaultSigning, signCertificate, subjectPublicKeyInfo, time, type CertificateSpec } from './chain-factory';

const DAY = 86_400_000;

export interface Bulk {
  root: Uint8Array;
  leaves: Uint8Array[];
}

/** What a leaf may change from the default: its host name (CN and SAN) and its validity. */
export interface LeafChoice {
  host?: string;
  notBefore?: Date;
  notAfter?: Date;
}

/**
 * One root and `count` leaves (P-256, one shared leaf key: signing, not key generation, is the
 * cost). By default leaf i is hostI.bulk.example.com, valid from a day ago for a year and i minutes;
 * `leaf(i)` changes its host name or validity.
 */
export function bulkCertificates(count: number, now = new Date(), leaf: (index: number) => LeafChoice = () => ({})): Bulk {
  const rootKey = keyPair('p256', 'bulk-root');
  const leafKey = keyPair('p256', 'bulk-leaf');
  const rootName = name([attr.o('Certdesk Bulk'), attr.cn('Certdesk Bulk Root')]);
  const algorithm = signatureAlgorithmIdentifier(defaultSigning('p256'));
  const rootSpec: CertificateSpec = {
    version: 2,
    serial: randomSerial(),
    signatureAlgorithm: algorithm,
    issuer: rootName,
    subject: rootName,
    notBefore: time(new Date(now.getTime() - 30 * DAY)),
    notAfter: time(new Date(now.getTime() + 3650 * DAY)),
    spki: subjectPublicKeyInfo(rootKey),
    extensions: [ext.basicConstraints(true), ext.keyUsage(['keyCertSign', 'cRLSign']), ext.subjectKeyIdentifier(keyIdentifier(rootKey))],
  };
  const root = signCertificate(rootSpec, rootKey);
  const leafSpki = subjectPublicKeyInfo(leafKey);
  const aki = ext.authorityKeyIdentifier({ keyId: keyIdentifier(rootKey) });
  const leaves: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const choice = leaf(i);
    const host = choice.host ?? `host${i}.bulk.example.com`;
    leaves.push(
      signCertificate(
        {
          version: 2,
          serial: randomSerial(),
          signatureAlgorithm: algorithm,
          issuer: rootName,
          subject: name([attr.cn(host)]),
          notBefore: time(choice.notBefore ?? new Date(now.getTime() - DAY)),
          notAfter: time(choice.notAfter ?? new Date(now.getTime() + 365 * DAY + i * 60_000)),
          spki: leafSpki,
          extensions: [aki, ext.keyUsage(['digitalSignature']), ext.extKeyUsage([OID.serverAuth]), ext.subjectAltName([generalName.dns(host)])],
        },
        rootKey,
      ),
    );
  }
  return { root, leaves };
}

/** PEM text of certificates, one block each. */
export function pemBundle(ders: readonly Uint8Array[]): string {
  return ders
    .map((d) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(d).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`)
    .join('');
}
