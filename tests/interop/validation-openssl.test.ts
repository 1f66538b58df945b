import { describe, expect, it } from 'vitest';
import { buildAndValidate } from '../../src/core/pki/validation/path-validation';
import { buildChain, defaultHostname, validationTime, writeChain, type Chain, type KeyKind } from '../support/chain-factory';
import { openssl } from '../support/fixtures';
import { ruleBreaks, type RuleBreak, type ValidationInputs } from '../support/rule-breaks';

/**
 * Differential test of the validation rule table against OpenSSL: every chain of
 * tests/support/rule-breaks.ts (valid except for one broken rule) goes through
 *
 *   openssl verify -x509_strict -purpose sslserver -CAfile root.pem -untrusted untrusted.pem
 *                  -attime T [-verify_hostname H | -verify_email E] leaf.pem
 *
 * (and, for the policy rules, once more with -policy_check, the only way OpenSSL processes
 * certificate policies) and through today's buildAndValidate. Both verdicts are pinned below:
 * OpenSSL's with its error and the reason it accepts, Certdesk's as the codes it reports today.
 *
 * The rule: every case OpenSSL rejects and Certdesk accepts is a bug or a cited deliberate
 * difference (`gap`). When a rule is implemented, its case fails here: replace `today` with the
 * codes now reported, which must be the break's code and `also` among the validation rules
 * (lint-only rules never change the verdict), and drop the `gap`.
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
  /** The problem codes today's buildAndValidate reports, sorted, or 'accept'. */
  today: 'accept' | readonly string[];
  /** Why Certdesk accepts what OpenSSL rejects: `bug: …` or `deliberate: …` with a citation. */
  gap?: string;
}

const pinned: Record<string, Pinned> = {
  'malformed-certificate': { openssl: unreadable(), today: ['malformed-certificate'] },
  'signature-algorithm-mismatch': { openssl: rejects(78, 0, "cert info signature and signature algorithm mismatch"), today: ['signature-algorithm-mismatch'] },
  'not-version-3': { openssl: rejects(93, 0, 'Using cert extension requires at least X509v3'), today: ['malformed-certificate'] },
  'negative-serial-number': { openssl: accept('never checks the sign of a serial number'), today: ['bad-serial-number'] },
  'zero-serial-number': { openssl: accept('does not require a positive serial number'), today: ['bad-serial-number'] },
  'serial-number-too-long': { openssl: accept('does not limit serial numbers to 20 octets'), today: ['bad-serial-number'] },
  'empty-issuer': { openssl: rejects(20, 0, 'unable to get local issuer certificate'), today: ['empty-issuer'] },
  'malformed-name': { openssl: accept('does not check the PrintableString character set'), today: 'accept' },
  'issuer-not-byte-identical': { openssl: accept('matches names after canonicalising case and string type'), today: 'accept' },
  'malformed-time': { openssl: rejects(14, 0, "format error in certificate's notAfter field"), today: ['malformed-certificate'] },
  'generalized-time-before-2050': { openssl: accept('reads either time type for any year'), today: 'accept' },
  'inverted-validity': { openssl: rejects(9, 0, 'certificate is not yet valid'), today: ['expired', 'not-yet-valid'] },
  'empty-subject': { openssl: rejects(83, 0, 'Issuer name empty'), today: ['empty-issuer'] },
  'empty-subject-san-not-critical': { openssl: rejects(88, 0, 'Subject empty and Subject Alt Name extension not critical'), today: 'accept', gap: 'bug: RFC 5280 §4.2.1.6 — an empty subject needs a critical subjectAltName (pyca refuses it too)' },
  'unique-identifier-present': { openssl: accept('ignores unique identifiers'), today: 'accept' },
  'empty-extensions': { openssl: rejects(85, 0, 'Missing Authority Key Identifier'), today: ['missing-authority-key-identifier', 'missing-subject-alt-name'] },
  'unsupported-key': { openssl: accept('verifies Ed25519 and has no Web PKI key list'), today: ['unsupported-key'] },
  'rsa-key-too-small': { openssl: accept('security level 1, the default, accepts RSA-1024'), today: ['unsupported-key'] },
  'rsa-modulus-not-multiple-of-8': { openssl: accept('accepts any RSA modulus size from 1024 bits'), today: ['unsupported-key'] },
  'rsa-key-parameters-not-null': { openssl: accept('reads RSA keys whose parameters are absent'), today: 'accept' },
  'rsa-pss-key-identifier': { openssl: accept('accepts RSA keys labelled RSASSA-PSS'), today: ['unsupported-key'] },
  'ec-key-parameters-not-named-curve': { openssl: rejects(94, 0, 'Certificate public key has explicit ECC parameters'), today: ['unsupported-key'] },
  'weak-signature-algorithm': { openssl: accept('security level 1, the default, accepts SHA-1'), today: ['no-trusted-root', 'weak-signature-algorithm'] },
  'unsupported-signature-algorithm': { openssl: rejects(20, 0, 'unable to get local issuer certificate'), today: ['no-trusted-root', 'unsupported-signature-algorithm'] },
  'signature-algorithm-encoding': { openssl: accept('accepts RSA signature algorithms without NULL parameters'), today: 'accept' },
  'ecdsa-hash-curve-mismatch': { openssl: accept('accepts any SHA-2 hash with any curve'), today: 'accept' },
  'unknown-critical-extension': { openssl: rejects(34, 0, 'unhandled critical extension'), today: ['unknown-critical-extension'] },
  'duplicate-extension': { openssl: rejects(20, 0, 'unable to get local issuer certificate'), today: ['duplicate-extension'] },
  'malformed-extension': { openssl: rejects(20, 0, 'unable to get local issuer certificate'), today: ['malformed-extension'] },
  'missing-authority-key-identifier': { openssl: rejects(85, 0, 'Missing Authority Key Identifier'), today: ['missing-authority-key-identifier'] },
  'missing-authority-key-identifier/self-issued': { openssl: rejects(19, 1, 'self-signed certificate in certificate chain'), today: 'accept', gap: 'bug: RFC 5280 §4.2.1.1 exempts only self-signed certificates, not self-issued ones' },
  'critical-authority-key-identifier': { openssl: rejects(34, 0, 'unhandled critical extension'), today: ['critical-authority-key-identifier', 'unknown-critical-extension'] },
  'missing-authority-key-identifier/no-key-id': { openssl: rejects(85, 1, 'Missing Authority Key Identifier'), today: ['missing-authority-key-identifier'] },
  'authority-key-identifier-without-key-id': { openssl: accept('an AKI without key identifier only skips key matching'), today: 'accept' },
  'authority-key-identifier-issuer-serial': { openssl: accept('compares AKI issuer and serial with the issuer, and they match'), today: 'accept' },
  'authority-key-identifier-mismatch': { openssl: rejects(20, 0, 'unable to get local issuer certificate'), today: 'accept', gap: 'bug: BR §7.1.2.11.1 — the AKI must equal the issuer’s SKI; OpenSSL then finds no issuer' },
  'root-authority-key-identifier': { openssl: rejects(2, 2, 'unable to get issuer certificate'), today: ['root-authority-key-identifier'] },
  'missing-subject-key-identifier': { openssl: rejects(86, 1, 'Missing Subject Key Identifier'), today: 'accept', gap: 'bug: RFC 5280 §4.2.1.2 — every CA certificate needs a subjectKeyIdentifier' },
  'critical-subject-key-identifier': { openssl: rejects(34, 1, 'unhandled critical extension'), today: ['critical-subject-key-identifier', 'unknown-critical-extension'] },
  'missing-key-usage': { openssl: rejects(92, 1, 'CA cert does not include key usage extension'), today: 'accept', gap: 'bug: RFC 5280 §4.2.1.3 — CA certificates must carry keyUsage (pyca refuses it too)' },
  'non-critical-key-usage': { openssl: accept('does not check keyUsage criticality'), today: 'accept' },
  'empty-key-usage': { openssl: rejects(20, 0, 'unable to get local issuer certificate'), today: ['malformed-extension'] },
  'key-cert-sign-without-ca': { openssl: rejects(79, 0, 'invalid CA certificate'), today: ['key-cert-sign-without-ca'] },
  'ca-key-usage': { openssl: rejects(79, 1, 'invalid CA certificate'), today: ['ca-key-usage'] },
  'ca-key-usage-bits': { openssl: accept('requires only keyCertSign of a CA'), today: 'accept' },
  'leaf-key-usage-without-digital-signature': { openssl: accept('the sslserver purpose allows keyAgreement'), today: 'accept' },
  'leaf-key-usage-not-permitted': { openssl: accept('the sslserver purpose allows keyEncipherment'), today: 'accept' },
  'duplicate-policy': { openssl: accept('processes policies only with -policy_check'), policyCheck: rejects(42, 0, 'invalid or inconsistent certificate policy extension'), today: 'accept', gap: 'bug: RFC 5280 §4.2.1.4 — Go refuses the duplicate OID when parsing' },
  'empty-certificate-policies': { openssl: accept('accepts an empty policy list, with or without -policy_check'), today: 'accept' },
  'unsupported-policy-qualifier': { openssl: accept('ignores policy qualifiers'), today: 'accept' },
  'critical-policy-extension': { openssl: accept('processes certificatePolicies, so critical is fine'), today: 'accept' },
  'policy-mapping-any-policy': { openssl: accept('processes policies only with -policy_check'), policyCheck: rejects(42, 1, 'invalid or inconsistent certificate policy extension'), today: 'accept', gap: 'bug: RFC 5280 §6.1.4 (a) — policy processing is not implemented yet' },
  'empty-policy-mappings': { openssl: accept('processes policies only with -policy_check'), policyCheck: rejects(42, 1, 'invalid or inconsistent certificate policy extension'), today: 'accept', gap: 'bug: RFC 5280 §4.2.1.5 SIZE (1..MAX)' },
  'missing-subject-alt-name': { openssl: accept('falls back to the common name when there is no SAN'), today: ['missing-subject-alt-name'] },
  'critical-subject-alt-name': { openssl: accept('does not check SAN criticality when the subject is not empty'), today: ['critical-subject-alt-name'] },
  'empty-subject-alt-name': { openssl: rejects(87, 0, 'Empty Subject Alternative Name extension'), today: ['malformed-extension'] },
  'malformed-dns-name': { openssl: accept('checks dNSName syntax only under name constraints'), today: ['malformed-dns-name'] },
  'malformed-dns-name/intermediate': { openssl: accept('does not look at the SANs of CA certificates'), today: 'accept' },
  'malformed-ip-address': { openssl: accept('ignores an iPAddress of the wrong length'), today: ['malformed-ip-address'] },
  'malformed-ip-address/intermediate': { openssl: accept('does not look at the SANs of CA certificates'), today: 'accept' },
  'malformed-email-address': { openssl: accept('does not check rfc822Name syntax'), today: ['malformed-email-address'] },
  'malformed-email-address/intermediate': { openssl: accept('does not look at the SANs of CA certificates'), today: 'accept' },
  'malformed-uri': { openssl: accept('does not check URI syntax'), today: 'accept' },
  'missing-basic-constraints': { openssl: rejects(79, 1, 'invalid CA certificate'), today: ['key-cert-sign-without-ca', 'missing-basic-constraints'] },
  'not-a-ca': { openssl: rejects(79, 1, 'invalid CA certificate'), today: ['key-cert-sign-without-ca', 'not-a-ca'] },
  'non-critical-basic-constraints': { openssl: rejects(89, 1, 'Basic Constraints of CA cert not marked critical'), today: 'accept', gap: 'bug: RFC 5280 §4.2.1.9 — basicConstraints must be critical in CA certificates (pyca refuses it too)' },
  'non-critical-basic-constraints/root': { openssl: rejects(89, 2, 'Basic Constraints of CA cert not marked critical'), today: 'accept', gap: 'bug: RFC 5280 §4.2.1.9, as for intermediates' },
  'bad-path-length-constraint': { openssl: rejects(80, 0, 'Path length invalid for non-CA cert'), today: ['bad-path-length-constraint'] },
  'leaf-is-ca': { openssl: rejects(86, 0, 'Missing Subject Key Identifier'), today: ['leaf-is-ca'] },
  'name-constraints-in-leaf': { openssl: accept('ignores name constraints in the leaf'), today: ['name-constraints-in-leaf'] },
  'non-critical-name-constraints': { openssl: accept('applies name constraints whatever their criticality'), today: ['non-critical-name-constraints'] },
  'malformed-name-constraints': { openssl: accept('accepts name constraints with no subtrees'), today: ['malformed-name-constraints'] },
  'name-constraints-minimum-maximum': { openssl: rejects(49, 0, 'name constraints minimum and maximum not supported'), today: ['malformed-name-constraints'] },
  'empty-policy-constraints': { openssl: accept('processes policies only with -policy_check'), policyCheck: rejects(42, 1, 'invalid or inconsistent certificate policy extension'), today: 'accept', gap: 'bug: RFC 5280 §4.2.1.11 — an empty policyConstraints must not be issued' },
  'non-critical-policy-constraints': { openssl: accept('does not check policyConstraints criticality'), today: 'accept' },
  'empty-extended-key-usage': { openssl: rejects(26, 0, 'unsuitable certificate purpose'), today: ['empty-extended-key-usage'] },
  'critical-extended-key-usage': { openssl: accept('does not check extendedKeyUsage criticality'), today: 'accept' },
  'wrong-extended-key-usage': { openssl: rejects(26, 0, 'unsuitable certificate purpose'), today: ['wrong-extended-key-usage'] },
  'leaf-without-extended-key-usage': { openssl: accept('a missing extendedKeyUsage allows every purpose'), today: 'accept' },
  'any-extended-key-usage': { openssl: accept('serverAuth is listed'), today: ['any-extended-key-usage'] },
  'leaf-extended-key-usage-not-permitted': { openssl: accept('serverAuth is listed'), today: 'accept' },
  'intermediate-extended-key-usage': { openssl: rejects(26, 1, 'unsuitable certificate purpose'), today: ['intermediate-extended-key-usage'] },
  'root-has-extended-key-usage': { openssl: accept('the root’s extendedKeyUsage names serverAuth'), today: ['root-has-extended-key-usage'] },
  'intermediate-any-extended-key-usage': { openssl: rejects(26, 1, 'unsuitable certificate purpose'), today: 'accept', gap: 'bug: BR §7.1.2.10.6 — anyExtendedKeyUsage is not serverAuth (rustls refuses it too)' },
  'intermediate-extended-key-usage-not-permitted': { openssl: accept('serverAuth is listed'), today: 'accept' },
  'non-critical-inhibit-any-policy': { openssl: accept('does not check inhibitAnyPolicy criticality'), today: 'accept' },
  'critical-authority-info-access': { openssl: rejects(34, 0, 'unhandled critical extension'), today: ['critical-authority-info-access', 'unknown-critical-extension'] },
  'empty-authority-info-access': { openssl: accept('ignores an empty authorityInfoAccess'), today: ['malformed-extension'] },
  'bad-signature': { openssl: rejects(7, 0, 'certificate signature failure'), today: ['bad-signature', 'no-trusted-root'] },
  'expired': { openssl: rejects(10, 0, 'certificate has expired'), today: ['expired'] },
  'expired/root': { openssl: rejects(10, 2, 'certificate has expired'), today: ['expired'] },
  'not-yet-valid': { openssl: rejects(9, 0, 'certificate is not yet valid'), today: ['not-yet-valid'] },
  'no-trusted-root': { openssl: rejects(20, 1, 'unable to get local issuer certificate'), today: ['no-trusted-root'] },
  'too-many-intermediates': { openssl: accept('follows up to 100 certificates by default'), today: ['no-trusted-root', 'too-many-intermediates'] },
  'work-limit-reached': { openssl: rejects(7, 0, 'certificate signature failure'), today: ['work-limit-reached'] },
  'path-length-exceeded': { openssl: rejects(25, 2, 'path length constraint exceeded'), today: ['path-length-exceeded'] },
  'name-constraint-violation': { openssl: rejects(47, 0, 'permitted subtree violation'), today: ['name-constraint-violation'] },
  'unprocessable-name-constraint': { openssl: rejects(51, 0, 'unsupported name constraint type'), today: ['name-constraint-violation'] },
  'no-valid-policy': { openssl: accept('processes policies only with -policy_check'), policyCheck: rejects(43, 0, 'no explicit policy'), today: 'accept', gap: 'bug: RFC 5280 §6.1.3 (f) — policy processing is not implemented yet' },
  'no-valid-policy/leaf-without-policies': { openssl: accept('processes policies only with -policy_check'), policyCheck: rejects(43, 0, 'no explicit policy'), today: 'accept', gap: 'bug: RFC 5280 §6.1.3 (e)–(f) — policy processing is not implemented yet' },
  'hostname-mismatch': { openssl: rejects(62, 0, 'hostname mismatch'), today: ['hostname-mismatch'] },
  'email-address-mismatch': { openssl: rejects(63, 0, 'email address mismatch'), today: 'accept', gap: 'bug: Certdesk takes no e-mail peer name yet (RFC 5280 §7.5 matching is the rule)' },
  'wildcard-over-public-suffix': { openssl: accept('has no public-suffix list'), today: ['wildcard-over-public-suffix'] },
  'common-name-not-in-san/ipv4-leading-zeros': { openssl: accept('does not relate the common name to the SANs'), today: 'accept' },
  'common-name-not-in-san/ipv4-hex': { openssl: accept('does not relate the common name to the SANs'), today: 'accept' },
  'common-name-not-in-san/ipv6-uncompressed': { openssl: accept('does not relate the common name to the SANs'), today: 'accept' },
  'common-name-not-in-san/ipv6-upper-case': { openssl: accept('does not relate the common name to the SANs'), today: 'accept' },
  'common-name-not-in-san/dns-case': { openssl: accept('does not relate the common name to the SANs'), today: ['common-name-not-in-san'] },
  'common-name-not-in-san/absent': { openssl: accept('does not relate the common name to the SANs'), today: 'accept' },
  'multiple-common-names': { openssl: accept('does not relate the common name to the SANs'), today: 'accept' },
  'no-dns-or-ip-san': { openssl: accept('no host name is checked, and the SAN is not required to hold one'), today: 'accept' },
  'validity-over-825-days': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'validity-over-ca-maximum': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'missing-certificate-policies': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'certificate-policies-profile': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'missing-authority-info-access': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'authority-info-access-profile': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'missing-crl-distribution-points': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'crl-distribution-points-profile': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'intermediate-without-extended-key-usage': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'leaf-non-critical-basic-constraints': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'subject-attributes-not-permitted': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'ca-subject-attributes': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'subject-name-encoding': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'name-string-type': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'serial-number-entropy': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'subject-alt-name-type-not-permitted': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'invalid-punycode': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'internal-name': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'reserved-ip-address': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'name-attribute-too-long': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'country-not-two-letters': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'control-character': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'subject-attribute-metadata-only': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
  'email-address-in-subject': { openssl: accept('an issuance rule of the Baseline Requirements, not a verifier check'), today: 'accept' },
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

async function certdeskToday(leaf: Uint8Array, pool: Chain['pool'], inputs: ValidationInputs): Promise<'accept' | string[]> {
  const result = await buildAndValidate(leaf, pool, { time: inputs.time, purpose: 'serverAuth', ...(inputs.hostname ? { hostname: inputs.hostname } : {}) });
  return result.ok ? 'accept' : [...new Set(result.problems.map((p) => p.code))].sort();
}

describe('rule breaks through openssl verify and today’s buildAndValidate', () => {
  it('runs against OpenSSL 3.0, the version the verdicts are pinned for', () => {
    expect(openssl(['version']).stdout).toMatch(/^OpenSSL 3\.0\./);
  });

  it('pins a verdict for every rule break and no other', () => {
    expect(Object.keys(pinned).sort()).toEqual(ruleBreaks.map((b) => b.id).sort());
  });

  it('explains every case OpenSSL rejects and Certdesk accepts, and only those', () => {
    const rejectsSomewhere = (p: Pinned) => p.openssl.verdict !== 'accept' || (p.policyCheck !== undefined && p.policyCheck.verdict !== 'accept');
    for (const [id, p] of Object.entries(pinned)) {
      const gapCase = rejectsSomewhere(p) && p.today === 'accept';
      expect({ id, gap: gapCase ? /^(bug|deliberate): \S/.test(p.gap ?? '') : p.gap === undefined }).toEqual({ id, gap: true });
    }
  });

  for (const kind of ['p256', 'p384', 'p521', 'rsa2048'] as const satisfies readonly KeyKind[])
    it(`accepts the default ${kind} chain on both sides`, async () => {
      const chain = buildChain({ keys: { root: kind, intermediate: kind, leaf: kind } });
      const inputs: ValidationInputs = { hostname: defaultHostname, time: validationTime };
      expect(runOpenssl(chain.leaf.der, chain.pool, inputs, ['-policy_check'])).toEqual({ verdict: 'accept', reason: '' });
      expect(await certdeskToday(chain.leaf.der, chain.pool, inputs)).toBe('accept');
    });

  const byId = new Map<string, RuleBreak>(ruleBreaks.map((b) => [b.id, b]));
  for (const [id, p] of Object.entries(pinned))
    it(`${id}: OpenSSL ${p.openssl.verdict}s${p.policyCheck ? ` (${p.policyCheck.verdict}s with -policy_check)` : ''}; Certdesk today ${p.today === 'accept' ? 'accepts' : 'rejects'}`, async () => {
      const rule = byId.get(id);
      expect(rule, `no rule break ${id}`).toBeDefined();
      const { chain, pool, inputs } = rule!.build();
      expect(runOpenssl(chain.leaf.der, pool, inputs)).toEqual(comparable(p.openssl));
      if (p.policyCheck) expect(runOpenssl(chain.leaf.der, pool, inputs, ['-policy_check'])).toEqual(comparable(p.policyCheck));
      expect(await certdeskToday(chain.leaf.der, pool, inputs)).toEqual(p.today);
    });
});
