/**
 * Checks over a certificate and its issuer (a link of the path), and over a whole path leaf …
 * anchor: the issuer's name and key identifier (BR §7.1.2.11.1, §7.1.4.1), the authority key
 * identifier's presence (RFC 5280 §4.2.1.1: all but self-signed certificates), path length
 * (§6.1.4 (l)–(m)), name constraints (§6.1.3 (b)–(c), §6.1.4 (g)) and certificate policies
 * (§6.1.3 (d)–(f), §6.1.4, §6.1.5: policy-tree.ts).
 */
import { equalBytes, OID, toHex } from '../asn1';
import { checkNameConstraints, constrainedNames } from '../names/constraints';
import { signatureAlgorithmName } from '../signatures';
import { certificateExtension, type Certificate } from '../x509';
import type { Budget } from './budget';
import { nameConstraintsOf, subjectAltNames } from './certificate-view';
import type { LinkCheck } from './check';
import { processPolicies } from './policy-tree';
import { problem, who, type RawProblem } from './problem';

const keyId = (c: Certificate) => certificateExtension(c, 'authorityKeyIdentifier')?.keyIdentifier;

/** The hash a BR §7.1.3.2.2 ECDSA signature by a key on each curve must use. */
const CURVE_HASH: Record<string, { curve: string; algorithm: string }> = {
  [OID.secp256r1]: { curve: 'P-256', algorithm: OID.ecdsaWithSHA256 },
  [OID.secp384r1]: { curve: 'P-384', algorithm: OID.ecdsaWithSHA384 },
  [OID.secp521r1]: { curve: 'P-521', algorithm: OID.ecdsaWithSHA512 },
};

const SHA2_ECDSA: ReadonlySet<string> = new Set([OID.ecdsaWithSHA256, OID.ecdsaWithSHA384, OID.ecdsaWithSHA512]);

export const linkChecks: Record<string, LinkCheck> = {
  // rustls-webpki and Go look issuers up by the bytes of the name (BR §7.1.4.1).
  'issuer-not-byte-identical': (c, issuer) => !equalBytes(c.issuerDer, issuer.subjectDer) && { expected: who(issuer) },
  'authority-key-identifier-mismatch': (c, issuer) => {
    const aki = keyId(c);
    const ski = certificateExtension(issuer, 'subjectKeyIdentifier')?.keyIdentifier;
    return aki !== undefined && ski !== undefined && toHex(aki) !== toHex(ski) && { expected: who(issuer) };
  },
  // Only a self-signed certificate (its own name and key) may go without (RFC 5280 §4.2.1.1).
  'missing-authority-key-identifier': (c, issuer) => keyId(c) === undefined && !(c.selfIssued && c.spki.sha256 === issuer.spki.sha256),
  'ecdsa-hash-curve-mismatch': (c, issuer) => {
    const expected = CURVE_HASH[issuer.spki.namedCurve ?? ''];
    const algorithm = c.tbsSignatureAlgorithm.oid;
    return expected !== undefined && SHA2_ECDSA.has(algorithm) && algorithm !== expected.algorithm && { found: signatureAlgorithmName(algorithm), expected: expected.curve };
  },
};

/**
 * Path length (RFC 5280 §4.2.1.9, §6.1.4 (l)–(m)): the CA certificates below each one with a
 * pathLenConstraint, self-issued intermediates not counted. `subjectIsCa`: the path starts at a
 * CA certificate judged on its own (chain status), which counts as one of them.
 */
function pathLengthProblems(path: readonly Certificate[], subjectIsCa: boolean): RawProblem[] {
  const out: RawProblem[] = [];
  for (let i = 1; i < path.length; i++) {
    const pathLen = certificateExtension(path[i]!, 'basicConstraints')?.pathLenConstraint;
    if (pathLen === undefined) continue;
    let below = 0;
    for (let j = 1; j < i; j++) if (!path[j]!.selfIssued) below++;
    if (subjectIsCa && !path[0]!.selfIssued) below++;
    if (below > pathLen) out.push(problem('path-length-exceeded', path[i]!, { expected: String(pathLen), found: String(below) }));
  }
  return out;
}

/**
 * Name constraints of every CA in the path (the anchor's too, as Go, pyca and OpenSSL apply
 * them) against the names of each certificate below it: self-issued intermediates are exempt,
 * the leaf never (RFC 5280 §6.1.3 (b)).
 */
function nameConstraintProblems(path: readonly Certificate[], budget: Budget): RawProblem[] {
  const out: RawProblem[] = [];
  for (let i = 1; i < path.length; i++) {
    const ca = path[i]!;
    const constraints = nameConstraintsOf(ca)?.constraints;
    if (!constraints) continue;
    for (let j = i - 1; j >= 0; j--) {
      const sub = path[j]!;
      if (j > 0 && sub.selfIssued) continue;
      const violation = checkNameConstraints(constraints, constrainedNames(sub, subjectAltNames(sub)), budget);
      if (violation) out.push(problem(violation.reason === 'unprocessable' ? 'unprocessable-name-constraint' : 'name-constraint-violation', sub, { found: violation.name, expected: who(ca) }));
    }
  }
  return out;
}

/** Every check over a whole path, leaf first and anchor last. */
export function pathProblems(path: readonly Certificate[], subjectIsCa: boolean, budget: Budget): RawProblem[] {
  const out = [...pathLengthProblems(path, subjectIsCa), ...nameConstraintProblems(path, budget)];
  const policy = processPolicies(path);
  if (policy) out.push(problem('no-valid-policy', path[0]!, { expected: who(policy.requiredBy) }));
  return out;
}
