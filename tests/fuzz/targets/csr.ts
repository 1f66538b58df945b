/**
 * `parseCsr` (the request model and its proof-of-possession check) on mutated requests; a sample
 * of the DER ones is compared with `openssl req -verify` (parsed? signature verifies?).
 */
import { parseCsr, type ParsedCsr } from '../../../src/core/pki/csr';
import { fixtureRequests, ownCorpus } from '../corpus';
import { CERTIFICATE_STRICTER, CSR_SIGNATURE_STRICTER, CSR_STRICTER } from '../differences';
import { verifySignature } from '../../../src/core/pki/signatures';
import { parseCertificationRequest } from '../../../src/core/pki/x509';
import { opensslRequest } from '../oracles';
import { mutatedInput, type Comparison, type Target } from '../target';

/** One DER execution in this many is also checked by the OpenSSL CLI. */
export const CSR_ORACLE_EVERY = 31;

/** Why Certdesk's verifier refuses a request's self-signature (the reason parseCsr folds into a boolean). */
async function whySignatureFails(bytes: Uint8Array): Promise<string> {
  const request = parseCertificationRequest(bytes);
  const check = await verifySignature(request.info, request.signatureAlgorithm, request.signature, request.spki, { allowSha1: true, allowLegacy: true });
  return check.ok ? '' : check.reason;
}

export const csr: Target = {
  name: 'csr',
  description: `parseCsr on DER and PEM requests; 1 in ${CSR_ORACLE_EVERY} DER ones against openssl req -verify`,
  timeoutMs: 10_000,
  corpus: () => [...ownCorpus(/^csr-/), ...fixtureRequests()],
  input: (rng, corpus) => mutatedInput(rng, corpus),
  run: ({ bytes }) => parseCsr(bytes),
  async compare({ bytes }, outcome, index): Promise<Comparison | undefined> {
    if (bytes[0] !== 0x30 || index % CSR_ORACLE_EVERY !== 0) return undefined;
    const theirs = opensslRequest(bytes, false);
    if (outcome.verdict === 'accepted') {
      const ours = (outcome.result as ParsedCsr).signatureValid;
      const reason = ours ? '' : await whySignatureFails(bytes);
      if (!theirs.parsed) return { class: `Certdesk reads, OpenSSL refuses: ${theirs.error.slice(0, 120)}`, finding: true };
      if (ours === theirs.verified) return { class: 'both read, same signature verdict', finding: false };
      if (!ours) {
        const why = CSR_SIGNATURE_STRICTER.find((d) => d.message.test(reason));
        if (why) return { class: `deliberate: ${why.why}`, finding: false };
      }
      return { class: `both read; signature ${ours ? 'verifies' : 'fails'} for Certdesk, ${theirs.verified ? 'verifies' : 'fails'} for OpenSSL`, finding: true };
    }
    if (!theirs.parsed) return { class: 'both refuse', finding: false };
    const known = [...CERTIFICATE_STRICTER, ...CSR_STRICTER].find((d) => d.message.test(outcome.message));
    return known ? { class: `deliberate: ${known.why}`, finding: false } : { class: `Certdesk refuses (${outcome.code}), OpenSSL reads: ${outcome.message.slice(0, 140)}`, finding: true };
  },
};
