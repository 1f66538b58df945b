import { describe, expect, it } from 'vitest';
import { buildAndValidate } from '../../src/core/pki/validation/path-validation';
import { rulesByCode } from '../../src/core/pki/validation/rules';
import { buildChain, defaultHostname, validationTime, writeChain, type Chain, type KeyKind } from '../support/chain-factory';
import { openssl } from '../support/fixtures';
import { ruleBreaks, validationOptionsFor, type RuleBreak, type ValidationInputs } from '../support/rule-breaks';

/**
 * Differential test of the validation rule table against OpenSSL: every chain of
 * tests/support/rule-breaks.ts (valid except for one broken rule) goes through
 *
 *   openssl verify -x509_strict -purpose sslserver -CAfile root.pem -untrusted untrusted.pem
 *                  -attime T [-verify_hostname H | -verify_email E] leaf.pem
 *
 * (and, for the policy rules, once more with -policy_check, the only way OpenSSL processes
 * certificate policies) and through buildAndValidate. OpenSSL's verdict is pinned below with its
 * error, or the reason it accepts; Certdesk must report exactly the validation rules among the
 * break's code and `also` (lint rules never change the verdict).
 *
 * The rule: every case OpenSSL rejects and Certdesk accepts is a bug or a cited deliberate
 * difference (`gap`), and only those carry one.
 */

type OpensslVerdict = { verdict: 'accept'; reason: string } | { verdict: 'reject'; error: number; depth: number; text: string } | { verdict: 'unreadable' };

const accept = (reason: string): OpensslVerdict => ({ verdict: 'accept', reason });
const rejects = (error: number, depth: number, text: string): OpensslVerdict => ({ verdict: 'reject', error, depth, text });
const unreadable = (): OpensslVerdict => ({ verdict: 'unreadable' });

interface Pinned {
  /** OpenSSL 3.0 with the command above. */
  openssl: OpensslVerdict;
  /** The same with -policy_check, where that changes the verdict. */
  policyCheck?: OpensslVerdict;
  /** Why Certdesk accepts what OpenSSL rejects: `deliberate: …` with a citation (a `bug: …` fails below). */
  gap?: string;
}

const pinned: Record<string, Pinned> = {
  'malformed-certificate': { openssl: unreadable() },
  'signature-algorithm-mismatch': { openssl: rejects(78, 0, "cert info signature and signature algorithm mismatch") },
  'not-version-3': { openssl: rejects(93, 0, 'Using cert extension requires at least X509v3') },
  'negative-serial-number': { openssl: accept('never checks the sign of a serial number') },
  'zero-serial-number': { openssl: accept('does not require a positive serial number') },
  'serial-number-too-long': { openssl: accept('does not limit serial numbers to 20 octets') },
  'empty-issuer': { openssl: rejects(20, 0, 'unable to get local issuer certificate') },
  'malformed-name': { openssl: accept('does not check the PrintableString character set') },
  'issuer-not-byte-identical': { openssl: accept('matches names after canonicalising case and string type') },
  'malformed-time': { openssl: rejects(14, 0, "format error in certificate's notAfter field") },
  'generalized-time-before-2050': { openssl: accept('reads either time type for any year') },
  'inverted-validity': { openssl: rejects(9, 0, 'certificate is not yet valid') },
  'empty-subject': { openssl: rejects(83, 0, 'Issuer name empty') },
  'empty-subject-san-not-critical': { openssl: rejects(88, 0, 'Subject empty and Subject Alt Name extension not critical') },
  'unique-identifier-present': { openssl: accept('ignores unique identifiers') },
  'empty-extensions': { openssl: rejects(85, 0, 'Missing Authority Key Identifier') },
  'unsupported-key': { openssl: accept('verifies Ed25519 and has no Web PKI key list') },
  'rsa-key-too-small': { openssl: accept('security level 1, the default, accepts RSA-1024') },
  'rsa-modulus-not-multiple-of-8': { openssl: accept('accepts any RSA modulus size from 1024 bits') },
  'rsa-key-parameters-not-null': { openssl: accept('reads RSA keys whose parameters are absent') },
  'rsa-pss-key-identifier': { openssl: accept('accepts RSA keys labelled RSASSA-PSS') },
  'ec-key-parameters-not-named-curve': { openssl: rejects(94, 0, 'Certificate public key has explicit ECC parameters') },
  'weak-signature-algorithm': { openssl: accept('security level 1, the default, accepts SHA-1') },
  'unsupported-signature-algorithm': { openssl: rejects(20, 0, 'unable to get local issuer certificate') },
  'unsupported-signature-algorithm/not-accepted': { openssl: accept('verify takes no list of accepted signature algorithms') },
  'signature-algorithm-encoding': { openssl: accept('accepts RSA signature algorithms without NULL parameters') },
  'ecdsa-hash-curve-mismatch': { openssl: accept('accepts any SHA-2 hash with any curve') },
  'unknown-critical-extension': { openssl: rejects(34, 0, 'unhandled critical extension') },
  'duplicate-extension': { openssl: rejects(20, 0, 'unable to get local issuer certificate') },
  'malformed-extension': { openssl: rejects(20, 0, 'unable to get local issuer certificate') },
  'missing-authority-key-identifier': { openssl: rejects(85, 0, 'Missing Authority Key Identifier') },
  'missing-authority-key-identifier/self-issued': { openssl: rejects(19, 1, 'self-signed certificate in certificate chain') },
  'critical-authority-key-identifier': { openssl: rejects(34, 0, 'unhandled critical extension') },
  'missing-authority-key-identifier/no-key-id': { openssl: rejects(85, 1, 'Missing Authority Key Identifier') },
  'authority-key-identifier-without-key-id': { openssl: accept('an AKI without key identifier only skips key matching') },
  'authority-key-identifier-issuer-serial': { openssl: accept('compares AKI issuer and serial with the issuer, and they match') },
  'authority-key-identifier-mismatch': { openssl: rejects(20, 0, 'unable to get local issuer certificate') },
  'root-authority-key-identifier': { openssl: rejects(2, 2, 'unable to get issuer certificate') },
  'missing-subject-key-identifier': { openssl: rejects(86, 1, 'Missing Subject Key Identifier') },
  'critical-subject-key-identifier': { openssl: rejects(34, 1, 'unhandled critical extension') },
  'missing-key-usage': { openssl: rejects(92, 1, 'CA cert does not include key usage extension') },
  'non-critical-key-usage': { openssl: accept('does not check keyUsage criticality') },
  'empty-key-usage': { openssl: rejects(20, 0, 'unable to get local issuer certificate') },
  'wrong-key-usage': { openssl: accept('verify takes no required key usage besides the purpose’s') },
  'key-cert-sign-without-ca': { openssl: rejects(79, 0, 'invalid CA certificate') },
  'ca-key-usage': { openssl: rejects(79, 1, 'invalid CA certificate') },
  'ca-key-usage-bits': { openssl: accept('requires only keyCertSign of a CA') },
  'leaf-key-usage-without-digital-signature': { openssl: accept('the sslserver purpose allows keyAgreement') },
  'leaf-key-usage-not-permitted': { openssl: accept('the sslserver purpose allows keyEncipherment') },
  'duplicate-policy': { openssl: accept('processes policies only with -policy_check'), policyCheck: rejects(42, 0, 'invalid or inconsistent certificate policy extension') },
  'empty-certificate-policies': { openssl: accept('accepts an empty policy list, with or without -policy_check') },
  'unsupported-policy-qualifier': { openssl: accept('ignores policy qualifiers') },
  'critical-policy-extension': { openssl: accept('processes certificatePolicies, so critical is fine') },
  'policy-mapping-any-policy': { openssl: accept('processes policies only with -policy_check'), policyCheck: rejects(42, 1, 'invalid or inconsistent certificate policy extension') },
  'empty-policy-mappings': { openssl: accept('processes policies only with -policy_check'), policyCheck: rejects(42, 1, 'invalid or inconsistent certificate policy extension') },
  'missing-subject-alt-name': { openssl: accept('falls back to the common name when there is no SAN') },
  'critical-subject-alt-name': { openssl: accept('does not check SAN criticality when the subject is not empty') },
  'empty-subject-alt-name': { openssl: rejects(87, 0, 'Empty Subject Alternative Name extension') },
  'malformed-dns-name': { openssl: accept('checks dNSName syntax only under name constraints') },
  'malformed-dns-name/intermediate': { openssl: accept('does not look at the SANs of CA certificates') },
  'malformed-ip-address': { openssl: accept('ignores an iPAddress of the wrong length') },
  'malformed-ip-address/intermediate': { openssl: accept('does not look at the SANs of CA certificates') },
  'malformed-email-address': { openssl: accept('does not check rfc822Name syntax') },
  'malformed-email-address/intermediate': { openssl: accept('does not look at the SANs of CA certificates') },
  'malformed-uri': { openssl: accept('does not check URI syntax') },
  'missing-basic-constraints': { openssl: rejects(79, 1, 'invalid CA certificate') },
  'not-a-ca': { openssl: rejects(79, 1, 'invalid CA certificate') },
  'non-critical-basic-constraints': { openssl: rejects(89, 1, 'Basic Constraints of CA cert not marked critical') },
  'non-critical-basic-constraints/root': { openssl: rejects(89, 2, 'Basic Constraints of CA cert not marked critical') },
  'bad-path-length-constraint': { openssl: rejects(80, 0, 'Path length invalid for non-CA cert') },
  'leaf-is-ca': { openssl: rejects(86, 0, 'Missing Subject Key Identifier') },
  'name-constraints-in-leaf': { openssl: accept('ignores name constraints in the leaf') },
  'non-critical-name-constraints': { openssl: accept('applies name constraints whatever their criticality') },
  'malformed-name-constraints': { openssl: accept('accepts name constraints with no subtrees') },
  'name-constraints-minimum-maximum': { openssl: rejects(49, 0, 'name constraints minimum and maximum not supported') },
  'empty-policy-constraints': { openssl: accept('processes policies only with -policy_check'), policyCheck: rejects(42, 1, 'invalid or inconsistent certificate policy extension') },
  'non-critical-policy-constraints': { openssl: accept('does not check policyConstraints criticality') },
  'empty-extended-key-usage': { openssl: rejects(26, 0, 'unsuitable certificate purpose') },
  'critical-extended-key-usage': { openssl: accept('does not check extendedKeyUsage criticality') },
  'wrong-extended-key-usage': { openssl: rejects(26, 0, 'unsuitable certificate purpose') },
  'leaf-without-extended-key-usage': { openssl: accept('a missing extendedKeyUsage allows every purpose') },
  'any-extended-key-usage': { openssl: accept('serverAuth is listed') },
  'leaf-extended-key-usage-not-permitted': { openssl: accept('serverAuth is listed') },
  'intermediate-extended-key-usage': { openssl: rejects(26, 1, 'unsuitable certificate purpose') },
  'root-has-extended-key-usage': { openssl: accept('the root’s extendedKeyUsage names serverAuth') },
  'intermediate-any-extended-key-usage': { openssl: rejects(26, 1, 'unsuitable certificate purpose') },
  'intermediate-extended-key-usage-not-permitted': { openssl: accept('serverAuth is listed') },
  'non-critical-inhibit-any-policy': { openssl: accept('does not check inhibitAnyPolicy criticality') },
  'critical-authority-info-access': { openssl: rejects(34, 0, 'unhandled critical extension') },
  'empty-authority-info-access': { openssl: accept('ignores an empty authorityInfoAccess') },
  'bad-signature': { openssl: rejects(7, 0, 'certificate signature failure') },
  'expired': { openssl: rejects(10, 0, 'certificate has expired') },
  'expired/root': { openssl: rejects(10, 2, 'certificate has expired') },
  'not-yet-valid': { openssl: rejects(9, 0, 'certificate is not yet valid') },
  'no-trusted-root': { openssl: rejects(20, 1, 'unable to get local issuer certificate') },
  'too-many-intermediates': { openssl: accept('follows up to 100 certificates by default') },
  'work-limit-reached': { openssl: rejects(7, 0, 'certificate signature failure') },
  'path-length-exceeded': { openssl: rejects(25, 2, 'path length constraint exceeded') },
  'name-constraint-violation': { openssl: rejects(47, 0, 'permitted subtree violation') },
  'unprocessable-name-constraint': { openssl: rejects(51, 0, 'unsupported name constraint type') },
  'no-valid-policy': { openssl: accept('processes policies only with -policy_check'), policyCheck: rejects(43, 0, 'no explicit policy') },
  'no-valid-policy/leaf-without-policies': { openssl: accept('processes policies only with -policy_check'), policyCheck: rejects(43, 0, 'no explicit policy') },
  'hostname-mismatch': { openssl: rejects(62, 0, 'hostname mismatch') },
  'email-address-mismatch': { openssl: rejects(63, 0, 'email address mismatch') },
  'wildcard-over-public-suffix': { openssl: accept('has no public-suffix list') },
  'common-name-not-in-san/ipv4-leading-zeros': { openssl: accept('does not relate the common name to the SANs') },
  'common-name-not-in-san/ipv4-hex': { openssl: accept('does not relate the common name to the SANs') },
  'common-name-not-in-san/ipv6-uncompressed': { openssl: accept('does not relate the common name to the SANs') },
  'common-name-not-in-san/ipv6-upper-case': { openssl: accept('does not relate the common name to the SANs') },
  'common-name-not-in-san/dns-case': { openssl: accept('does not relate the common name to the SANs') },
  'common-name-not-in-san/idn-absent': { openssl: accept('does not relate the common name to the SANs') },
  'multiple-common-names': { openssl: accept('does not relate the common name to the SANs') },
  'no-dns-or-ip-san': { openssl: accept('no host name is checked, and the SAN is not required to hold one') },
  'validity-over-825-days': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'validity-over-ca-maximum': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'missing-certificate-policies': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'certificate-policies-profile': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'missing-authority-info-access': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'authority-info-access-profile': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'missing-crl-distribution-points': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'crl-distribution-points-profile': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'intermediate-without-extended-key-usage': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'leaf-non-critical-basic-constraints': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'subject-attributes-not-permitted': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'ca-subject-attributes': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'subject-name-encoding': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'name-string-type': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'serial-number-entropy': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'subject-alt-name-type-not-permitted': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'invalid-punycode': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'internal-name': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'reserved-ip-address': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'name-attribute-too-long': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'country-not-two-letters': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'control-character': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'subject-attribute-metadata-only': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
  'email-address-in-subject': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check') },
};

function runOpenssl(leaf: Uint8Array, pool: Chain['pool'], inputs: ValidationInputs, extra: string[] = []): OpensslVerdict {
  const files = writeChain(leaf, pool);
  const args = ['verify', '-x509_strict', ...extra, '-purpose', 'sslserver', '-CAfile', files.root, ...(files.untrusted ? ['-untrusted', files.untrusted] : [])];
  args.push('-attime', String(Math.floor(inputs.time.getTime() / 1000)));
  if (inputs.hostname) args.push('-verify_hostname', inputs.hostname);
  if (inputs.email) args.push('-verify_email', inputs.email);
  const result = openssl([...args, files.leaf]);
  const output = result.stdout + result.stderr;
  if (result.status === 0 && /: OK$/m.test(output)) return { verdict: 'accept', reason: '' };
  if (/Could not read certificate/.test(output)) return { verdict: 'unreadable' };
  const error = /error (\d+) at (\d+) depth lookup: ([^\n]*)/.exec(output);
  if (!error) throw new Error(`unexpected openssl output: ${output}`);
  return { verdict: 'reject', error: Number(error[1]), depth: Number(error[2]), text: error[3]! };
}

/** What OpenSSL said, comparable with a pinned verdict (an accept's reason is ours, not OpenSSL's). */
function comparable(v: OpensslVerdict): OpensslVerdict {
  return v.verdict === 'accept' ? { verdict: 'accept', reason: '' } : v;
}

async function certdesk(leaf: Uint8Array, pool: Chain['pool'], inputs: ValidationInputs): Promise<'accept' | string[]> {
  const result = await buildAndValidate(leaf, pool, validationOptionsFor(inputs));
  return result.ok ? 'accept' : [...new Set(result.problems.map((p) => p.code))].sort();
}

/** What Certdesk must answer for a break: the validation rules among its code and `also`. */
function expectedVerdict(b: RuleBreak): 'accept' | string[] {
  const codes = [...new Set([b.code, ...b.also])].filter((code) => !rulesByCode.get(code)!.lint?.includes('certificate')).sort();
  return codes.length ? codes : 'accept';
}

describe('rule breaks through openssl verify and buildAndValidate', () => {
  it('runs against OpenSSL 3.0, the version the verdicts are pinned for', () => {
    expect(openssl(['version']).stdout).toMatch(/^OpenSSL 3\.0\./);
  });

  it('pins a verdict for every rule break and no other', () => {
    expect(Object.keys(pinned).sort()).toEqual(ruleBreaks.map((b) => b.id).sort());
  });

  it('explains every case OpenSSL rejects and Certdesk accepts, and only those, none as a bug', () => {
    const rejectsSomewhere = (p: Pinned) => p.openssl.verdict !== 'accept' || (p.policyCheck !== undefined && p.policyCheck.verdict !== 'accept');
    const byId = new Map<string, RuleBreak>(ruleBreaks.map((b) => [b.id, b]));
    for (const [id, p] of Object.entries(pinned)) {
      const gapCase = rejectsSomewhere(p) && expectedVerdict(byId.get(id)!) === 'accept';
      expect({ id, gap: gapCase ? /^deliberate: \S/.test(p.gap ?? '') : p.gap === undefined }).toEqual({ id, gap: true });
    }
  });

  for (const kind of ['p256', 'p384', 'p521', 'rsa2048'] as const satisfies readonly KeyKind[])
    it(`accepts the default ${kind} chain on both sides`, async () => {
      const chain = buildChain({ keys: { root: kind, intermediate: kind, leaf: kind } });
      const inputs: ValidationInputs = { hostname: defaultHostname, time: validationTime };
      expect(runOpenssl(chain.leaf.der, chain.pool, inputs, ['-policy_check'])).toEqual({ verdict: 'accept', reason: '' });
      expect(await certdesk(chain.leaf.der, chain.pool, inputs)).toBe('accept');
    });

  const byId = new Map<string, RuleBreak>(ruleBreaks.map((b) => [b.id, b]));
  for (const [id, p] of Object.entries(pinned)) {
    const rule = byId.get(id);
    const want = rule ? expectedVerdict(rule) : 'accept';
    it(`${id}: OpenSSL ${p.openssl.verdict}s${p.policyCheck ? ` (${p.policyCheck.verdict}s with -policy_check)` : ''}; Certdesk ${want === 'accept' ? 'accepts' : `rejects (${want.join(', ')})`}`, async () => {
      expect(rule, `no rule break ${id}`).toBeDefined();
      const { chain, pool, inputs } = rule!.build();
      expect(runOpenssl(chain.leaf.der, pool, inputs)).toEqual(comparable(p.openssl));
      if (p.policyCheck) expect(runOpenssl(chain.leaf.der, pool, inputs, ['-policy_check'])).toEqual(comparable(p.policyCheck));
      expect(await certdesk(chain.leaf.der, pool, inputs)).toEqual(want);
    });
  }
});
