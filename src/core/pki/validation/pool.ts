/**
 * A pool of candidate issuers, indexed by subject name (RFC 5280 §7.1 comparison), holding each
 * certificate once whatever the number of times it was offered.
 */
import { equalBytes } from '../asn1';
import type { Certificate } from '../x509';

export class CertificatePool {
  private readonly bySubject = new Map<string, Certificate[]>();
  /** Buckets by length and the signature's first octets; membership is decided by comparing the whole DER. */
  private readonly seen = new Map<number, Certificate[]>();

  constructor(certs: Iterable<Certificate> = []) {
    for (const c of certs) this.add(c);
  }

  /** Adds a certificate unless the same DER is already present. Returns whether it was added. */
  add(cert: Certificate): boolean {
    const sig = cert.signature;
    const id = cert.der.length * 0x1000000 + (((sig[0] ?? 0) << 16) | ((sig[1] ?? 0) << 8) | (sig[2] ?? 0));
    const bucket = this.seen.get(id);
    if (bucket?.some((c) => equalBytes(c.der, cert.der))) return false;
    if (bucket) bucket.push(cert);
    else this.seen.set(id, [cert]);
    const list = this.bySubject.get(cert.subjectKey);
    if (list) list.push(cert);
    else this.bySubject.set(cert.subjectKey, [cert]);
    return true;
  }

  has(cert: Certificate): boolean {
    return (this.bySubject.get(cert.subjectKey) ?? []).some((c) => equalBytes(c.der, cert.der));
  }

  issuersOf(cert: Certificate): Certificate[] {
    return this.bySubject.get(cert.issuerKey) ?? [];
  }

  all(): Certificate[] {
    return [...this.bySubject.values()].flat();
  }
}
