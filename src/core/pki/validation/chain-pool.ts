/**
 * The certificates of one appliance as chain status judges them, each parsed once and kept as
 * certificates arrive and leave: the trust anchors and the other candidate issuers (pool.ts,
 * indexed by subject name), and for each certificate what its status depends on.
 *
 * A certificate's chain status (chain-status.ts) is a function of the certificate, of the
 * certificates that may issue it — those whose subject is its issuer, and theirs, transitively:
 * path building only ever looks issuers up by name (RFC 5280 §6.1, RFC 4158 §2) — and of the
 * time, which enters only through each of those certificates' validity (RFC 5280 §4.1.2.5). So
 * a stored status stays right while its inputs are the same certificates and the time stays
 * between the same validity edges: a new issuer changes the statuses of its subjects (and
 * theirs), not the world, and expiry changes a status exactly when a date in its chain passes.
 */
import { isSelfSigned } from '../signatures';
import { MalformedCertificateError, parseCertificate, type Certificate } from '../x509';
import { chainStatusOf, type ChainStatus, type ChainStatusOptions } from './chain-status';
import { malformedCertificateProblem } from './path-validation';
import { CertificatePool, issuerClosure } from './pool';

/** What a certificate's chain status depends on, at a given time. */
export interface StatusDependencies {
  /** Keys of the certificates that may issue it, transitively, sorted. */
  inputs: string[];
  /** The status stays the same while `validFrom ≤ time < validUntil` (ms since the epoch; ±Infinity when open). */
  validFrom: number;
  validUntil: number;
}

interface Member {
  cert: Certificate | MalformedCertificateError;
}

export class ChainPool {
  /** Self-signed certificates: where a path may end (chain-status.ts: imported roots only). */
  readonly anchors = new CertificatePool();
  /** Every other certificate: candidate intermediates. */
  readonly intermediates = new CertificatePool();
  readonly #members = new Map<string, Member>();
  readonly #keyOf = new Map<Certificate, string>();

  /** Keys of the certificates held. */
  keys(): IterableIterator<string> {
    return this.#members.keys();
  }

  has(key: string): boolean {
    return this.#members.has(key);
  }

  get size(): number {
    return this.#members.size;
  }

  /**
   * Adds the certificate `der` under `key` (a key names one DER for good, e.g. its fingerprint):
   * parsed here, its self-signature checked once. Bytes that are no certificate are held too:
   * their status says so. Adding a key already held does nothing.
   */
  async add(key: string, der: Uint8Array): Promise<void> {
    if (this.#members.has(key)) return;
    let cert: Certificate | MalformedCertificateError;
    try {
      cert = parseCertificate(der);
    } catch (error) {
      if (!(error instanceof MalformedCertificateError)) throw error;
      cert = error;
    }
    const anchor = !(cert instanceof MalformedCertificateError) && (await isSelfSigned(cert));
    // Another add of the same key may have finished while the signature was checked.
    if (this.#members.has(key)) return;
    this.#members.set(key, { cert });
    if (cert instanceof MalformedCertificateError) return;
    this.#keyOf.set(cert, key);
    (anchor ? this.anchors : this.intermediates).add(cert);
  }

  /** Forgets the certificate held under `key`. */
  remove(key: string): void {
    const member = this.#members.get(key);
    if (!member) return;
    this.#members.delete(key);
    if (member.cert instanceof MalformedCertificateError) return;
    this.#keyOf.delete(member.cert);
    if (!this.anchors.remove(member.cert)) this.intermediates.remove(member.cert);
  }

  /** What the status of `key`'s certificate depends on at `time` (ms since the epoch). */
  dependencies(key: string, time: number): StatusDependencies {
    const member = this.#members.get(key);
    if (!member) throw new RangeError(`No certificate is held under ${key}.`);
    const cert = member.cert;
    if (cert instanceof MalformedCertificateError) return { inputs: [], validFrom: -Infinity, validUntil: Infinity };
    let validFrom = -Infinity;
    let validUntil = Infinity;
    // chain-status.ts compares whole seconds: not yet valid while now < notBefore, expired once now > notAfter.
    const edges = (c: Certificate) => {
      for (const edge of [c.notBefore.seconds * 1000, (c.notAfter.seconds + 1) * 1000]) {
        if (edge <= time) validFrom = Math.max(validFrom, edge);
        else validUntil = Math.min(validUntil, edge);
      }
    };
    edges(cert);
    const issuers = issuerClosure(cert.issuerKey, (name) => [...this.anchors.withSubject(name), ...this.intermediates.withSubject(name)], (c) => c === cert);
    for (const issuer of issuers) edges(issuer);
    const inputs = issuers.map((issuer) => this.#keyOf.get(issuer)!);
    return { inputs: inputs.sort(), validFrom, validUntil };
  }

  /** The chain status of `key`'s certificate against every other certificate held. */
  async status(key: string, options: ChainStatusOptions = {}): Promise<ChainStatus> {
    const member = this.#members.get(key);
    if (!member) throw new RangeError(`No certificate is held under ${key}.`);
    const cert = member.cert;
    if (cert instanceof MalformedCertificateError) return { kind: 'untrusted', problems: [malformedCertificateProblem(cert)] };
    return chainStatusOf(cert, { anchors: this.anchors.without(cert), intermediates: this.intermediates.without(cert) }, options);
  }
}
