/**
 * Lint of certificates against what the CA/Browser Forum Baseline Requirements ask of a public
 * CA's issuance (validity periods, policy and revocation pointers, subject attributes of CAs,
 * serial entropy): shown beside the verdict, never changing it, because a private CA (the
 * appliance's own) may do otherwise and every client still accepts the chain. Keyed by rule code.
 */
import { OID, unsignedMagnitude } from '../asn1';
import { certificateExtension, type Certificate } from '../x509';
import { each, type CertificateCheck } from './check';

const DAY = 86400;

/** BR §6.3.2: the longest validity a public CA may issue, by the issuance date (notBefore). */
const MAXIMUM_VALIDITY: readonly (readonly [from: number, days: number])[] = [
  [Date.UTC(2029, 2, 15) / 1000, 47],
  [Date.UTC(2027, 2, 15) / 1000, 100],
  [Date.UTC(2026, 2, 15) / 1000, 200],
  [Date.UTC(2020, 8, 1) / 1000, 398],
  [-Infinity, 825],
];

/** The most days of validity a public CA may issue at `issued` (seconds). */
export function maximumValidityDays(issued: number): number {
  return MAXIMUM_VALIDITY.find(([from]) => issued >= from)![1];
}

/** BR §7.1.6.1: the reserved policy identifiers of server certificates (DV, OV, IV, EV). */
const RESERVED_POLICIES = ['2.23.140.1.2.1', '2.23.140.1.2.2', '2.23.140.1.2.3', '2.23.140.1.1'];

const isHttpUri = (name: { kind: string; value?: string }) => name.kind === 'uri' && /^http:\/\//i.test(name.value ?? '');
const ocspUrls = (c: Certificate) => (certificateExtension(c, 'authorityInfoAccess')?.descriptions ?? []).filter((d) => d.method === OID.ocsp);

export const lintChecks: Record<string, CertificateCheck> = {
  // The validity period is notBefore through notAfter inclusive (BR §1.6.1, RFC 5280 §4.1.2.5).
  'validity-over-ca-maximum': (c) => {
    const days = (c.notAfter.seconds - c.notBefore.seconds + 1) / DAY;
    const maximum = maximumValidityDays(c.notBefore.seconds);
    return days > maximum && { found: String(Math.ceil(days)), expected: String(maximum) };
  },
  'missing-certificate-policies': (c) => !c.extensionsByOid.has(OID.certificatePolicies),
  'certificate-policies-profile': (c, role) => {
    if (!c.extensionsByOid.has(OID.certificatePolicies)) return false;
    // A malformed or empty list names no policy at all.
    const policies = certificateExtension(c, 'certificatePolicies')?.policies.map((p) => p.oid) ?? [];
    if (role !== 'leaf') return policies.includes(OID.anyPolicy) && policies.length > 1 && { found: 'lists anyPolicy beside other policies' };
    const reserved = policies.filter((p) => RESERVED_POLICIES.includes(p)).length;
    return each([...(policies.includes(OID.anyPolicy) ? ['include anyPolicy'] : []), ...(reserved !== 1 ? [`hold ${reserved} CA/Browser Forum policy identifiers`] : [])]);
  },
  'missing-authority-info-access': (c) => !c.extensionsByOid.has(OID.authorityInfoAccess),
  'authority-info-access-profile': (c) =>
    each(
      (certificateExtension(c, 'authorityInfoAccess')?.descriptions ?? []).flatMap((d) =>
        (d.method === OID.ocsp || d.method === OID.caIssuers) && isHttpUri(d.location) ? [] : [`has an entry with access method ${d.method}`],
      ),
    ),
  // BR §7.1.2.11.2: CAs always; server certificates unless they name an OCSP responder.
  'missing-crl-distribution-points': (c, role) => !c.extensionsByOid.has(OID.cRLDistributionPoints) && (role !== 'leaf' || ocspUrls(c).length === 0),
  'crl-distribution-points-profile': (c) =>
    each(
      (certificateExtension(c, 'cRLDistributionPoints')?.points ?? []).flatMap((p) =>
        p.reasons || p.cRLIssuer || p.nameRelativeToCRLIssuer || !p.fullName?.every(isHttpUri) ? ['has a point that is not a list of HTTP URLs'] : [],
      ),
    ),
  'intermediate-without-extended-key-usage': (c) => !c.extensionsByOid.has(OID.extKeyUsage),
  'leaf-non-critical-basic-constraints': (c) => c.extensionsByOid.get(OID.basicConstraints)?.critical === false,
  'ca-subject-attributes': (c) => {
    const types = new Set(c.subject.flat().map((a) => a.oid));
    const missing = [
      [OID.countryName, 'country'],
      [OID.organizationName, 'organization'],
      [OID.commonName, 'common name'],
    ].flatMap(([oid, label]) => (types.has(oid!) ? [] : [`lacks the ${label}`]));
    return each([...missing, ...(types.has(OID.organizationalUnitName) ? ['has an organizational unit'] : [])]);
  },
  'serial-number-entropy': (c) => {
    const length = unsignedMagnitude(c.serialNumber).length;
    return length < 8 && { found: String(length) };
  },
};
