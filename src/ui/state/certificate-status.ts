import type { CertificateView, ListedChainStatus } from '../../store/workspace';
import { statusWords, type ChainWord, type StatusWord } from './status-words';

/** What the list shows under a certificate: the chain word from the full status when known. */
export function chainWord(certificate: CertificateView, status: ListedChainStatus | undefined): ChainWord {
  if (certificate.kind !== 'server' && !status) return certificate.chain === 'complete' ? 'complete' : certificate.chain;
  if (!status) return certificate.chain;
  switch (status.kind) {
    case 'complete':
      return 'complete';
    case 'missing-intermediate':
      return 'missing-intermediate';
    case 'missing-root':
      return 'missing-root';
    case 'untrusted':
      return certificate.facts.selfIssued ? 'not-applicable' : 'untrusted';
    default:
      // Expiry is shown by its own word; the chain itself is judged by the quick shape.
      return certificate.chain;
  }
}

export function wordsFor(certificate: CertificateView, status: ListedChainStatus | undefined, now: number): StatusWord[] {
  return statusWords({
    chain: chainWord(certificate, status),
    selfSigned: certificate.facts.selfIssued && certificate.kind === 'server',
    factoryDefault: certificate.factoryDefault,
    notBefore: certificate.facts.notBefore,
    notAfter: certificate.facts.notAfter,
    now,
  });
}

/** A sentence that says what is missing and where to get it, or undefined when nothing is. */
export function chainAdvice(status: ListedChainStatus | undefined): string | undefined {
  if (!status) return undefined;
  if (status.kind === 'missing-intermediate') {
    const where = status.caIssuersUrls.length ? ` The CA publishes it at ${status.caIssuersUrls.join(', ')}.` : '';
    return `Import the intermediate certificate "${status.issuer}" that your CA sent with this certificate.${where}`;
  }
  if (status.kind === 'missing-root') {
    return status.builtInRootSha256
      ? `The root certificate "${status.issuer}" is missing; Certdesk has it in its built-in root store.`
      : `Import the root certificate "${status.issuer}" from your CA's root certificate repository.`;
  }
  if (status.kind === 'untrusted') return status.problems[0]?.message;
  return undefined;
}

/** The guide's "Issued To" for lists: the common name, else the first SAN, else the subject. */
export function issuedTo(certificate: CertificateView): string {
  return certificate.facts.commonName ?? certificate.facts.dnsNames[0] ?? certificate.facts.subject;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

export function formatDate(ms: number): string {
  return dateFormat.format(new Date(ms));
}
