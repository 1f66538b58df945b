/**
 * A pool of candidate issuers, indexed by subject name (RFC 5280 §7.1 comparison), holding each
 * certificate once whatever the number of times it was offered. Pools can change (chain-pool.ts
 * keeps an appliance's pools up to date as certificates arrive and leave) and can be seen
 * without one certificate, so a certificate is never offered as its own issuer.
 */
import { equalBytes } from '../asn1/bytes';
import type { Certificate } from '../x509';

/**
 * Everything that may issue a certificate whose issuer name is `issuerKey`, or issue one of
 * those, transitively — all a path builder can look at, since it looks issuers up by name only
 * (RFC 5280 §6.1, RFC 4158 §2). `withSubject` finds certificates by subject name (§7.1
 * comparison key); each is returned once, `excluded` ones (the certificate itself) never.
 */
export function issuerClosure<T extends { issuerKey: string }>(issuerKey: string, withSubject: (subjectKey: string) => Iterable<T>, excluded: (candidate: T) => boolean): T[] {
  const found = new Set<T>();
  const names = [issuerKey];
  const named = new Set(names);
  for (let i = 0; i < names.length; i++) {
    for (const issuer of withSubject(names[i]!)) {
      if (found.has(issuer) || excluded(issuer)) continue;
      found.add(issuer);
      if (!named.has(issuer.issuerKey)) {
        named.add(issuer.issuerKey);
        names.push(issuer.issuerKey);
      }
    }
  }
  return [...found];
}

/** The bucket a certificate's bytes fall in: length and the signature's first octets. */
function bucketId(cert: Certificate): number {
  const sig = cert.signature;
  return cert.der.length * 0x1000000 + (((sig[0] ?? 0) << 16) | ((sig[1] ?? 0) << 8) | (sig[2] ?? 0));
}

export class CertificatePool {
  private readonly bySubject = new Map<string, Certificate[]>();
  /** Buckets by length and the signature's first octets; membership is decided by comparing the whole DER. */
  private readonly seen = new Map<number, Certificate[]>();

  constructor(certs: Iterable<Certificate> = []) {
    for (const c of certs) this.add(c);
  }

  /** Adds a certificate unless the same DER is already present. Returns whether it was added. */
  add(cert: Certificate): boolean {
    const id = bucketId(cert);
    const bucket = this.seen.get(id);
    if (bucket?.some((c) => equalBytes(c.der, cert.der))) return false;
    if (bucket) bucket.push(cert);
    else this.seen.set(id, [cert]);
    const list = this.bySubject.get(cert.subjectKey);
    if (list) list.push(cert);
    else this.bySubject.set(cert.subjectKey, [cert]);
    return true;
  }

  /** Removes the certificate with the same DER, if present. Returns whether one was removed. */
  remove(cert: Certificate): boolean {
    const id = bucketId(cert);
    const bucket = this.seen.get(id);
    const held = bucket?.find((c) => equalBytes(c.der, cert.der));
    if (!bucket || !held) return false;
    if (bucket.length === 1) this.seen.delete(id);
    else bucket.splice(bucket.indexOf(held), 1);
    const list = this.bySubject.get(held.subjectKey)!;
    if (list.length === 1) this.bySubject.delete(held.subjectKey);
    else list.splice(list.indexOf(held), 1);
    return true;
  }

  has(cert: Certificate): boolean {
    return (this.bySubject.get(cert.subjectKey) ?? []).some((c) => equalBytes(c.der, cert.der));
  }

  issuersOf(cert: Certificate): Certificate[] {
    return this.bySubject.get(cert.issuerKey) ?? [];
  }

  /** The certificates whose subject name compares equal to `subjectKey`. */
  withSubject(subjectKey: string): readonly Certificate[] {
    return this.bySubject.get(subjectKey) ?? [];
  }

  all(): Certificate[] {
    return [...this.bySubject.values()].flat();
  }

  /** This pool as seen without `excluded` (same DER), sharing its indexes: nothing is copied. */
  without(excluded: Certificate): CertificatePool {
    return new PoolWithout(this, excluded);
  }
}

/** A pool minus one certificate; reads go to the underlying pool, which may go on changing. */
class PoolWithout extends CertificatePool {
  constructor(
    private readonly base: CertificatePool,
    private readonly excluded: Certificate,
  ) {
    super();
  }

  private isExcluded(cert: Certificate): boolean {
    return cert === this.excluded || equalBytes(cert.der, this.excluded.der);
  }

  override add(): boolean {
    throw new TypeError('A pool seen without a certificate cannot be added to.');
  }

  override remove(): boolean {
    throw new TypeError('A pool seen without a certificate cannot be removed from.');
  }

  override has(cert: Certificate): boolean {
    return !this.isExcluded(cert) && this.base.has(cert);
  }

  override issuersOf(cert: Certificate): Certificate[] {
    const list = this.base.issuersOf(cert);
    return list.some((c) => this.isExcluded(c)) ? list.filter((c) => !this.isExcluded(c)) : list;
  }

  override withSubject(subjectKey: string): readonly Certificate[] {
    return this.base.withSubject(subjectKey).filter((c) => !this.isExcluded(c));
  }

  override all(): Certificate[] {
    return this.base.all().filter((c) => !this.isExcluded(c));
  }
}
