/**
 * The certificate model as every path reads it: `readCertificate` (what the file is, the bounded
 * walk, the model), then the viewer's description and the import's facts — compared with
 * OpenSSL's d2i_X509 through Node's X509Certificate on every execution.
 */
import { describeCertificate } from '../../../src/core/pki/describe';
import { readCertificateFacts } from '../../../src/core/appliance/certificate-facts';
import { readCertificate } from '../../../src/core/pki/x509';
import { fixtureCertificates, ownCorpus } from '../corpus';
import { CERTIFICATE_STRICTER } from '../differences';
import { nodeCertificate } from '../oracles';
import { mutatedInput, toDer, type Target } from '../target';

export const certificate: Target = {
  name: 'certificate',
  description: 'readCertificate → describeCertificate (viewer) and readCertificateFacts (import), against Node X509Certificate',
  timeoutMs: 10_000,
  corpus: () => [...ownCorpus(/^cert-.*\.der$/), ...fixtureCertificates().map(toDer)],
  input: (rng, corpus) => mutatedInput(rng, corpus),
  async run({ bytes }) {
    readCertificate(bytes);
    await describeCertificate(bytes);
    return readCertificateFacts(bytes);
  },
  compare({ bytes }, outcome) {
    const theirs = nodeCertificate(bytes) !== undefined;
    if (outcome.verdict === 'accepted') return theirs ? { class: 'both read', finding: false } : { class: 'Node refuses, Certdesk reads', finding: true };
    if (!theirs) return { class: 'both refuse', finding: false };
    const known = CERTIFICATE_STRICTER.find((d) => d.message.test(outcome.message));
    return known ? { class: `deliberate: ${known.why}`, finding: false } : { class: `Certdesk refuses (${outcome.code}), Node reads: ${outcome.message.slice(0, 160)}`, finding: true };
  },
};
