/**
 * Disagreements of the PKCS#12 fuzz campaign with `openssl pkcs12` (seed 1130), each as a file
 * built here by hand and opened by both: the ones where Certdesk was wrong, fixed in the reader;
 * the ones where Certdesk follows the specification and OpenSSL does not, classified by the
 * cited table of tests/fuzz/differences.ts from Certdesk's real message.
 */
import { describe, expect, it } from 'vitest';
import { OID, children, der, readDer, readOctetString, readOid } from '../../../../src/core/pki/asn1';
import { exportPkcs12, importPkcs12 } from '../../../../src/core/pki/pkcs12';
import { PKCS12_STRICTER_DETAIL } from '../../../fuzz/differences';
import { resealPkcs12 } from '../../../fuzz/mutate/pkcs12';
import { opensslPkcs12 } from '../../../fuzz/oracles';
import { Rng } from '../../../fuzz/rng';
import { targets } from '../../../fuzz/targets';
import { fixture, fixtureText } from '../../../support/fixtures';

const certificate = new Uint8Array(Buffer.from(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END/.exec(fixtureText('openssl-set', 'rsa', 'server.pem'))![1]!.replace(/\s+/g, ''), 'base64'));

const dataInfo = (content: Uint8Array) => der.sequence(der.oid(OID.data), der.tlv(0xa0, der.octetString(content)));
/** A PFX without MAC (OpenSSL opens those too) whose AuthenticatedSafe holds `infos`. */
const pfx = (...infos: Uint8Array[]) => der.sequence(der.integer(3), dataInfo(der.sequence(...infos)));
/** A certificate bag whose certValue [0] EXPLICIT holds `values`, with bag attributes `attributes`. */
const certBag = (values: Uint8Array[], ...attributes: Uint8Array[]) =>
  der.sequence(
    der.oid(OID.certBag),
    der.tlv(0xa0, der.sequence(der.oid(OID.x509Certificate), der.tlv(0xa0, ...values))),
    ...(attributes.length ? [der.setOf(...attributes)] : []),
  );
const attribute = (oid: string, value: Uint8Array) => der.sequence(der.oid(oid), der.setOf(value));

/** Certdesk's answer and OpenSSL's on the same bytes (no password). */
async function bothOpen(bytes: Uint8Array): Promise<{ certdesk: string; openssl: string }> {
  const theirs = opensslPkcs12(bytes, null);
  try {
    const contents = await importPkcs12(bytes, null);
    return { certdesk: `opens: ${contents.keys.length} keys, ${contents.certificates.length} certificates`, openssl: theirs.ok ? 'opens' : theirs.error };
  } catch (error) {
    return { certdesk: `${(error as { code: string }).code}: ${(error as Error).message}`, openssl: theirs.ok ? 'opens' : theirs.error };
  }
}

describe('PKCS#12 fuzz findings where Certdesk was wrong (fixed)', () => {
  it('pkcs12 execution 610033: a certificate bag whose [0] EXPLICIT holds a second value is refused, not read as its first (X.690 §8.14.2; OpenSSL: explicit length mismatch)', async () => {
    const one = await bothOpen(pfx(dataInfo(der.sequence(certBag([der.octetString(certificate)])))));
    expect(one).toEqual({ certdesk: 'opens: 0 keys, 1 certificates', openssl: 'opens' });
    const two = await bothOpen(pfx(dataInfo(der.sequence(certBag([der.octetString(certificate), der.octetString(certificate)])))));
    expect(two.certdesk).toMatch(/^pkcs12-malformed: .*a certificate bag holds 2 values where it holds one\. Export it again/);
    expect(two.openssl).toMatch(/explicit length mismatch Field=value\.x509cert/);
  });

  it('CRL, secret and SDSI certificate bags are read whole as RFC 7292 §4.2.3–4.2.5 define them, though nothing in them is used: a readable one is skipped, a damaged one refuses the file (as OpenSSL)', async () => {
    const typed = (bagId: string, type: string, ...values: Uint8Array[]) => der.sequence(der.oid(bagId), der.tlv(0xa0, der.sequence(der.oid(type), der.tlv(0xa0, ...values))));
    const crl = '1.2.840.113549.1.9.23.1';
    const sdsi = '1.2.840.113549.1.9.22.2';
    const secret = '1.2.840.113549.1.12.10.1.5';
    const crlBag = '1.2.840.113549.1.12.10.1.4';
    const file = (bag: Uint8Array) => pfx(dataInfo(der.sequence(bag, certBag([der.octetString(certificate)]))));
    for (const readable of [typed(crlBag, crl, der.octetString(Uint8Array.of(1))), typed(secret, '1.2.3.4', der.integer(5)), typed(OID.certBag, sdsi, der.ia5String('sdsi'))]) {
      expect(await bothOpen(file(readable))).toEqual({ certdesk: 'opens: 0 keys, 1 certificates', openssl: 'opens' });
    }
    const damaged = [
      { bag: typed(crlBag, crl, der.integer(1)), certdesk: /the value of a CRL bag is not an OCTET STRING/ },
      { bag: typed(secret, '1.2.3.4', der.integer(5), der.integer(6)), certdesk: /a secret bag holds 2 values where it holds one/ },
      { bag: typed(OID.certBag, sdsi, der.octetString(Uint8Array.of(1))), certdesk: /the SDSI certificate of a certificate bag has the wrong type/ },
    ];
    for (const { bag, certdesk } of damaged) {
      const answer = await bothOpen(file(bag));
      expect(answer.certdesk).toMatch(certdesk);
      expect(answer.openssl).toMatch(/Type=PKCS12_BAGS/);
    }
  });

  // EnvelopedData (RFC 2315 §10.1) with one RecipientInfo (§10.2) naming `issuer`; nothing in it is decrypted.
  const recipient = (issuer: Uint8Array) =>
    der.sequence(der.integer(0), der.sequence(issuer, der.integer(7)), der.sequence(der.oid('1.2.840.113549.1.1.1'), der.nullValue()), der.octetString(new Uint8Array(32)));
  const enveloped = (version: Uint8Array, ...recipients: Uint8Array[]) =>
    der.sequence(
      der.oid(OID.envelopedData),
      der.tlv(
        0xa0,
        der.sequence(version, der.tlv(0x31, ...recipients), der.sequence(der.oid(OID.data), der.sequence(der.oid('2.16.840.1.101.3.4.1.42'), der.octetString(new Uint8Array(16))), der.tlv(0x80, new Uint8Array(32)))),
      ),
    );
  const name = der.sequence(der.setOf(der.sequence(der.oid('2.5.4.3'), der.utf8String('Recipient'))));
  const withCertificate = (info: Uint8Array) => pfx(dataInfo(der.sequence(certBag([der.octetString(certificate)]))), info);

  it('pkcs12 execution 38024: a damaged envelopedData content refuses the file instead of being skipped unread (RFC 2315 §10.1; OpenSSL: wrong tag, Type=PKCS7_ENVELOPE)', async () => {
    // The public-key-privacy test file of OpenSSL: its EnvelopedData version is INTEGER 0.
    const good = fixture('pkcs12', 'openssl-3.5.7-tests', 'nomac_parse.p12');
    expect(await bothOpen(good)).toEqual({ certdesk: 'opens: 0 keys, 0 certificates', openssl: 'opens' });
    const at = Buffer.from(good).indexOf(Buffer.from('308204' + '6e020100', 'hex'));
    expect(at).toBeGreaterThan(0);
    const damaged = good.slice();
    damaged[at + 4] = 0x04; // the version INTEGER becomes an OCTET STRING
    const answer = await bothOpen(damaged);
    expect(answer.certdesk).toMatch(/^pkcs12-malformed: .*the version in the enveloped data has the wrong type/);
    expect(answer.openssl).toMatch(/wrong tag.*Type=PKCS7_ENVELOPE/);
  });

  it('an EnvelopedData recipient is read as RFC 2315 §10.2 defines it: a readable one is skipped, one whose issuer is not a Name refuses the file (as OpenSSL)', async () => {
    expect(await bothOpen(withCertificate(enveloped(der.integer(0), recipient(name))))).toEqual({ certdesk: 'opens: 0 keys, 1 certificates', openssl: 'opens' });
    const answer = await bothOpen(withCertificate(enveloped(der.integer(0), recipient(der.integer(1)))));
    expect(answer.certdesk).toMatch(/^pkcs12-malformed: .*the issuer in the recipient's issuer and serial number has the wrong type/);
    expect(answer.openssl).toMatch(/Type=PKCS7_ISSUER_AND_SERIAL/);
  });
});

describe('a right password is never called wrong (pkcs12 execution 495573 of seed 1130)', () => {
  it('a shrouded key whose version INTEGER has a 5-octet length (BER, as OpenSSL reads it) is refused for that length, not for the password', async () => {
    const corpus = await targets.pkcs12!.corpus();
    const input = targets.pkcs12!.input(Rng.forExecution(1130, 495573), corpus, 495573);
    expect({ entry: input.entry.name, variant: input.variant, password: input.password, bytes: input.bytes.length }).toEqual({
      entry: 'fixtures/pkcs12/pyca-cryptography-vectors-38.0.4/cert-rc2-key-3des.p12',
      variant: 'MAC kept valid',
      password: 'cryptography',
      bytes: 854,
    });
    expect(opensslPkcs12(input.bytes, 'cryptography')).toEqual({ ok: true, error: 'exit 0' });
    const promise = importPkcs12(input.bytes, 'cryptography');
    await expect(promise).rejects.toMatchObject({ code: 'pkcs12-malformed', message: expect.stringMatching(/a length field is larger than any file Certdesk reads/) });
    const message = await promise.then(
      () => 'opened',
      (error: Error) => error.message,
    );
    expect(PKCS12_STRICTER_DETAIL.find((d) => d.message.test(message))?.why).toMatch(/lengths over 4 octets/);
  });

  /** The ciphertext of the first shrouded key bag of a PFX whose AuthenticatedSafe is data contents. */
  function shroudedKeyCiphertext(p12: Uint8Array): Uint8Array {
    const authSafe = readOctetString(children(children(children(readDer(p12, 'ber'))[1]!)[1]!)[0], 'authSafe');
    for (const info of children(readDer(authSafe, 'ber'))) {
      if (readOid(children(info)[0], 'type') !== OID.data) continue;
      for (const bag of children(readDer(readOctetString(children(children(info)[1]!)[0], 'data'), 'ber'))) {
        if (readOid(children(bag)[0], 'bag') === OID.pkcs8ShroudedKeyBag) return readOctetString(children(children(children(bag)[1]!)[0]!)[1], 'ciphertext');
      }
    }
    throw new Error('no shrouded key bag');
  }

  it('when the MAC verified the password, a part that does not decrypt to what it should hold makes the file damaged (pkcs12-malformed), as OpenSSL refuses it too', async () => {
    const key = new Uint8Array(Buffer.from(/-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END/.exec(fixtureText('openssl-set', 'ec', 'server.pkcs8.pem'))![1]!.replace(/\s+/g, ''), 'base64'));
    const good = await exportPkcs12({ privateKey: key, certificates: [certificate], password: 'pw', preset: 'legacy', iterations: 1 });
    const ciphertext = shroudedKeyCiphertext(good);
    const at = Buffer.from(good).indexOf(Buffer.from(ciphertext));
    expect(at).toBeGreaterThan(0);
    const damaged = good.slice();
    damaged[at]! ^= 0xff; // the first block of the PrivateKeyInfo decrypts to other bytes; the padding stays valid
    const sealed = resealPkcs12(damaged, 'pw');
    expect(opensslPkcs12(sealed, 'pw').ok).toBe(false);
    await expect(importPkcs12(sealed, 'wrong')).rejects.toMatchObject({ code: 'wrong-password' });
    await expect(importPkcs12(sealed, 'pw')).rejects.toMatchObject({ code: 'pkcs12-malformed', message: expect.stringMatching(/^The password is right .* the file is damaged\. Export it again/) });
  });
});

describe('PKCS#12 fuzz findings where Certdesk follows the specification (cited in differences.ts)', () => {
  const why = (message: string) => PKCS12_STRICTER_DETAIL.find((d) => d.message.test(message))?.why;

  it.each([
    { finding: '159759', spec: /RFC 2985 §5\.5\.2/, value: attribute(OID.localKeyId, der.utf8String('id')) },
    { finding: '715278', spec: /RFC 2985 §5\.5\.1/, value: attribute(OID.friendlyName, der.utf8String('name')) },
  ])('pkcs12 execution $finding: Certdesk refuses, OpenSSL opens, and the table cites $spec', async ({ spec, value }) => {
    const answer = await bothOpen(pfx(dataInfo(der.sequence(certBag([der.octetString(certificate)], value)))));
    expect(answer.openssl).toBe('opens');
    expect(answer.certdesk).toMatch(/^pkcs12-malformed: /);
    expect(why(answer.certdesk)).toMatch(spec);
  });

  const pbes2 = (prfParams: Uint8Array, iterations = 1) =>
    der.sequence(
      der.oid(OID.encryptedData),
      der.tlv(
        0xa0,
        der.sequence(
          der.integer(0),
          der.sequence(
            der.oid(OID.data),
            der.sequence(
              der.oid('1.2.840.113549.1.5.13'),
              der.sequence(
                der.sequence(der.oid('1.2.840.113549.1.5.12'), der.sequence(der.octetString(new Uint8Array(8)), der.integer(iterations), der.sequence(der.oid('1.2.840.113549.2.9'), prfParams))),
                der.sequence(der.oid('2.16.840.1.101.3.4.1.42'), der.octetString(new Uint8Array(16))),
              ),
            ),
            der.tlv(0x80, new Uint8Array(16)),
          ),
        ),
      ),
    );
  const legacy = (iterations: Uint8Array) =>
    der.sequence(
      der.oid(OID.encryptedData),
      der.tlv(0xa0, der.sequence(der.integer(0), der.sequence(der.oid(OID.data), der.sequence(der.oid('1.2.840.113549.1.12.1.3'), der.sequence(der.octetString(new Uint8Array(8)), iterations)), der.tlv(0x80, new Uint8Array(16))))),
    );
  const mac = (digestParams: Uint8Array, iterations: Uint8Array) =>
    der.sequence(der.sequence(der.sequence(der.oid('2.16.840.1.101.3.4.2.1'), digestParams), der.octetString(new Uint8Array(32))), der.octetString(new Uint8Array(8)), iterations);
  const withMac = (macData: Uint8Array) => der.sequence(der.integer(3), dataInfo(der.sequence()), macData);

  it.each([
    { finding: '262870, 997063', bytes: pfx(pbes2(der.integer(5))), spec: /RFC 8018 B\.1\.1/ },
    { finding: '262870 (NULL with content)', bytes: pfx(pbes2(der.tlv(0x05, Uint8Array.of(0)))), spec: /RFC 8018 B\.1\.1/ },
    { finding: '267914', bytes: withMac(mac(der.integer(0), der.integer(1))), spec: /RFC 3370 §2\.1/ },
    { finding: '358415', bytes: pfx(legacy(der.integer(0))), spec: /RFC 8018 §4\.2/ },
    { finding: '358415 (negative)', bytes: pfx(legacy(der.tlv(0x02, Uint8Array.of(0xff)))), spec: /RFC 8018 §4\.2/ },
    { finding: '358415 (PBKDF2)', bytes: pfx(pbes2(der.nullValue(), 0)), spec: /RFC 8018 §4\.2/ },
    { finding: '358415 (MAC)', bytes: withMac(mac(der.nullValue(), der.integer(0))), spec: /RFC 8018 §4\.2/ },
  ])('pkcs12 execution $finding: Certdesk refuses before any derivation and the table cites $spec', async ({ bytes, spec }) => {
    const promise = importPkcs12(bytes, 'pw');
    await expect(promise).rejects.toMatchObject({ code: 'pkcs12-malformed' });
    const message = await promise.then(
      () => 'opened',
      (error: Error) => error.message,
    );
    expect(message).toMatch(/Export it again from the system that made it\.$/);
    expect(why(message)).toMatch(spec);
  });

  it('the cited entries match only what they cite: a version refusal and a wrong password are not classified by them', () => {
    const cited = PKCS12_STRICTER_DETAIL.filter((d) => /RFC 2985|RFC 8018 B\.1\.1|RFC 8018 §4\.2/.test(d.why));
    expect(cited).toHaveLength(4);
    for (const message of ['This PKCS#12 file is damaged or not what it claims to be: its PKCS#12 version is not 3.', 'The password does not open this PKCS#12 file.', 'a certificate bag holds 2 values where it holds one']) {
      expect(cited.filter((d) => d.message.test(message))).toEqual([]);
    }
    // A damaged EnvelopedData is refused by both; no table entry may excuse a refusal of one OpenSSL reads.
    expect(why('the version in the enveloped data has the wrong type')).toBeUndefined();
  });
});
