/**
 * Certificate policy processing, RFC 5280 §6.1.3 (d)–(f), §6.1.4 (a)–(b), (h)–(j) and §6.1.5
 * (a)–(b), (g), in the form RFC 9618 gives it: a valid_policy_graph whose nodes at each depth are
 * keyed by their valid_policy, so a node is never duplicated and the work stays proportional to
 * the policies in the certificates (the tree of RFC 5280 can grow exponentially,
 * CVE-2023-0464). Go crypto/x509 (`policiesValid`) and Chrome (BoringSSL
 * `VerifyPolicies`) implement the same.
 *
 * Inputs as browsers use them (§6.1.1): user-initial-policy-set = {anyPolicy},
 * initial-policy-mapping-inhibit, initial-explicit-policy and initial-any-policy-inhibit false.
 * The trust anchor is an input, not a certificate of the path (§6.1.1 (d)): its own policy
 * extensions are not processed. Policy qualifiers play no part (RFC 9618 §3.2).
 */
import { OID } from '../asn1';
import { certificateExtension, type Certificate } from '../x509';

interface PolicyNode {
  policy: string;
  expected: Set<string>;
  parents: PolicyNode[];
}

type Level = Map<string, PolicyNode>;

/** Why policy processing failed: no policy is valid and one is required, set by `requiredBy`. */
export interface PolicyFailure {
  /** The certificate whose policyConstraints (or the wrap-up) brought explicit_policy to 0. */
  requiredBy: Certificate;
}

/** Removes nodes without children, from `depth` up to the root (RFC 9618 §4.3, the pruning step). */
function prune(levels: Level[], depth: number): void {
  for (let d = depth; d >= 1; d--) {
    const used = new Set<PolicyNode>();
    for (const node of levels[d]!.values()) for (const parent of node.parents) used.add(parent);
    for (const [policy, node] of levels[d - 1]!) if (!used.has(node)) levels[d - 1]!.delete(policy);
  }
}

/**
 * §6.1.3 (d): the nodes at depth i for a certificate asserting `policies` (anyPolicy included
 * only when inhibit_anyPolicy allows it), below the nodes of `previous`.
 */
function nextLevel(previous: Level, policies: readonly string[], anyPolicyAllowed: boolean): Level {
  const level: Level = new Map();
  const anyNode = previous.get(OID.anyPolicy);
  // (d)(1): each policy below the nodes expecting it, else below anyPolicy.
  for (const policy of policies) {
    if (policy === OID.anyPolicy || level.has(policy)) continue;
    const parents = [...previous.values()].filter((node) => node.expected.has(policy));
    if (parents.length) level.set(policy, { policy, expected: new Set([policy]), parents });
    else if (anyNode) level.set(policy, { policy, expected: new Set([policy]), parents: [anyNode] });
  }
  // (d)(2): anyPolicy stands for every expected policy not yet matched.
  if (policies.includes(OID.anyPolicy) && anyPolicyAllowed) {
    const pending = new Map<string, PolicyNode[]>();
    for (const node of previous.values())
      for (const expected of node.expected) if (!level.has(expected)) pending.set(expected, [...(pending.get(expected) ?? []), node]);
    for (const [policy, parents] of pending) level.set(policy, { policy, expected: new Set([policy]), parents });
  }
  return level;
}

/** §6.1.4 (b): applies a certificate's policy mappings to depth `depth`. */
function applyMappings(levels: Level[], depth: number, mappings: readonly { issuerDomainPolicy: string; subjectDomainPolicy: string }[], mappingAllowed: boolean): void {
  const level = levels[depth]!;
  const byIssuerPolicy = new Map<string, Set<string>>();
  for (const m of mappings) byIssuerPolicy.set(m.issuerDomainPolicy, (byIssuerPolicy.get(m.issuerDomainPolicy) ?? new Set()).add(m.subjectDomainPolicy));
  for (const [issuerPolicy, subjectPolicies] of byIssuerPolicy) {
    const node = level.get(issuerPolicy);
    if (!mappingAllowed) {
      // (b)(2): with policy mapping inhibited, mapped policies end here.
      level.delete(issuerPolicy);
      continue;
    }
    if (node) node.expected = subjectPolicies;
    else {
      // (b)(1): a policy the issuer only covered through anyPolicy becomes a node of its own.
      const anyNode = level.get(OID.anyPolicy);
      if (anyNode) level.set(issuerPolicy, { policy: issuerPolicy, expected: subjectPolicies, parents: anyNode.parents });
    }
  }
  if (!mappingAllowed) prune(levels, depth);
}

/**
 * Processes the policies of `path` (leaf first, trust anchor last). Returns undefined when the
 * path is valid for some policy or no explicit policy is required, else the failure.
 */
export function processPolicies(path: readonly Certificate[]): PolicyFailure | undefined {
  const certs = path.slice(0, -1).reverse(); // certificate 1 (issued by the anchor) … n (the leaf)
  const n = certs.length;
  if (n === 0) return undefined;
  let explicitPolicy = n + 1;
  let inhibitAnyPolicy = n + 1;
  let policyMapping = n + 1;
  let requiredBy = certs[n - 1]!;
  let levels: Level[] | undefined = [new Map([[OID.anyPolicy, { policy: OID.anyPolicy, expected: new Set([OID.anyPolicy]), parents: [] }]])];
  for (let i = 1; i <= n; i++) {
    const cert = certs[i - 1]!;
    const last = i === n;
    const policies = certificateExtension(cert, 'certificatePolicies')?.policies.map((p) => p.oid);
    // (d), (e): a certificate without (readable) policies ends the graph.
    if (levels && policies) {
      levels.push(nextLevel(levels[i - 1]!, policies, inhibitAnyPolicy > 0 || (!last && cert.selfIssued)));
      prune(levels, i);
      if (levels[i]!.size === 0) levels = undefined;
    } else levels = undefined;
    // (f)
    if (explicitPolicy <= 0 && !levels) return { requiredBy };
    if (last) break;
    // §6.1.4 (a)–(b); a mapping to or from anyPolicy is refused by its own rule and not applied.
    const mappings = certificateExtension(cert, 'policyMappings')?.mappings;
    if (levels && mappings && !mappings.some((m) => m.issuerDomainPolicy === OID.anyPolicy || m.subjectDomainPolicy === OID.anyPolicy)) {
      applyMappings(levels, i, mappings, policyMapping > 0);
      if (levels[i]!.size === 0) levels = undefined;
    }
    // (h)
    if (!cert.selfIssued) {
      if (explicitPolicy > 0) explicitPolicy--;
      if (policyMapping > 0) policyMapping--;
      if (inhibitAnyPolicy > 0) inhibitAnyPolicy--;
    }
    // (i), (j)
    const constraints = certificateExtension(cert, 'policyConstraints');
    if (constraints?.requireExplicitPolicy !== undefined && constraints.requireExplicitPolicy < explicitPolicy) {
      explicitPolicy = constraints.requireExplicitPolicy;
      requiredBy = cert;
    }
    if (constraints?.inhibitPolicyMapping !== undefined && constraints.inhibitPolicyMapping < policyMapping) policyMapping = constraints.inhibitPolicyMapping;
    const skipCerts = certificateExtension(cert, 'inhibitAnyPolicy')?.skipCerts;
    if (skipCerts !== undefined && skipCerts < inhibitAnyPolicy) inhibitAnyPolicy = skipCerts;
  }
  // §6.1.5 (a), (b); (g) with user-initial-policy-set = {anyPolicy} keeps the graph as it is.
  const leaf = certs[n - 1]!;
  if (explicitPolicy > 0) explicitPolicy--;
  if (certificateExtension(leaf, 'policyConstraints')?.requireExplicitPolicy === 0) {
    explicitPolicy = 0;
    requiredBy = leaf;
  }
  return explicitPolicy > 0 || levels ? undefined : { requiredBy };
}
