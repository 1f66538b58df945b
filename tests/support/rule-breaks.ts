/**
 * For every rule of the validation table that a chain can break: a chain valid by every rule
 * except that one (chain-factory.ts), the validation inputs, and the other rules that break
 * with it by necessity (`also`: a leaf without a subjectAltName also fails its host name …). A test
 * of the validator asserts that exactly the validation rules among `[code, ...also]` are reported
 * (lint-only rules never change the verdict); the OpenSSL differential test
 * (tests/interop/validation-openssl.test.ts) runs each through `openssl verify`.
 */
import { OID, der } from '../../src/core/pki/asn1';
import type { ValidationOptions } from '../../src/core/pki/validation/path-validation';
import {
  attr,
  buildChain,
  compose,
  defaultHostname,
  defaultSigning,
  explicitP256Parameters,
  ext,
  generalName,
  keyIdentifier,
  keyPair,
  name,
  randomSerial,
  signatureAlgorithmIdentifier,
  signCertificate,
  subjectPublicKeyInfo,
  time,
  validationTime,
  withCritical,
  withDuplicateExtension,
  withExtension,
  withExtensionValue,
  withFields,
  withoutExtension,
  type Chain,
  type ChainOptions,
  type KeyUsageName,
  type Tweak,
} from './chain-factory';

/** What the chain is validated for. */
export interface ValidationInputs {
  /** The DNS name checked (default appliance.example.com); null for none. */
  hostname: string | null;
  ip?: string;
  email?: string;
  time: Date;
  /** Key usages the leaf's key must allow (limbo's `key_usage`). */
  keyUsages?: readonly KeyUsageName[];
  /** Signature algorithms (OIDs) accepted on the leaf and intermediates (limbo's `signature_algorithms`). */
  signatureAlgorithms?: readonly string[];
}

/** The buildAndValidate options of a break's inputs. */
export function validationOptionsFor(inputs: ValidationInputs): ValidationOptions {
  return {
    time: inputs.time,
    ...(inputs.hostname ? { hostname: inputs.hostname } : {}),
    ...(inputs.email ? { email: inputs.email } : {}),
    ...(inputs.keyUsages ? { keyUsages: inputs.keyUsages } : {}),
    ...(inputs.signatureAlgorithms ? { signatureAlgorithms: inputs.signatureAlgorithms } : {}),
  };
}

export interface RuleBreak {
  /** Unique: the rule code, or `code/variant`. */
  id: string;
  /** The rule the chain breaks. */
  code: string;
  /** What was changed, in a phrase. */
  what: string;
  /** Rules that necessarily break with it. */
  also: readonly string[];
  /** Builds the chain (keys are cached per test file, so this is cheap). */
  build(): { chain: Chain; pool: Chain['pool']; inputs: ValidationInputs };
}

const day = 24 * 3600 * 1000;
const at = (days: number) => new Date(validationTime.getTime() + days * day);
const utf8 = (text: string) => new TextEncoder().encode(text);
const privatePolicy = '1.3.6.1.4.1.55555.7';

interface BreakSpec {
  code: string;
  variant?: string;
  what: string;
  also?: string[];
  chain: ChainOptions;
  inputs?: Partial<ValidationInputs>;
  pool?: (chain: Chain) => Chain['pool'];
}

function rule(spec: BreakSpec): RuleBreak {
  return {
    id: spec.variant ? `${spec.code}/${spec.variant}` : spec.code,
    code: spec.code,
    what: spec.what,
    also: spec.also ?? [],
    build() {
      const chain = buildChain(spec.chain);
      return {
        chain,
        pool: spec.pool ? spec.pool(chain) : chain.pool,
        inputs: { hostname: defaultHostname, time: validationTime, ...spec.inputs },
      };
    },
  };
}

const leafSans = (...names: Uint8Array[]): ChainOptions => ({ leafNames: [generalName.dns(defaultHostname), ...names] });
const intermediateSans = (...names: Uint8Array[]): Tweak => withExtension(ext.subjectAltName(names));
const leafSubject = (...attributes: Parameters<typeof name>[0]): Tweak => withFields({ subject: name(attributes) });
/** Re-signs the leaf with the key `kind` in place of the default P-256 key. */
const leafKey = (kind: Parameters<typeof keyPair>[0]): ChainOptions => ({ keys: { leaf: kind } });

export const ruleBreaks: readonly RuleBreak[] = [
  // RFC 5280 §4.1 fields; BR §7.1.1, §7.1.3
  rule({ code: 'malformed-certificate', what: 'leaf serial number is an INTEGER with no content octets', chain: { leaf: withFields({ serial: new Uint8Array(0) }) } }),
  rule({ code: 'signature-algorithm-mismatch', what: 'leaf outer signatureAlgorithm ecdsa-with-SHA384, inner ecdsa-with-SHA256', chain: { leaf: withFields({ outerSignatureAlgorithm: der.sequence(der.oid(OID.ecdsaWithSHA384)) }) } }),
  rule({ code: 'not-version-3', what: 'leaf is version 2 (value 1), extensions unchanged', chain: { leaf: withFields({ version: 1 }) } }),
  rule({ code: 'negative-serial-number', what: 'leaf serial 0x80 followed by 15 bytes', chain: { leaf: withFields({ serial: Uint8Array.from([0x80, ...randomSerial(15)]) }) } }),
  rule({ code: 'zero-serial-number', what: 'leaf serial 0', also: ['serial-number-entropy'], chain: { leaf: withFields({ serial: Uint8Array.of(0) }) } }),
  rule({ code: 'serial-number-too-long', what: 'leaf serial of 21 bytes, top bit clear', chain: { leaf: withFields({ serial: randomSerial(21) }) } }),
  rule({ code: 'empty-issuer', what: 'leaf issuer is an empty name', also: ['no-trusted-root'], chain: { leaf: withFields({ issuer: name([]) }) } }),
  rule({
    code: 'malformed-name',
    what: 'intermediate O is a PrintableString containing “_” (outside its character set)',
    chain: { intermediate: withFields({ subject: name([attr.c('DE'), attr.o('Certdesk_Test', 0x13), attr.cn('Certdesk Test Intermediate 1')]) }) },
  }),
  rule({
    code: 'issuer-not-byte-identical',
    what: 'leaf issuer names the intermediate with PrintableString where its subject has UTF8String',
    chain: { leaf: withFields({ issuer: name([attr.c('DE'), attr.o('Certdesk Test', 0x13), attr.cn('Certdesk Test Intermediate 1', 0x13)]) }) },
  }),
  rule({ code: 'malformed-time', what: 'leaf notAfter is a UTCTime without seconds', chain: { leaf: withFields({ notAfter: der.tlv(0x17, utf8('2608011200Z')) }) } }),
  rule({ code: 'generalized-time-before-2050', what: 'leaf notAfter (2026) written as GeneralizedTime', chain: { leaf: withFields({ notAfter: time(at(61), 'generalized') }) } }),
  rule({ code: 'inverted-validity', what: 'leaf notBefore two days after notAfter', also: ['expired', 'not-yet-valid'], chain: { leaf: withFields({ notBefore: time(at(1)), notAfter: time(at(-1)) }) } }),
  rule({ code: 'empty-subject', what: 'intermediate subject is an empty name (the leaf’s issuer follows it)', also: ['empty-issuer', 'ca-subject-attributes'], chain: { intermediate: withFields({ subject: name([]) }) } }),
  rule({
    code: 'empty-subject-san-not-critical',
    what: 'leaf subject empty, subjectAltName not critical',
    chain: { leaf: withFields({ subject: name([]) }) },
  }),
  rule({ code: 'unique-identifier-present', what: 'leaf has a subjectUniqueID', chain: { leaf: withFields({ subjectUniqueId: Uint8Array.of(1, 2, 3) }) } }),
  rule({
    code: 'empty-extensions',
    what: 'leaf has an extensions field holding no extension',
    also: ['missing-authority-key-identifier', 'missing-subject-alt-name', 'leaf-without-extended-key-usage', 'missing-certificate-policies', 'missing-authority-info-access', 'missing-crl-distribution-points', 'hostname-mismatch'],
    chain: { leaf: withFields({ extensions: [] }) },
  }),
  rule({ code: 'unsupported-key', what: 'leaf key is Ed25519', chain: leafKey('ed25519') }),
  rule({ code: 'rsa-key-too-small', what: 'leaf key is RSA-1024', chain: leafKey('rsa1024') }),
  rule({ code: 'rsa-modulus-not-multiple-of-8', what: 'leaf key is a 2052-bit RSA key', chain: leafKey('rsa2052') }),
  rule({
    code: 'rsa-key-parameters-not-null',
    what: 'leaf RSA key AlgorithmIdentifier without the NULL parameters',
    chain: { keys: { leaf: 'rsa2048' }, leaf: withFields(({ key }) => ({ spki: subjectPublicKeyInfo(key, der.sequence(der.oid(OID.rsaEncryption))) })) },
  }),
  rule({
    code: 'rsa-pss-key-identifier',
    what: 'leaf RSA key labelled id-RSASSA-PSS',
    chain: { keys: { leaf: 'rsa2048' }, leaf: withFields(({ key }) => ({ spki: subjectPublicKeyInfo(key, der.sequence(der.oid(OID.rsassaPss))) })) },
  }),
  rule({
    code: 'ec-key-parameters-not-named-curve',
    what: 'leaf P-256 key with explicit curve parameters',
    chain: { leaf: withFields(({ key }) => ({ spki: subjectPublicKeyInfo(key, der.sequence(der.oid(OID.ecPublicKey), explicitP256Parameters())) })) },
  }),
  rule({
    code: 'weak-signature-algorithm',
    what: 'leaf signed with ECDSA and SHA-1',
    also: ['no-trusted-root'],
    chain: { leaf: withFields({ signing: { scheme: 'ecdsa', hash: 'sha1' }, signatureAlgorithm: signatureAlgorithmIdentifier({ scheme: 'ecdsa', hash: 'sha1' }) }) },
  }),
  rule({
    code: 'unsupported-signature-algorithm',
    what: 'leaf signature algorithm is an unknown OID (signed with ECDSA SHA-256)',
    also: ['no-trusted-root'],
    chain: { leaf: withFields({ signatureAlgorithm: der.sequence(der.oid('1.3.6.1.4.1.55555.1.1')) }) },
  }),
  rule({
    code: 'unsupported-signature-algorithm',
    variant: 'not-accepted',
    what: 'validated accepting ecdsa-with-SHA384 only; the leaf and intermediate are signed with ecdsa-with-SHA256',
    chain: {},
    inputs: { signatureAlgorithms: [OID.ecdsaWithSHA384] },
  }),
  rule({
    code: 'signature-algorithm-encoding',
    what: 'RSA intermediate signs the leaf with sha256WithRSAEncryption without its NULL parameters',
    chain: { keys: { intermediate: 'rsa2048' }, leaf: withFields({ signatureAlgorithm: der.sequence(der.oid(OID.sha256WithRSAEncryption)) }) },
  }),
  rule({
    code: 'ecdsa-hash-curve-mismatch',
    what: 'P-256 intermediate signs the leaf with ECDSA SHA-384',
    chain: { leaf: withFields({ signing: { scheme: 'ecdsa', hash: 'sha384' }, signatureAlgorithm: signatureAlgorithmIdentifier({ scheme: 'ecdsa', hash: 'sha384' }) }) },
  }),

  // RFC 5280 §4.2 extensions
  rule({ code: 'unknown-critical-extension', what: 'leaf has a critical private extension', chain: { leaf: withExtension(ext.raw('1.3.6.1.4.1.55555.2', der.nullValue(), true)) } }),
  rule({ code: 'duplicate-extension', what: 'leaf has its keyUsage twice', chain: { leaf: withDuplicateExtension(OID.keyUsage) } }),
  rule({ code: 'malformed-extension', what: 'leaf keyUsage value is a NULL instead of a BIT STRING', chain: { leaf: withExtensionValue(OID.keyUsage, der.nullValue()) } }),
  rule({ code: 'missing-authority-key-identifier', what: 'leaf without authorityKeyIdentifier', chain: { leaf: withoutExtension(OID.authorityKeyIdentifier) } }),
  rule({
    code: 'missing-authority-key-identifier',
    variant: 'self-issued',
    what: 'self-issued (root’s name, own key) intermediate without authorityKeyIdentifier',
    chain: { intermediate: compose(withFields(({ issuer }) => ({ subject: issuer!.spec.subject })), withoutExtension(OID.authorityKeyIdentifier)) },
  }),
  rule({ code: 'critical-authority-key-identifier', what: 'leaf authorityKeyIdentifier critical', chain: { leaf: withCritical(OID.authorityKeyIdentifier, true) } }),
  rule({ code: 'missing-authority-key-identifier', variant: 'no-key-id', what: 'intermediate AKI is an empty SEQUENCE', chain: { intermediate: withExtension(ext.authorityKeyIdentifier({})) } }),
  rule({ code: 'authority-key-identifier-without-key-id', what: 'root AKI is an empty SEQUENCE', chain: { root: withExtension(ext.authorityKeyIdentifier({})) } }),
  rule({
    code: 'authority-key-identifier-issuer-serial',
    what: 'leaf AKI also names the intermediate’s issuer and serial',
    chain: { leaf: (spec, c) => withExtension(ext.authorityKeyIdentifier({ keyId: c.issuer!.keyId, issuer: [generalName.directory(c.issuer!.spec.issuer)], serial: c.issuer!.spec.serial }))(spec, c) },
  }),
  rule({ code: 'authority-key-identifier-mismatch', what: 'leaf AKI keyIdentifier is 20 random bytes', chain: { leaf: withExtension(ext.authorityKeyIdentifier({ keyId: randomSerial(20) })) } }),
  rule({ code: 'root-authority-key-identifier', what: 'root AKI keyIdentifier differs from its SKI', chain: { root: withExtension(ext.authorityKeyIdentifier({ keyId: randomSerial(20) })) } }),
  rule({ code: 'missing-subject-key-identifier', what: 'intermediate without subjectKeyIdentifier', chain: { intermediate: withoutExtension(OID.subjectKeyIdentifier) } }),
  rule({ code: 'critical-subject-key-identifier', what: 'intermediate subjectKeyIdentifier critical', chain: { intermediate: withCritical(OID.subjectKeyIdentifier, true) } }),
  rule({ code: 'missing-key-usage', what: 'intermediate without keyUsage', chain: { intermediate: withoutExtension(OID.keyUsage) } }),
  rule({ code: 'non-critical-key-usage', what: 'intermediate keyUsage not critical', chain: { intermediate: withCritical(OID.keyUsage, false) } }),
  rule({ code: 'empty-key-usage', what: 'leaf keyUsage with no bit set', also: ['leaf-key-usage-without-digital-signature'], chain: { leaf: withExtension(ext.keyUsage([])) } }),
  rule({ code: 'wrong-key-usage', what: 'validated for keyEncipherment; the leaf allows digitalSignature only', chain: {}, inputs: { keyUsages: ['keyEncipherment'] } }),
  rule({ code: 'key-cert-sign-without-ca', what: 'leaf keyUsage digitalSignature and keyCertSign', also: ['leaf-key-usage-not-permitted'], chain: { leaf: withExtension(ext.keyUsage(['digitalSignature', 'keyCertSign'])) } }),
  rule({ code: 'ca-key-usage', what: 'intermediate keyUsage cRLSign only', also: ['ca-key-usage-bits'], chain: { intermediate: withExtension(ext.keyUsage(['cRLSign'])) } }),
  rule({ code: 'ca-key-usage-bits', what: 'intermediate keyUsage adds keyEncipherment', chain: { intermediate: withExtension(ext.keyUsage(['keyCertSign', 'cRLSign', 'keyEncipherment'])) } }),
  rule({ code: 'leaf-key-usage-without-digital-signature', what: 'ECDSA leaf keyUsage keyAgreement only', chain: { leaf: withExtension(ext.keyUsage(['keyAgreement'])) } }),
  rule({ code: 'leaf-key-usage-not-permitted', what: 'ECDSA leaf keyUsage adds keyEncipherment', chain: { leaf: withExtension(ext.keyUsage(['digitalSignature', 'keyEncipherment'])) } }),
  rule({ code: 'duplicate-policy', what: 'leaf lists a private policy twice', chain: { leaf: withExtension(ext.certificatePolicies(['2.23.140.1.2.1', privatePolicy, privatePolicy])) } }),
  rule({ code: 'empty-certificate-policies', what: 'leaf certificatePolicies is an empty SEQUENCE', also: ['certificate-policies-profile'], chain: { leaf: withExtension(ext.certificatePolicies([])) } }),
  rule({
    code: 'unsupported-policy-qualifier',
    what: 'leaf certificatePolicies critical, with a qualifier of a private type',
    also: ['critical-policy-extension'],
    chain: { leaf: withExtension(ext.certificatePolicies([{ oid: '2.23.140.1.2.1', qualifiers: [der.sequence(der.oid('1.3.6.1.4.1.55555.9'), der.utf8String('x'))] }], true)) },
  }),
  rule({ code: 'critical-policy-extension', what: 'leaf certificatePolicies critical', chain: { leaf: withCritical(OID.certificatePolicies, true) } }),
  rule({ code: 'policy-mapping-any-policy', what: 'intermediate maps anyPolicy to the DV policy (non-critical)', chain: { intermediate: withExtension(ext.policyMappings([[OID.anyPolicy, '2.23.140.1.2.1']], false)) } }),
  rule({ code: 'empty-policy-mappings', what: 'intermediate policyMappings is an empty SEQUENCE (non-critical)', chain: { intermediate: withExtension(ext.policyMappings([], false)) } }),
  rule({ code: 'missing-subject-alt-name', what: 'leaf without subjectAltName', also: ['hostname-mismatch'], chain: { leaf: withoutExtension(OID.subjectAltName) } }),
  rule({ code: 'critical-subject-alt-name', what: 'leaf subjectAltName critical, subject not empty', chain: { leaf: withCritical(OID.subjectAltName, true) } }),
  rule({ code: 'empty-subject-alt-name', what: 'leaf subjectAltName is an empty SEQUENCE', also: ['no-dns-or-ip-san', 'hostname-mismatch'], chain: { leafNames: [] } }),
  rule({ code: 'malformed-dns-name', what: 'leaf SAN adds “bad..example.com” (empty label)', chain: leafSans(generalName.dns('bad..example.com')) }),
  rule({ code: 'malformed-dns-name', variant: 'intermediate', what: 'intermediate SAN “bad..example.com”', chain: { intermediate: intermediateSans(generalName.dns('bad..example.com')) } }),
  rule({ code: 'malformed-ip-address', what: 'leaf SAN adds a 5-byte iPAddress', chain: leafSans(generalName.ip(Uint8Array.of(8, 8, 8, 8, 8))) }),
  rule({ code: 'malformed-ip-address', variant: 'intermediate', what: 'intermediate SAN is a 5-byte iPAddress', chain: { intermediate: intermediateSans(generalName.ip(Uint8Array.of(8, 8, 8, 8, 8))) } }),
  rule({ code: 'malformed-email-address', what: 'leaf SAN adds rfc822Name “no-at-sign”', also: ['subject-alt-name-type-not-permitted'], chain: leafSans(generalName.email('no-at-sign')) }),
  rule({ code: 'malformed-email-address', variant: 'intermediate', what: 'intermediate SAN rfc822Name “no-at-sign”', chain: { intermediate: intermediateSans(generalName.email('no-at-sign')) } }),
  rule({ code: 'malformed-uri', what: 'leaf SAN adds the relative URI “a b”', also: ['subject-alt-name-type-not-permitted'], chain: leafSans(generalName.uri('a b')) }),
  rule({ code: 'missing-basic-constraints', what: 'intermediate without basicConstraints', also: ['key-cert-sign-without-ca'], chain: { intermediate: withoutExtension(OID.basicConstraints) } }),
  rule({ code: 'not-a-ca', what: 'intermediate basicConstraints cA=false', also: ['key-cert-sign-without-ca'], chain: { intermediate: withExtension(ext.basicConstraints(false)) } }),
  rule({ code: 'non-critical-basic-constraints', what: 'intermediate basicConstraints not critical', chain: { intermediate: withCritical(OID.basicConstraints, false) } }),
  rule({ code: 'non-critical-basic-constraints', variant: 'root', what: 'root basicConstraints not critical', chain: { root: withCritical(OID.basicConstraints, false) } }),
  rule({ code: 'bad-path-length-constraint', what: 'leaf basicConstraints cA=false with pathLenConstraint 0', chain: { leaf: withExtension(ext.basicConstraints(false, 0)) } }),
  rule({ code: 'leaf-is-ca', what: 'leaf basicConstraints cA=true', chain: { leaf: withExtension(ext.basicConstraints(true)) } }),
  rule({ code: 'name-constraints-in-leaf', what: 'leaf carries critical name constraints', chain: { leaf: withExtension(ext.nameConstraints({ permitted: [generalName.dns('example.com')] })) } }),
  rule({ code: 'non-critical-name-constraints', what: 'intermediate name constraints (permitting example.com) not critical', chain: { intermediate: withExtension(ext.nameConstraints({ permitted: [generalName.dns('example.com')] }, false)) } }),
  rule({ code: 'malformed-name-constraints', what: 'intermediate name constraints are an empty SEQUENCE', chain: { intermediate: withExtension(ext.nameConstraints({})) } }),
  rule({ code: 'name-constraints-minimum-maximum', what: 'intermediate name constraint example.com with maximum 1', chain: { intermediate: withExtension(ext.nameConstraints({ permitted: [generalName.dns('example.com')], maximum: 1 })) } }),
  rule({ code: 'empty-policy-constraints', what: 'intermediate policyConstraints is an empty SEQUENCE (critical)', also: ['critical-policy-extension'], chain: { intermediate: withExtension(ext.policyConstraints({})) } }),
  rule({ code: 'non-critical-policy-constraints', what: 'intermediate policyConstraints inhibitPolicyMapping=1 not critical', chain: { intermediate: withExtension(ext.policyConstraints({ inhibitPolicyMapping: 1 }, false)) } }),
  rule({ code: 'empty-extended-key-usage', what: 'leaf extendedKeyUsage is an empty SEQUENCE', also: ['wrong-extended-key-usage'], chain: { leaf: withExtension(ext.extKeyUsage([])) } }),
  rule({ code: 'critical-extended-key-usage', what: 'leaf extendedKeyUsage critical', chain: { leaf: withCritical(OID.extKeyUsage, true) } }),
  rule({ code: 'wrong-extended-key-usage', what: 'leaf extendedKeyUsage clientAuth only', chain: { leaf: withExtension(ext.extKeyUsage([OID.clientAuth])) } }),
  rule({ code: 'leaf-without-extended-key-usage', what: 'leaf without extendedKeyUsage', chain: { leaf: withoutExtension(OID.extKeyUsage) } }),
  rule({ code: 'any-extended-key-usage', what: 'leaf extendedKeyUsage serverAuth and anyExtendedKeyUsage', chain: { leaf: withExtension(ext.extKeyUsage([OID.serverAuth, OID.anyExtendedKeyUsage])) } }),
  rule({ code: 'leaf-extended-key-usage-not-permitted', what: 'leaf extendedKeyUsage serverAuth and codeSigning', chain: { leaf: withExtension(ext.extKeyUsage([OID.serverAuth, OID.codeSigning])) } }),
  rule({ code: 'intermediate-extended-key-usage', what: 'intermediate extendedKeyUsage clientAuth only', chain: { intermediate: withExtension(ext.extKeyUsage([OID.clientAuth])) } }),
  rule({ code: 'root-has-extended-key-usage', what: 'root extendedKeyUsage serverAuth', chain: { root: withExtension(ext.extKeyUsage([OID.serverAuth])) } }),
  rule({ code: 'intermediate-any-extended-key-usage', what: 'intermediate extendedKeyUsage anyExtendedKeyUsage only', chain: { intermediate: withExtension(ext.extKeyUsage([OID.anyExtendedKeyUsage])) } }),
  rule({ code: 'intermediate-extended-key-usage-not-permitted', what: 'intermediate extendedKeyUsage serverAuth and codeSigning', chain: { intermediate: withExtension(ext.extKeyUsage([OID.serverAuth, OID.codeSigning])) } }),
  rule({ code: 'non-critical-inhibit-any-policy', what: 'intermediate inhibitAnyPolicy 1 not critical', chain: { intermediate: withExtension(ext.inhibitAnyPolicy(1, false)) } }),
  rule({ code: 'critical-authority-info-access', what: 'leaf authorityInfoAccess critical', chain: { leaf: withCritical(OID.authorityInfoAccess, true) } }),
  rule({ code: 'empty-authority-info-access', what: 'leaf authorityInfoAccess is an empty SEQUENCE', also: ['missing-crl-distribution-points'], chain: { leaf: withExtension(ext.authorityInfoAccess({})) } }),

  // RFC 5280 §6.1 and names
  rule({ code: 'bad-signature', what: 'one bit of the leaf signature flipped', also: ['no-trusted-root'], chain: { leaf: withFields({ corruptSignature: true }) } }),
  rule({ code: 'expired', what: 'leaf notAfter one day before the validation time', chain: { leaf: withFields({ notAfter: time(at(-1)) }) } }),
  rule({ code: 'expired', variant: 'root', what: 'root notAfter one day before the validation time', chain: { root: withFields({ notAfter: time(at(-1)) }) } }),
  rule({ code: 'not-yet-valid', what: 'leaf notBefore one day after the validation time', chain: { leaf: withFields({ notBefore: time(at(1)) }) } }),
  rule({ code: 'no-trusted-root', what: 'the only trusted root is an unrelated CA', chain: {}, pool: (chain) => ({ intermediates: chain.pool.intermediates, roots: [otherRoot(chain)] }) }),
  rule({ code: 'too-many-intermediates', what: 'seven intermediates between root and leaf', also: ['no-trusted-root'], chain: { intermediates: 7 } }),
  rule({ code: 'work-limit-reached', what: '120 look-alike intermediates (same name and SKI, other keys) before the real one', chain: {}, pool: (chain) => ({ intermediates: [...lookAlikes(chain, 120), ...chain.pool.intermediates], roots: chain.pool.roots }) }),
  rule({ code: 'path-length-exceeded', what: 'two intermediates, the upper one with pathLenConstraint 0', chain: { intermediates: 2, intermediate: (spec, c) => (c.index === 0 ? withExtension(ext.basicConstraints(true, 0))(spec, c) : spec) } }),
  rule({ code: 'name-constraint-violation', what: 'intermediate permits only example.net; the leaf is appliance.example.com', chain: { intermediate: withExtension(ext.nameConstraints({ permitted: [generalName.dns('example.net')] })) } }),
  rule({
    code: 'unprocessable-name-constraint',
    what: 'intermediate constrains otherName; the leaf SAN has an otherName of that type',
    also: ['subject-alt-name-type-not-permitted'],
    chain: {
      ...leafSans(generalName.other('1.3.6.1.4.1.55555.3', der.utf8String('leaf'))),
      intermediate: withExtension(ext.nameConstraints({ permitted: [generalName.other('1.3.6.1.4.1.55555.3', der.utf8String('leaf'))] })),
    },
  }),
  rule({
    code: 'no-valid-policy',
    what: 'intermediate requires explicit policy (critical requireExplicitPolicy 0) and asserts DV; the leaf asserts only OV',
    also: ['critical-policy-extension'],
    chain: { intermediate: withExtension(ext.policyConstraints({ requireExplicitPolicy: 0 })), leaf: withExtension(ext.certificatePolicies(['2.23.140.1.2.2'])) },
  }),
  rule({
    code: 'no-valid-policy',
    variant: 'leaf-without-policies',
    what: 'intermediate requires explicit policy (critical requireExplicitPolicy 0); the leaf has no certificatePolicies',
    also: ['critical-policy-extension', 'missing-certificate-policies'],
    chain: { intermediate: withExtension(ext.policyConstraints({ requireExplicitPolicy: 0 })), leaf: withoutExtension(OID.certificatePolicies) },
  }),
  rule({ code: 'hostname-mismatch', what: 'validated for other.example.com', chain: {}, inputs: { hostname: 'other.example.com' } }),
  rule({ code: 'email-address-mismatch', what: 'leaf names admin@example.com; validated for Admin@example.com', also: ['subject-alt-name-type-not-permitted'], chain: leafSans(generalName.email('admin@example.com')), inputs: { hostname: null, email: 'Admin@example.com' } }),
  rule({
    code: 'wildcard-over-public-suffix',
    what: 'leaf is for *.co.uk (CN and SAN), validated for www.co.uk',
    also: ['hostname-mismatch'],
    chain: { leafNames: [generalName.dns('*.co.uk')], leaf: leafSubject(attr.cn('*.co.uk')) },
    inputs: { hostname: 'www.co.uk' },
  }),
  ...(
    [
      ['ipv4-leading-zeros', '008.008.008.008', '8.8.8.8'],
      ['ipv4-hex', '0x8.8.8.8', '8.8.8.8'],
      ['ipv6-uncompressed', '2001:4860:4860:0:0:0:0:8888', '2001:4860:4860::8888'],
      ['ipv6-upper-case', '2a00:1450:4001:82b::200e'.toUpperCase(), '2a00:1450:4001:82b::200e'],
    ] as const
  ).map(([variant, cn, ip]) =>
    rule({ code: 'common-name-not-in-san', variant, what: `leaf CN “${cn}” beside the IP SAN ${ip}`, chain: { ...leafSans(generalName.ip(ip)), leaf: leafSubject(attr.cn(cn)) } }),
  ),
  rule({ code: 'common-name-not-in-san', variant: 'dns-case', what: 'leaf CN “Appliance.Example.com”, SAN appliance.example.com', chain: { leaf: leafSubject(attr.cn('Appliance.Example.com')) } }),
  rule({
    code: 'common-name-not-in-san',
    variant: 'idn-absent',
    what: 'leaf CN xn--bcher-kva.example.com (bücher), which no SAN names',
    chain: { leaf: leafSubject(attr.cn('xn--bcher-kva.example.com')) },
  }),
  rule({ code: 'multiple-common-names', what: 'leaf subject has the CN twice', also: ['subject-name-encoding'], chain: { leaf: leafSubject(attr.cn(defaultHostname), attr.cn(defaultHostname)) } }),
  rule({ code: 'no-dns-or-ip-san', what: 'leaf SAN is a URI only', also: ['subject-alt-name-type-not-permitted'], chain: { leafNames: [generalName.uri('https://appliance.example.com/')] }, inputs: { hostname: null } }),

  // BR profile beyond what clients check (validity, presence of policy/revocation pointers, names)
  rule({ code: 'validity-over-825-days', what: 'leaf valid for 831 days', also: ['validity-over-ca-maximum'], chain: { leaf: withFields({ notAfter: time(at(800)) }) } }),
  rule({ code: 'validity-over-ca-maximum', what: 'leaf valid for 250 days', chain: { leaf: withFields({ notAfter: time(at(219)) }) } }),
  rule({ code: 'missing-certificate-policies', what: 'leaf without certificatePolicies', chain: { leaf: withoutExtension(OID.certificatePolicies) } }),
  rule({ code: 'certificate-policies-profile', what: 'leaf certificatePolicies anyPolicy', chain: { leaf: withExtension(ext.certificatePolicies([OID.anyPolicy])) } }),
  rule({ code: 'missing-authority-info-access', what: 'leaf without authorityInfoAccess', also: ['missing-crl-distribution-points'], chain: { leaf: withoutExtension(OID.authorityInfoAccess) } }),
  rule({
    code: 'authority-info-access-profile',
    what: 'leaf authorityInfoAccess adds a caRepository access method',
    chain: { leaf: withExtension(ext.raw(OID.authorityInfoAccess, der.sequence(der.sequence(der.oid(OID.ocsp), generalName.uri('http://ocsp.example.com')), der.sequence(der.oid('1.3.6.1.5.5.7.48.5'), generalName.uri('http://ca.example.com/'))))) },
  }),
  rule({ code: 'missing-crl-distribution-points', what: 'intermediate without cRLDistributionPoints', chain: { intermediate: withoutExtension(OID.cRLDistributionPoints) } }),
  rule({ code: 'crl-distribution-points-profile', what: 'intermediate CRL at an https URL', chain: { intermediate: withExtension(ext.crlDistributionPoints(['https://crl.example.com/intermediate.crl'])) } }),
  rule({ code: 'intermediate-without-extended-key-usage', what: 'intermediate without extendedKeyUsage', chain: { intermediate: withoutExtension(OID.extKeyUsage) } }),
  rule({ code: 'leaf-non-critical-basic-constraints', what: 'leaf basicConstraints cA=false not critical', chain: { leaf: withExtension(ext.basicConstraints(false, undefined, false)) } }),
  rule({ code: 'subject-attributes-not-permitted', what: 'leaf subject OU=IT', chain: { leaf: leafSubject(attr.ou('IT'), attr.cn(defaultHostname)) } }),
  rule({ code: 'ca-subject-attributes', what: 'intermediate subject has only a CN', chain: { intermediate: withFields({ subject: name([attr.cn('Certdesk Test Intermediate 1')]) }) } }),
  rule({ code: 'subject-name-encoding', what: 'leaf subject CN before C', chain: { leaf: leafSubject(attr.cn(defaultHostname), attr.c('DE')) } }),
  rule({ code: 'name-string-type', what: 'leaf CN as BMPString', chain: { leaf: leafSubject(attr.cn(bmp(defaultHostname), 0x1e)) } }),
  rule({ code: 'serial-number-entropy', what: 'leaf serial of 4 bytes', chain: { leaf: withFields({ serial: randomSerial(4) }) } }),
  rule({ code: 'subject-alt-name-type-not-permitted', what: 'leaf SAN adds a URI', chain: leafSans(generalName.uri('https://appliance.example.com/')) }),
  rule({ code: 'invalid-punycode', what: 'leaf SAN adds xn--zz.example.com', chain: leafSans(generalName.dns('xn--zz.example.com')) }),
  rule({ code: 'internal-name', what: 'leaf SAN adds appliance.local', chain: leafSans(generalName.dns('appliance.local')) }),
  rule({ code: 'reserved-ip-address', what: 'leaf SAN adds 10.0.0.1', chain: leafSans(generalName.ip('10.0.0.1')) }),
  rule({
    code: 'name-attribute-too-long',
    what: 'leaf CN (and SAN) of 72 characters',
    chain: { leafNames: [generalName.dns(`${'a'.repeat(60)}.example.com`)], leaf: leafSubject(attr.cn(`${'a'.repeat(60)}.example.com`)) },
    inputs: { hostname: `${'a'.repeat(60)}.example.com` },
  }),
  rule({ code: 'country-not-two-letters', what: 'leaf C=DEU', chain: { leaf: leafSubject(attr.c('DEU'), attr.cn(defaultHostname)) } }),
  rule({ code: 'control-character', what: 'leaf O contains a BEL character', also: ['subject-attributes-not-permitted'], chain: { leaf: leafSubject(attr.o('Acme\u0007'), attr.cn(defaultHostname)) } }),
  rule({ code: 'subject-attribute-metadata-only', what: 'leaf O is “-”', also: ['subject-attributes-not-permitted'], chain: { leaf: leafSubject(attr.o('-'), attr.cn(defaultHostname)) } }),
  rule({ code: 'email-address-in-subject', what: 'leaf subject has an emailAddress', also: ['subject-attributes-not-permitted'], chain: { leaf: leafSubject(attr.email('admin@example.com'), attr.cn(defaultHostname)) } }),
];

function bmp(text: string): Uint8Array {
  return Uint8Array.from([...text].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff]));
}

/** A root with the same subject as `chain`'s root but another key: it signed nothing of the chain. */
function otherRoot(chain: Chain): Uint8Array {
  const key = keyPair('p256', 'other-root');
  const subject = name([attr.c('DE'), attr.o('Certdesk Test'), attr.cn('Certdesk Other Root')]);
  return signCertificate({ ...chain.root.spec, serial: randomSerial(), subject, issuer: subject, spki: subjectPublicKeyInfo(key), extensions: [ext.basicConstraints(true), ext.keyUsage(['keyCertSign', 'cRLSign']), ext.subjectKeyIdentifier(keyIdentifier(key))] }, key);
}

/** Intermediates with the real one's subject and SKI but their own keys, signed by the root. */
function lookAlikes(chain: Chain, count: number): Uint8Array[] {
  const real = chain.intermediates[0]!;
  return Array.from({ length: count }, (_, i) => {
    const key = keyPair('p256', `look-alike-${i}`);
    return signCertificate({ ...real.spec, serial: randomSerial(), spki: subjectPublicKeyInfo(key), signatureAlgorithm: signatureAlgorithmIdentifier(defaultSigning(chain.root.key.kind)) }, chain.root.key);
  });
}
