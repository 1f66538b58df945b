/**
 * GeneralName (RFC 5280 §4.2.1.6): the names certificates claim in subjectAltName, name
 * constraints, AIA and CRL distribution points. x509/general-names.ts reads them from DER.
 */
import type { DistinguishedName } from '../x509/name';

export type GeneralName =
  | { kind: 'dns'; value: string }
  | { kind: 'email'; value: string }
  | { kind: 'uri'; value: string }
  | { kind: 'ip'; bytes: Uint8Array }
  | { kind: 'dn'; name: DistinguishedName }
  /** otherName [0], x400Address [3], ediPartyName [5], registeredID [8]; `oid` is the otherName type-id or the registeredID. */
  | { kind: 'other'; tag: number; oid?: string };
