/**
 * Passwords as the two KDF families want them, and the encodings worth trying when a file does
 * not open (what OpenSSL tries, so that whatever OpenSSL opens, Certdesk opens).
 */

/**
 * The password as RFC 7292 appendix B.1 wants it for the PKCS#12 KDF and MAC: a BMPString
 * (UTF-16BE) with a two-byte NUL terminator. A NULL password (no password at all) is the empty
 * string of bytes; the empty password "" is just the terminator — OpenSSL keeps the two apart.
 */
export function bmpPassword(password: string | null): Uint8Array {
  if (password === null) return new Uint8Array(0);
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    out[2 * i] = password.charCodeAt(i) >> 8;
    out[2 * i + 1] = password.charCodeAt(i) & 0xff;
  }
  return out;
}

/** The password for PBKDF2 (RFC 8018 §3: an octet string; UTF-8 as OpenSSL, Windows and Java use). */
export function utf8Password(password: string | null): Uint8Array {
  return password === null ? new Uint8Array(0) : new TextEncoder().encode(password);
}

/**
 * The passwords to try, in OpenSSL's order (PKCS12_parse and apps/pkcs12.c):
 * - no password or "": NULL first, then "" (files differ in which of the two they used);
 * - a non-ASCII password: as typed, then the UTF-8 bytes read as Latin-1 — what OpenSSL before
 *   1.1.0 put into the BMPString, and what `openssl pkcs12` still falls back to ("Warning: using
 *   broken algorithm").
 * Each candidate tried costs a derivation, and the work budget counts every one.
 */
export function passwordCandidates(password: string | null): (string | null)[] {
  if (password === null || password === '') return [null, ''];
  const utf8 = new TextEncoder().encode(password);
  const latin1 = String.fromCharCode(...utf8);
  return latin1 === password ? [password] : [password, latin1];
}

/** The longest a password candidate can be in bytes, for planning work before any is tried. */
export function longestPasswordBytes(candidates: readonly (string | null)[]): number {
  return Math.max(0, ...candidates.map((c) => Math.max(bmpPassword(c).length, utf8Password(c).length)));
}
