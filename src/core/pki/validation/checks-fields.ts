/**
 * Checks of the basic certificate fields (RFC 5280 §4.1) and of the signature's algorithm
 * identifier (CABF BR §7.1.3.2), keyed by rule code.
 */
import { equalBytes, isValidPrintable, OID, TAG, toHex, unsignedMagnitude } from '../asn1';
import { signatureAlgorithmName, SIGNATURE_ALGORITHMS } from '../signatures';
import type { AttributeTypeAndValue, Certificate, DistinguishedName } from '../x509';
import { subjectAltNames } from './certificate-view';
import { each, isoDate, type CertificateCheck, type NamedKey } from './check';

const GENERALIZED_TIME_2050 = Date.UTC(2050, 0, 1) / 1000;
const DAY = 86400;
/** Apple HT210176 applies to TLS server certificates issued on or after 1 July 2019 (by notBefore). */
const APPLE_825_DAYS_FROM = Date.UTC(2019, 6, 1) / 1000;

/**
 * Go's PrintableString (parser.go `isPrintable`): X.680's set plus `*` and `&`, which real
 * certificates use and Go therefore accepts. Other string types were checked when the name was read.
 */
const printable = (text: string) => isValidPrintable(text.replace(/[*&]/g, ''));

function badAttributes(name: DistinguishedName, where: string): string[] {
  const out: string[] = [];
  if (name.some((rdn) => rdn.length === 0)) out.push(`an empty component in the ${where}`);
  const bad = (a: AttributeTypeAndValue) =>
    a.text !== undefined && ((a.tag === TAG.PRINTABLE_STRING && !printable(a.text)) || (a.tag === TAG.NUMERIC_STRING && !/^[0-9 ]*$/.test(a.text)));
  for (const a of name.flat()) if (bad(a)) out.push(`“${a.text}” is not a valid ${a.tag === TAG.PRINTABLE_STRING ? 'PrintableString' : 'NumericString'}`);
  return out;
}

/** The BR §7.1.3.2.1 encodings of RSASSA-PSS with SHA-256, SHA-384 and SHA-512 (hex). */
const PSS_ENCODINGS = new Set([
  '304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120',
  '304106092a864886f70d01010a3034a00f300d06096086480165030402020500a11c301a06092a864886f70d010108300d06096086480165030402020500a203020130',
  '304106092a864886f70d01010a3034a00f300d06096086480165030402030500a11c301a06092a864886f70d010108300d06096086480165030402030500a203020140',
]);

/** How a known signature algorithm's identifier deviates from BR §7.1.3.2.1, or undefined. */
function algorithmEncodingProblem(cert: Certificate): string | undefined {
  const algorithm = cert.signatureAlgorithm;
  const entry = SIGNATURE_ALGORITHMS[algorithm.oid];
  if (!entry) return undefined; // an unknown algorithm is unsupported-signature-algorithm
  const params = algorithm.parameters;
  switch (entry.scheme) {
    case 'rsa-pkcs1':
      return params?.length === 2 && params[0] === TAG.NULL && params[1] === 0 ? undefined : `${entry.name} without its NULL parameters`;
    case 'rsa-pss':
      return PSS_ENCODINGS.has(toHex(algorithm.der)) ? undefined : 'RSASSA-PSS with parameters other than the three the Baseline Requirements list';
    default:
      return params === undefined ? undefined : `${entry.name} with parameters`;
  }
}

export const fieldChecks: Record<string, CertificateCheck> = {
  'signature-algorithm-mismatch': (c) => !equalBytes(c.signatureAlgorithm.der, c.tbsSignatureAlgorithm.der),
  'not-version-3': (c) => c.version !== 3 && { found: `v${c.version}` },
  'negative-serial-number': (c) => c.serialNumber.length > 0 && (c.serialNumber[0]! & 0x80) !== 0,
  'zero-serial-number': (c) => c.serialNumber.length > 0 && c.serialNumber.every((b) => b === 0),
  // 20 octets of value: a positive number with its top bit set is written with a leading zero.
  'serial-number-too-long': (c) => {
    const length = unsignedMagnitude(c.serialNumber).length;
    return (c.serialNumber[0]! & 0x80) === 0 && length > 20 && { found: String(length) };
  },
  'empty-issuer': (c) => c.issuer.length === 0,
  'malformed-name': (c) => each([...badAttributes(c.subject, 'subject'), ...badAttributes(c.issuer, 'issuer')]),
  'generalized-time-before-2050': (c) =>
    each([c.notBefore, c.notAfter].filter((t) => t.tag === TAG.GENERALIZED_TIME && t.seconds < GENERALIZED_TIME_2050).map((t) => isoDate(t.seconds))),
  'inverted-validity': (c) => c.notBefore.seconds > c.notAfter.seconds && { found: isoDate(c.notAfter.seconds), expected: isoDate(c.notBefore.seconds) },
  // RFC 5280 §4.1.2.5: notBefore through notAfter, inclusive.
  expired: (c, _, s) => s.now > c.notAfter.seconds && { found: isoDate(c.notAfter.seconds) },
  'not-yet-valid': (c, _, s) => s.now < c.notBefore.seconds && { found: isoDate(c.notBefore.seconds) },
  'validity-over-825-days': (c, _, s) => {
    const seconds = c.notAfter.seconds - c.notBefore.seconds;
    return s.webPkiServer && c.notBefore.seconds >= APPLE_825_DAYS_FROM && seconds > 825 * DAY && { found: String(Math.ceil(seconds / DAY)) };
  },
  'empty-subject': (c) => c.subject.length === 0,
  'empty-subject-san-not-critical': (c) => c.subject.length === 0 && c.extensionsByOid.get(OID.subjectAltName)?.critical === false,
  'unique-identifier-present': (c) =>
    each([...(c.issuerUniqueId ? ['issuer unique identifier'] : []), ...(c.subjectUniqueId ? ['subject unique identifier'] : [])]),
  'empty-extensions': (c) => c.extensionsPresent && c.extensions.length === 0,
  'signature-algorithm-encoding': (c, role) => role !== 'root' && ((found) => found !== undefined && { found })(algorithmEncodingProblem(c)),
  'unsupported-signature-algorithm': (c, role, s) =>
    role !== 'root' && s.signatureAlgorithms !== undefined && !s.signatureAlgorithms.has(c.signatureAlgorithm.oid) && { found: signatureAlgorithmName(c.signatureAlgorithm.oid) },
};

const namedKeys = new WeakMap<Certificate, NamedKey>();
/** The certificate as the name and key checks (shared with requests) see it; made once per certificate. */
export function namedKeyOf(cert: Certificate): NamedKey {
  let holder = namedKeys.get(cert);
  if (!holder) namedKeys.set(cert, (holder = { subject: cert.subject, spki: cert.spki, sans: subjectAltNames(cert) }));
  return holder;
}
