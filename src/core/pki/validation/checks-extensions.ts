/**
 * Checks of the certificate extensions (RFC 5280 §4.2, §4.2.1.1–§4.2.2.1) and their CA/Browser
 * Forum profile (BR §7.1.2), keyed by rule code. Each reads the model's decoded value; a
 * malformed extension is `malformed-extension` (or its own rule) and is otherwise treated as
 * present but saying nothing, so that one broken extension is reported once.
 */
import { OID, toHex } from '../asn1';
import { certificateExtension, EXTENSION_OIDS, KEY_USAGE_NAMES, keyUsageBits, type Certificate, type ExtensionKind } from '../x509';
import { isEmptySequence, nameConstraintsOf } from './certificate-view';
import { each, type CertificateCheck, type CheckSettings, type Role } from './check';

const has = (c: Certificate, oid: string) => c.extensionsByOid.has(oid);
const isCa = (role: Role) => role !== 'leaf';
const POLICY_EXTENSIONS = [OID.certificatePolicies, OID.policyMappings, OID.policyConstraints, OID.inhibitAnyPolicy];

/**
 * Extensions Certdesk processes, so they may be critical (RFC 5280 §4.2). The policy extensions
 * are processed too (policy-tree.ts), but a critical one is its own rule: rustls-webpki and
 * pyca/cryptography do not process them and refuse it.
 */
const PROCESSED = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.nameConstraints,
  OID.authorityKeyIdentifier,
  OID.subjectKeyIdentifier,
  OID.authorityInfoAccess,
  ...POLICY_EXTENSIONS,
]);

/** Extensions whose malformation is a rule of its own when their list is empty (SIZE (1..MAX)). */
const OWN_EMPTY_RULE = new Set<string>([OID.subjectAltName, OID.authorityInfoAccess, OID.certificatePolicies, OID.policyMappings]);

const EXTENSION_NAMES: Record<string, string> = Object.fromEntries(Object.entries(EXTENSION_OIDS).map(([name, oid]) => [oid, name]));
/** An extension's name for sentences (its RFC name, or its OID). */
export const extensionName = (oid: string) => EXTENSION_NAMES[oid] ?? oid;

/** The purposes the settings require that `purposes` lacks. */
function missingPurposes(purposes: readonly string[], s: CheckSettings): string[] {
  return s.purposes.filter((p) => !purposes.includes(p));
}

const PURPOSE_NAMES: Record<string, string> = {
  [OID.serverAuth]: 'TLS servers',
  [OID.clientAuth]: 'TLS clients',
  [OID.codeSigning]: 'code signing',
  [OID.emailProtection]: 'e-mail protection',
  [OID.timeStamping]: 'time stamping',
  [OID.ocspSigning]: 'OCSP signing',
  [OID.anyExtendedKeyUsage]: 'any purpose',
};
const purposeName = (oid: string) => PURPOSE_NAMES[oid] ?? oid;

/** BR §7.1.2.7.10 and §7.1.2.10.6: purposes a TLS server certificate and its CA must not have. */
const NOT_FOR_TLS_SERVERS = [OID.codeSigning, OID.emailProtection, OID.timeStamping, OID.ocspSigning, '1.3.6.1.4.1.11129.2.4.4'];

const value = <K extends ExtensionKind>(c: Certificate, kind: K) => certificateExtension(c, kind);
const ekuOf = (c: Certificate) => value(c, 'extKeyUsage')?.purposes;
const bitsOf = (c: Certificate) => value(c, 'keyUsage')?.bits;

export const extensionChecks: Record<string, CertificateCheck> = {
  'unknown-critical-extension': (c) => each(c.extensions.filter((e) => e.critical && !PROCESSED.has(e.oid)).map((e) => extensionName(e.oid))),
  'duplicate-extension': (c) => each([...new Set(c.duplicateExtensions)].map(extensionName)),
  'malformed-extension': (c) =>
    each(
      c.extensions
        .filter((e) => e.problem !== undefined && e.oid !== OID.nameConstraints && !(OWN_EMPTY_RULE.has(e.oid) && isEmptySequence(e)))
        .map((e) => extensionName(e.oid)),
    ),
  // §4.2.1.1 Authority Key Identifier (its presence needs the issuer: checks-path.ts)
  'critical-authority-key-identifier': (c) => c.extensionsByOid.get(OID.authorityKeyIdentifier)?.critical === true,
  'authority-key-identifier-without-key-id': (c) => {
    const aki = value(c, 'authorityKeyIdentifier');
    return aki !== undefined && aki.keyIdentifier === undefined;
  },
  'authority-key-identifier-issuer-serial': (c) => {
    const aki = value(c, 'authorityKeyIdentifier');
    return aki !== undefined && (aki.authorityCertIssuer !== undefined || aki.authorityCertSerialNumber !== undefined);
  },
  'root-authority-key-identifier': (c) => {
    const keyId = value(c, 'authorityKeyIdentifier')?.keyIdentifier;
    const ski = value(c, 'subjectKeyIdentifier')?.keyIdentifier;
    return c.selfIssued && keyId !== undefined && ski !== undefined && toHex(keyId) !== toHex(ski);
  },
  // §4.2.1.2 Subject Key Identifier
  'missing-subject-key-identifier': (c) => !has(c, OID.subjectKeyIdentifier),
  'critical-subject-key-identifier': (c) => c.extensionsByOid.get(OID.subjectKeyIdentifier)?.critical === true,
  // §4.2.1.3 Key Usage
  'missing-key-usage': (c) => !has(c, OID.keyUsage),
  'non-critical-key-usage': (c) => c.extensionsByOid.get(OID.keyUsage)?.critical === false,
  'empty-key-usage': (c) => bitsOf(c)?.size === 0,
  'key-cert-sign-without-ca': (c) => bitsOf(c)?.has(keyUsageBits.keyCertSign) === true && value(c, 'basicConstraints')?.ca !== true,
  'ca-key-usage': (c, role) => isCa(role) && bitsOf(c) !== undefined && !bitsOf(c)!.has(keyUsageBits.keyCertSign),
  'ca-key-usage-bits': (c) => {
    const usages = value(c, 'keyUsage')?.usages;
    if (!usages) return false;
    const extra = usages.filter((u) => !['digitalSignature', 'keyCertSign', 'cRLSign'].includes(u));
    return each([...(['keyCertSign', 'cRLSign'] as const).filter((u) => !usages.includes(u)).map((u) => `lacks ${u}`), ...(extra.length ? [`also asserts ${extra.join(', ')}`] : [])]);
  },
  'leaf-key-usage-without-digital-signature': (c, _, s) => s.webPkiServer && bitsOf(c) !== undefined && !bitsOf(c)!.has(keyUsageBits.digitalSignature),
  'leaf-key-usage-not-permitted': (c) => {
    const usages = value(c, 'keyUsage')?.usages;
    if (!usages) return false;
    const key = c.spki.algorithm.oid;
    const [allowed, kind] =
      key === OID.ecPublicKey ? [['digitalSignature', 'keyAgreement'], 'an ECDSA key'] : key === OID.rsaEncryption ? [['digitalSignature', 'keyEncipherment'], 'an RSA key'] : [['digitalSignature'], 'its key type'];
    const extra = usages.filter((u) => !allowed.includes(u));
    return extra.length > 0 && { found: extra.join(', '), expected: kind };
  },
  'wrong-key-usage': (c, _, s) => {
    const usages = value(c, 'keyUsage');
    if (!usages) return false;
    const missing = s.keyUsages.filter((bit) => !usages.bits.has(bit));
    return missing.length > 0 && { expected: missing.map((bit) => KEY_USAGE_NAMES[bit] ?? String(bit)).join(', ') };
  },
  // §4.2.1.4 Certificate Policies, §4.2.1.5 Policy Mappings, §4.2.1.11, §4.2.1.14
  'duplicate-policy': (c) => {
    const oids = value(c, 'certificatePolicies')?.policies.map((p) => p.oid) ?? [];
    return each([...new Set(oids.filter((oid, i) => oids.indexOf(oid) !== i))]);
  },
  'empty-certificate-policies': (c) => isEmptySequence(c.extensionsByOid.get(OID.certificatePolicies)),
  'unsupported-policy-qualifier': (c) =>
    c.extensionsByOid.get(OID.certificatePolicies)?.critical === true &&
    each((value(c, 'certificatePolicies')?.policies ?? []).flatMap((p) => p.qualifiers.filter((q) => q.oid !== OID.cps && q.oid !== OID.userNotice).map((q) => q.oid))),
  'critical-policy-extension': (c) => each(POLICY_EXTENSIONS.filter((oid) => c.extensionsByOid.get(oid)?.critical === true).map(extensionName)),
  'policy-mapping-any-policy': (c) =>
    (value(c, 'policyMappings')?.mappings ?? []).some((m) => m.issuerDomainPolicy === OID.anyPolicy || m.subjectDomainPolicy === OID.anyPolicy),
  'empty-policy-mappings': (c) => isEmptySequence(c.extensionsByOid.get(OID.policyMappings)),
  'empty-policy-constraints': (c) => {
    const pc = value(c, 'policyConstraints');
    return pc !== undefined && pc.requireExplicitPolicy === undefined && pc.inhibitPolicyMapping === undefined;
  },
  'non-critical-policy-constraints': (c) => c.extensionsByOid.get(OID.policyConstraints)?.critical === false,
  'non-critical-inhibit-any-policy': (c) => c.extensionsByOid.get(OID.inhibitAnyPolicy)?.critical === false,
  // §4.2.1.6 Subject Alternative Name (the names themselves: checks-names.ts)
  'missing-subject-alt-name': (c, _, s) => !has(c, OID.subjectAltName) && (s.webPkiServer || c.subject.length === 0),
  'critical-subject-alt-name': (c) => c.subject.length > 0 && c.extensionsByOid.get(OID.subjectAltName)?.critical === true,
  'empty-subject-alt-name': (c) => isEmptySequence(c.extensionsByOid.get(OID.subjectAltName)),
  // §4.2.1.9 Basic Constraints
  'missing-basic-constraints': (c) => !has(c, OID.basicConstraints),
  'not-a-ca': (c) => value(c, 'basicConstraints')?.ca === false,
  'non-critical-basic-constraints': (c) => c.extensionsByOid.get(OID.basicConstraints)?.critical === false,
  'bad-path-length-constraint': (c) => {
    const bc = value(c, 'basicConstraints');
    const bits = bitsOf(c);
    return bc?.pathLenConstraint !== undefined && (!bc.ca || (bits !== undefined && !bits.has(keyUsageBits.keyCertSign)));
  },
  'leaf-is-ca': (c) => value(c, 'basicConstraints')?.ca === true,
  // §4.2.1.10 Name Constraints
  'name-constraints-in-leaf': (c) => has(c, OID.nameConstraints),
  'non-critical-name-constraints': (c) => c.extensionsByOid.get(OID.nameConstraints)?.critical === false,
  'malformed-name-constraints': (c) => {
    const problem = nameConstraintsOf(c)?.problem;
    return problem !== undefined && { found: problem };
  },
  'name-constraints-minimum-maximum': (c) => nameConstraintsOf(c)?.minimumOrMaximum === true,
  // §4.2.1.12 Extended Key Usage; BR §7.1.2.7.10, §7.1.2.10.6
  'empty-extended-key-usage': (c) => ekuOf(c)?.length === 0,
  'critical-extended-key-usage': (c) => c.extensionsByOid.get(OID.extKeyUsage)?.critical === true,
  'wrong-extended-key-usage': (c, _, s) => {
    const eku = ekuOf(c);
    return eku !== undefined && missingPurposes(eku, s).length > 0 && { expected: missingPurposes(eku, s).map(purposeName).join(', ') };
  },
  'leaf-without-extended-key-usage': (c, _, s) => s.webPkiServer && !has(c, OID.extKeyUsage),
  'any-extended-key-usage': (c, _, s) => s.webPkiServer && ekuOf(c)?.includes(OID.anyExtendedKeyUsage) === true,
  'leaf-extended-key-usage-not-permitted': (c, _, s) => s.webPkiServer && each((ekuOf(c) ?? []).filter((p) => NOT_FOR_TLS_SERVERS.includes(p)).map(purposeName)),
  // rustls-webpki and pyca do not read anyExtendedKeyUsage as the purpose: its own rule below.
  'intermediate-extended-key-usage': (c, _, s) => {
    const eku = ekuOf(c);
    return eku !== undefined && !eku.includes(OID.anyExtendedKeyUsage) && missingPurposes(eku, s).length > 0 && { expected: missingPurposes(eku, s).map(purposeName).join(', ') };
  },
  'root-has-extended-key-usage': (c) => has(c, OID.extKeyUsage),
  'intermediate-any-extended-key-usage': (c, _, s) => {
    const eku = ekuOf(c);
    return eku !== undefined && eku.includes(OID.anyExtendedKeyUsage) && (s.webPkiServer || missingPurposes(eku, s).length > 0);
  },
  'intermediate-extended-key-usage-not-permitted': (c, _, s) =>
    s.webPkiServer && ekuOf(c)?.includes(OID.serverAuth) === true && each(ekuOf(c)!.filter((p) => NOT_FOR_TLS_SERVERS.includes(p)).map(purposeName)),
  // §4.2.2.1 Authority Information Access
  'critical-authority-info-access': (c) => c.extensionsByOid.get(OID.authorityInfoAccess)?.critical === true,
  'empty-authority-info-access': (c) => isEmptySequence(c.extensionsByOid.get(OID.authorityInfoAccess)),
};

