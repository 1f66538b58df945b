import type { CertificateView, ChainStatus } from '../../store/workspace';
import { statusWords, type ChainWord, type StatusWord } from './status-words';

export { formatDate } from './status-words';

/** What the list shows under a certificate: the chain word from the full status when known. */
export function chainWord(certificate: CertificateView, status: ChainStatus | undefined): ChainWord {
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

/** A server certificate that is listed, not replaced and serves no IP address (the guide: "not yet installed or assigned"). */
export function isNotAssigned(certificate: CertificateView): boolean {
  return certificate.kind === 'server' && !certificate.factoryDefault && certificate.replacedBy === undefined && certificate.assignedIps.length === 0;
}

/**
 * The words under a certificate's name. `others` are the certificates of its appliance, to name
 * the one it renews — shown only while that one is in use (then Replace is the next step).
 */
export function wordsFor(certificate: CertificateView, status: ChainStatus | undefined, now: number, others: readonly CertificateView[] = []): StatusWord[] {
  const renewed = certificate.renews === undefined ? undefined : others.find((other) => other.id === certificate.renews);
  const input: Parameters<typeof statusWords>[0] = {
    chain: chainWord(certificate, status),
    selfSigned: certificate.facts.selfIssued && certificate.kind === 'server',
    factoryDefault: certificate.factoryDefault,
    notBefore: certificate.facts.notBefore,
    notAfter: certificate.facts.notAfter,
    now,
    plan: certificate.plan,
    showActBy: certificate.kind === 'server' && certificate.replacedBy === undefined,
    replaced: certificate.replacedBy !== undefined,
    notAssigned: isNotAssigned(certificate),
  };
  if (renewed && renewed.assignedIps.length > 0) input.renews = renewed.friendlyName;
  return statusWords(input);
}

/** The next step for a certificate that is not assigned, in one sentence. */
export function nextStep(certificate: CertificateView, others: readonly CertificateView[] = []): string | undefined {
  if (!isNotAssigned(certificate) || certificate.validity !== 'valid') return undefined;
  if (certificate.privateKey !== 'available') return 'Next: import its private key (for example the .p12 from the server that holds it), then assign it to IP addresses.';
  const renewed = others.find((other) => other.id === certificate.renews && other.assignedIps.length > 0);
  if (renewed) return `Next: replace "${renewed.friendlyName}" with it — Replace moves its IP addresses in one step.`;
  return 'Next: assign it to the IP addresses it should secure (Assign IP).';
}

/** A sentence that says what is missing and where to get it, or undefined when nothing is. */
export function chainAdvice(status: ChainStatus | undefined): string | undefined {
  if (!status) return undefined;
  if (status.kind === 'missing-intermediate') {
    const where = status.caIssuersUrls.length ? ` The CA publishes it at ${status.caIssuersUrls.join(', ')}.` : '';
    return `Import the intermediate certificate "${status.issuer}" that your CA sent with this certificate.${where}`;
  }
  if (status.kind === 'missing-root') {
    return status.builtInRoot
      ? `The root certificate "${status.issuer}" is missing; Certdesk has it in its built-in root store.`
      : `Import the root certificate "${status.issuer}" from your CA's root certificate repository.`;
  }
  if (status.kind === 'untrusted') return status.problems[0]?.message;
  return undefined;
}

/**
 * The guide's "Issued By" for lists: the issuer's friendly name when the appliance holds the
 * issuer (matched by name, RFC 5280 §7.1), else the issuer name as written in the certificate.
 */
export function issuedBy(certificate: CertificateView, others: readonly CertificateView[]): string {
  if (certificate.facts.selfIssued) return 'itself (self-signed)';
  const issuer = others.find((other) => other.id !== certificate.id && other.facts.subjectKey === certificate.facts.issuerKey);
  return issuer?.friendlyName ?? certificate.facts.issuer;
}

/** The guide's "Issued To" for lists: the common name, else the first SAN, else the subject. */
export function issuedTo(certificate: CertificateView): string {
  return certificate.facts.commonName ?? certificate.facts.dnsNames[0] ?? certificate.facts.subject;
}

