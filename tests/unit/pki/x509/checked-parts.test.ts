/**
 * The certificate model checks names and extension lists in place when it reads a certificate
 * and builds them when first used (checkName, checkExtensions). Those checks must give exactly
 * the reader's answer: on mutated names and extension lists of real certificates (the Mozilla
 * roots and openssl-set), the check throws the same error as the reader (parseName,
 * parseExtensions), or neither throws; and a certificate's lazily built parts equal the reader's.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { X509Certificate } from 'node:crypto';
import { Asn1Error, children, encodingOf, OID, readDer, readTlv, type Tlv } from '../../../../src/core/pki/asn1';
import { limits } from '../../../../src/core/pki/limits';
import { checkExtensions, checkName, parseCertificate, parseExtensions, parseName } from '../../../../src/core/pki/x509';
import { fixture, fixtureText } from '../../../support/fixtures';

const pemCertificates = (text: string) => [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END/g)].map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s/g, ''), 'base64')));
const corpus = [
  ...['rsa', 'ec'].flatMap((family) => ['server', 'client', 'ica', 'root', 'selfsigned'].map((n) => fixture('openssl-set', family, `${n}.der`))),
  ...pemCertificates(fixtureText('mozilla-roots.pem')),
];

/** The TBS fields of a certificate: [version?] serial, signature, issuer, validity, subject, spki, … [3] extensions. */
function tbsFields(der: Uint8Array): Tlv[] {
  return children(children(readDer(der))[0]!);
}
const offset = (fields: Tlv[]) => (fields[0]!.tag === 0xa0 ? 1 : 0);
const names = corpus.flatMap((der) => {
  const f = tbsFields(der);
  return [encodingOf(f[offset(f) + 2]!), encodingOf(f[offset(f) + 4]!)];
});
const extensionLists = corpus.flatMap((der) => {
  const wrapper = tbsFields(der).find((t) => t.tag === 0xa3);
  return wrapper ? [encodingOf(children(wrapper)[0]!)] : [];
});

/** OpenSSL's names of the curves in the corpus. */
const CURVE_NAMES: Record<string, string> = { [OID.secp256r1]: 'prime256v1', [OID.secp384r1]: 'secp384r1', [OID.secp521r1]: 'secp521r1' };

/** The answer of a reader or a check: 'read', or the error's code and detail. */
function answer(read: () => unknown): string {
  try {
    read();
    return 'read';
  } catch (error) {
    if (error instanceof Asn1Error) return `${error.code}: ${error.detail}`;
    throw error;
  }
}

/** Bytes the readers and the checks tell apart: tags of every kind, length forms, BOOLEAN values, non-ASCII. */
const INTERESTING = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x12, 0x13, 0x14, 0x16, 0x1a, 0x1c, 0x1e, 0x1f, 0x2c, 0x30, 0x31, 0x7f, 0x80, 0x81, 0x82, 0x84, 0x85, 0xa0, 0xc3, 0xd8, 0xff];
const mutation = fc.array(fc.record({ at: fc.nat(), value: fc.oneof(fc.constantFrom(...INTERESTING), fc.integer({ min: 0, max: 255 })) }), { minLength: 1, maxLength: 3 });
/** Where the element sits: in a certificate (depth 2 or 3), or at the nesting limit, where the in-place checks must give way. */
const depth = fc.constantFrom(2, 3, limits.maxAsn1Depth - 3, limits.maxAsn1Depth - 2, limits.maxAsn1Depth);

function mutated(original: Uint8Array, changes: { at: number; value: number }[], cut: number): Uint8Array {
  const bytes = original.slice(0, original.length - (cut % 3));
  for (const c of changes) bytes[c.at % bytes.length] = c.value;
  return bytes;
}

/** The element at the start of `bytes` at `depth`, or undefined when its own header no longer reads (then no reader gets to it). */
function element(bytes: Uint8Array, depth: number): Tlv | undefined {
  try {
    return readTlv(bytes, 0, bytes.length, 'der', depth);
  } catch {
    return undefined;
  }
}

describe('the in-place checks of a certificate give the readers’ answers', () => {
  /**
   * Mutates `samples` 20,000 times and asserts the in-place `check` throws what `read` throws;
   * the mutations reach both answers, so the comparison says something either way.
   */
  function checksAsReads(samples: readonly Uint8Array[], read: (tlv: Tlv) => unknown, check: (tlv: Tlv) => unknown): void {
    let refused = 0;
    fc.assert(
      fc.property(fc.nat(samples.length - 1), mutation, fc.nat(), depth, (which, changes, cut, d) => {
        const tlv = element(mutated(samples[which]!, changes, cut), d);
        if (!tlv) return;
        const answered = answer(() => read(tlv));
        if (answered !== 'read') refused++;
        expect(answer(() => check(tlv))).toBe(answered);
      }),
      { numRuns: 20_000, seed: 20261130 },
    );
    expect(refused).toBeGreaterThan(2_000);
  }

  it('checkName throws what parseName throws, on mutated names of real certificates', () => {
    checksAsReads(names, (tlv) => parseName(tlv, 'the issuer'), (tlv) => checkName(tlv, 'the issuer'));
  });

  it('checkExtensions throws what parseExtensions throws, on mutated extension lists of real certificates', () => {
    checksAsReads(extensionLists, parseExtensions, checkExtensions);
  });

  it('builds names, extensions and the key on first use exactly as the readers read them', () => {
    for (const der of corpus) {
      const cert = parseCertificate(der);
      const f = tbsFields(der);
      const extensions = f.find((t) => t.tag === 0xa3);
      expect(cert.issuer).toEqual(parseName(f[offset(f) + 2], 'the issuer'));
      expect(cert.subject).toEqual(parseName(f[offset(f) + 4], 'the subject'));
      expect(cert.issuer).toBe(cert.issuer);
      expect(cert.issuerDer).toEqual(encodingOf(f[offset(f) + 2]!));
      expect(cert.tbs).toEqual(encodingOf(children(readDer(der))[0]!));
      const list = extensions ? parseExtensions(children(extensions)[0]!).list : [];
      expect(cert.extensions.map((e) => [e.oid, e.critical, e.criticalEncoded, e.value, e.der, e.decoded, e.problem])).toEqual(
        list.map((e) => [e.oid, e.critical, e.criticalEncoded, e.value, e.der, e.decoded, e.problem]),
      );
      expect(cert.extensions).toBe(cert.extensions);
      // The key's numbers, beside OpenSSL's reading of the same key.
      const details = new X509Certificate(Buffer.from(der)).publicKey.asymmetricKeyDetails!;
      if (cert.spki.algorithm.oid === OID.rsaEncryption) expect(cert.spki.rsa?.modulusBits).toBe(details.modulusLength);
      if (cert.spki.algorithm.oid === OID.ecPublicKey) expect(CURVE_NAMES[cert.spki.namedCurve!]).toBe(details.namedCurve);
      expect(cert.spki.problem).toBeUndefined();
    }
    expect(corpus.length).toBe(154);
  });
});
