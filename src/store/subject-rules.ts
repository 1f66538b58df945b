/**
 * The rules the Create form checks names with as the admin types: the very ones the core applies
 * when it signs (core/pki/names/subject-input.ts), reached through the store like all PKI. The
 * form loads with them when it is first opened.
 */
export { SUBJECT_FIELDS, validateSubject, validateSubjectAltName } from '../core/pki/names/subject-input';
export type { SubjectField } from '../core/pki/names/subject-input';
