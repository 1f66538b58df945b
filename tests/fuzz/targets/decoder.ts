/**
 * `decodeInput`, the one way in for every file: any corpus entry of any format, mutated, decoded
 * with its password (or a wrong one, or none). What it accepts is checked against OpenSSL in
 * Node: every certificate must be one d2i_X509 reads, every key one createPrivateKey reads with
 * the same public key; a DER key OpenSSL reads that Certdesk refuses must be a cited difference.
 */
import { decodeInput, matchKeysToCertificates, type DecodedInput } from '../../../src/core/pki/decode';
import { fixtureCertificates, fixtureKeys, fixturePkcs12, fixturePkcs7, fixtureRequests, ownCorpus } from '../corpus';
import { CERTIFICATE_STRICTER, KEY_STRICTER, KEY_STRICTER_DETAIL } from '../differences';
import { nodeCertificate, nodeDerivesSamePublicKey, nodePrivateKey, usesBerOnlyForms } from '../oracles';
import { mutatedInput, type Comparison, type Target } from '../target';

export const decoder: Target = {
  name: 'decoder',
  description: 'decodeInput (DER, PEM, base64, PKCS#7, PKCS#12, keys, CSRs); certificates and keys against Node crypto',
  timeoutMs: 10_000,
  corpus: () => [
    ...ownCorpus(/^(?!backup)/),
    ...fixtureCertificates().filter((_, i) => i % 2 === 0),
    ...fixtureRequests().filter((_, i) => i % 3 === 0),
    ...fixturePkcs7(),
    ...fixtureKeys(),
    ...fixturePkcs12().filter((e) => /openssl-set\/ec|node-forge|go-pkcs12/.test(e.name)),
  ],
  input(rng, corpus) {
    const input = mutatedInput(rng, corpus);
    const r = rng.below(10);
    if (r < 2) input.password = rng.pick(['wrong', '', null]);
    else if (r < 3) delete input.password;
    return input;
  },
  async run({ bytes, password }) {
    const decoded = await decodeInput(bytes, password === undefined ? {} : { password });
    await matchKeysToCertificates(decoded.certificates, decoded.privateKeys);
    return decoded;
  },
  compare({ bytes }, outcome): Comparison | undefined {
    if (outcome.verdict === 'accepted') {
      const decoded = outcome.result as DecodedInput;
      for (const { der } of decoded.certificates) {
        if (!nodeCertificate(der)) return { class: 'Node refuses a certificate Certdesk decoded', finding: true };
      }
      for (const key of decoded.privateKeys) {
        const same = nodeDerivesSamePublicKey(key.pkcs8, key.spki);
        if (same === undefined) return { class: 'Node refuses a private key Certdesk decoded', finding: true };
        if (!same) return { class: 'the public key of a decoded private key differs from OpenSSL’s', finding: true };
      }
      return { class: 'accepted, and OpenSSL reads what was decoded', finding: false };
    }
    if (bytes[0] !== 0x30) return undefined;
    if (nodePrivateKey(bytes)) {
      const ber = usesBerOnlyForms(bytes) ? 'DER strings are primitive and lengths definite (X.690 §10.1, §10.2); OpenSSL reads BER keys.' : undefined;
      const why = KEY_STRICTER[outcome.code] ?? KEY_STRICTER_DETAIL.find((d) => d.message.test(outcome.message))?.why ?? ber;
      return why ? { class: `key: deliberate: ${why}`, finding: false } : { class: `key: Certdesk refuses (${outcome.code}), Node reads: ${outcome.message.slice(0, 140)}`, finding: true };
    }
    if (nodeCertificate(bytes)) {
      const known = CERTIFICATE_STRICTER.find((d) => d.message.test(outcome.message));
      return known ? { class: `certificate: deliberate: ${known.why}`, finding: false } : { class: `certificate: Certdesk refuses (${outcome.code}), Node reads: ${outcome.message.slice(0, 140)}`, finding: true };
    }
    return { class: 'refused, and OpenSSL reads it neither as a key nor as a certificate', finding: false };
  },
};
