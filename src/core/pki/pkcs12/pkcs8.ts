/**
 * PKCS#8 private keys and their encrypted form, EncryptedPrivateKeyInfo (RFC 5958 §2–3), under
 * any scheme of pbes.ts. Decrypted keys are walked with the bounded structure check before
 * anything else reads them (issue 12: a 1 MB OID in a key's attributes took 11.7 s and 1 GB).
 */
import { CertdeskError, throwIfAborted } from '../../errors';
import { TAG, der, equalBytes, fieldsOf, readDer, readOctetString, type Tlv } from '../asn1';
import { readPrivateKeyInfo } from '../keys/private-key';
import { limits } from '../limits';
import { WorkBudget, checkIterations } from './budget';
import { translateReadError, translateWriteError, wrongPasswordError } from './errors';
import type { KdfContext } from './kdf';
import { passwordCandidates } from './passwords';
import { newPbeScheme, encodePbeScheme, pbeDecrypt, pbeEncrypt, pbeWork, presetIterations, readPbeScheme, type PbeScheme, type Pkcs12Preset } from './pbes';

/**
 * Checks that `pkcs8` is exactly one PrivateKeyInfo (RFC 5958 §2) whose whole structure, the key
 * inside included, stays within the ASN.1 limits (keys/private-key.ts). Throws Asn1Error.
 */
export function checkPrivateKeyInfo(pkcs8: Uint8Array): void {
  readPrivateKeyInfo(pkcs8);
}

/** Whether `der` is a PrivateKeyInfo that checkPrivateKeyInfo accepts. */
export function isPrivateKeyInfo(pkcs8: Uint8Array): boolean {
  try {
    checkPrivateKeyInfo(pkcs8);
    return true;
  } catch {
    return false;
  }
}

/**
 * The header of the element at `at` read as BER allows (long-form lengths with leading zeros or
 * more than 4 octets, an indefinite length running to the end), or undefined if it does not fit.
 */
function outlineHeader(plain: Uint8Array, at: number, end: number): { tag: number; contentStart: number; end: number } | undefined {
  if (at + 2 > end) return undefined;
  const tag = plain[at]!;
  const first = plain[at + 1]!;
  if (first === 0x80) return { tag, contentStart: at + 2, end };
  let length = first;
  let pos = at + 2;
  if (first > 0x80) {
    const octets = first & 0x7f;
    if (pos + octets > end) return undefined;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + plain[pos + i]!;
    pos += octets;
  }
  return pos + length <= end ? { tag, contentStart: pos, end: pos + length } : undefined;
}

/**
 * Whether a decrypted plaintext has the outline of what it should hold — a SEQUENCE at its start
 * whose first element, if any, has the tag `first` (INTEGER for a PrivateKeyInfo's version,
 * SEQUENCE for a SafeContents' first bag): what tells a right password from a wrong one whose
 * padding happened to look valid. Only the outline, read as BER: bytes after the SEQUENCE or a
 * length DER forbids do not make a right password wrong; the full reading that follows refuses
 * them by name (found by the PKCS#12 fuzz campaign, seed 1130, executions 68773 and 495573).
 */
export function looksLikeSequence(plain: Uint8Array, first: number): boolean {
  const outer = outlineHeader(plain, 0, plain.length);
  if (outer?.tag !== TAG.SEQUENCE) return false;
  if (outer.contentStart === outer.end) return true;
  return outlineHeader(plain, outer.contentStart, outer.end)?.tag === first;
}

/** Options of encryptPrivateKeyInfo. */
export interface EncryptPrivateKeyOptions {
  /** modern (default): PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC; legacy: pbeWithSHAAnd3-KeyTripleDES-CBC. */
  preset?: Pkcs12Preset;
  /** Defaults: 100,000 (modern), 2048 (legacy). */
  iterations?: number;
}

/** Iteration counts a caller may ask an export for: whole numbers 1 … limits.maxKdfIterations. */
export function checkExportIterations(iterations: number): void {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > limits.maxKdfIterations) {
    throw new CertdeskError(
      'invalid-input',
      `The iteration count must be a whole number from 1 to ${limits.maxKdfIterations.toLocaleString('en-US')} ` +
        `(limits.maxKdfIterations); ${iterations} is not.`,
    );
  }
}

/**
 * The scheme and ciphertext of an EncryptedPrivateKeyInfo (DER bytes, or an element of a larger
 * BER file such as a shrouded key bag). Throws Asn1Error or an unsupported-algorithm CertdeskError.
 */
export function readEncryptedPrivateKeyInfo(encrypted: Uint8Array | Tlv): { scheme: PbeScheme; ciphertext: Uint8Array } {
  const f = fieldsOf(encrypted instanceof Uint8Array ? readDer(encrypted) : encrypted, 'the encrypted private key');
  const scheme = readPbeScheme(f.next(TAG.SEQUENCE, 'the encryption algorithm'), 'encrypted private key');
  const ciphertext = readOctetString(f.next(undefined, 'the encrypted data'), 'the encrypted key');
  f.end();
  return { scheme, ciphertext };
}

/**
 * The work (budget.ts) decrypting an EncryptedPrivateKeyInfo may take with `password`, every
 * candidate counted: for planning a file of several keys before any is decrypted.
 */
export function encryptedPrivateKeyWork(encrypted: Uint8Array, password: string | null): number {
  try {
    const { scheme } = readEncryptedPrivateKeyInfo(encrypted);
    return passwordCandidates(password).reduce((sum, candidate) => sum + pbeWork(scheme, candidate), 0);
  } catch (error) {
    throw translateReadError(error, 'encrypted-key-malformed', 'encrypted private key');
  }
}

async function decryptWithContext(encrypted: Uint8Array, candidates: (string | null)[], ctx: KdfContext): Promise<Uint8Array | null> {
  const { scheme, ciphertext } = readEncryptedPrivateKeyInfo(encrypted);
  checkIterations(scheme.iterations, 'iteration count of the encrypted private key');
  // The whole plan up front: every candidate may be tried (budget.ts).
  ctx.budget.plan(candidates.reduce((sum, candidate) => sum + pbeWork(scheme, candidate), 0));
  for (const candidate of candidates) {
    const plain = await pbeDecrypt(ctx, scheme, candidate, ciphertext, 'private key');
    if (plain && looksLikeSequence(plain, TAG.INTEGER)) {
      checkPrivateKeyInfo(plain);
      return plain;
    }
  }
  return null;
}

/**
 * Decrypts a DER EncryptedPrivateKeyInfo (PBES2 or the PKCS#12 PBE schemes) and returns the
 * PKCS#8 PrivateKeyInfo DER. `options.budget` is the file's work budget when the key is one
 * part of a larger file (a PEM with several keys); by default the key is a file of its own.
 * @throws CertdeskError 'wrong-password', 'encrypted-key-malformed', 'unsupported-algorithm',
 *   'limit-exceeded', 'work-limit-exceeded'; cancellation is an AbortError.
 */
export async function decryptPrivateKeyInfo(
  encryptedPrivateKeyInfoDer: Uint8Array,
  password: string | null,
  options: { signal?: AbortSignal; budget?: WorkBudget } = {},
): Promise<Uint8Array> {
  throwIfAborted(options.signal);
  if (encryptedPrivateKeyInfoDer.length > limits.maxFileBytes) {
    throw new CertdeskError('limit-exceeded', `The key file is larger than ${limits.maxFileBytes} bytes (limits.maxFileBytes).`);
  }
  let plain: Uint8Array | null;
  try {
    const ctx: KdfContext = { budget: options.budget ?? new WorkBudget() };
    if (options.signal) ctx.signal = options.signal;
    plain = await decryptWithContext(encryptedPrivateKeyInfoDer, passwordCandidates(password), ctx);
  } catch (error) {
    throw translateReadError(error, 'encrypted-key-malformed', 'encrypted private key');
  }
  if (!plain) throw wrongPasswordError('private key');
  return plain;
}

/**
 * Encrypts a PKCS#8 PrivateKeyInfo into a DER EncryptedPrivateKeyInfo (RFC 5958 §3, RFC 8018).
 * The result is decrypted again and compared before it is returned.
 * @throws CertdeskError 'invalid-input', 'work-limit-exceeded', 'export-verify-failed', 'export-failed'
 */
export async function encryptPrivateKeyInfo(pkcs8: Uint8Array, password: string, options: EncryptPrivateKeyOptions = {}): Promise<Uint8Array> {
  try {
    return await encryptKey(pkcs8, password, options);
  } catch (error) {
    throw translateWriteError(error, 'encrypted key');
  }
}

async function encryptKey(pkcs8: Uint8Array, password: string, options: EncryptPrivateKeyOptions): Promise<Uint8Array> {
  const preset = options.preset ?? 'modern';
  const iterations = options.iterations ?? presetIterations[preset];
  checkExportIterations(iterations);
  if (!isPrivateKeyInfo(pkcs8)) throw new CertdeskError('invalid-input', 'The key to encrypt is not a PKCS#8 private key.');
  const scheme = newPbeScheme(preset, iterations);
  // What Certdesk writes, Certdesk must read back: refuse a key its own importer would refuse.
  new WorkBudget().plan(passwordCandidates(password).reduce((sum, c) => sum + pbeWork(scheme, c), 0));
  const cache = new Map<string, Uint8Array>();
  const ciphertext = await pbeEncrypt({ budget: new WorkBudget(), cache }, scheme, password, pkcs8);
  const out = der.sequence(encodePbeScheme(scheme), der.octetString(ciphertext));
  const check = await decryptWithContext(out, [password], { budget: new WorkBudget(), cache });
  if (!check || !equalBytes(check, pkcs8)) {
    throw new CertdeskError('export-verify-failed', 'The encrypted key did not read back identically; nothing was exported. Please report this.');
  }
  return out;
}
