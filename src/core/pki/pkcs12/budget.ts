/**
 * The work budget of password-based cryptography: how many hash compressions a file may make
 * Certdesk compute, counted before the work is done (../shared/RELIABILITY.md, "Learned since":
 * iterations are not work — SHA-512 costs about twice SHA-1 per iteration, a MAC may be tried
 * with two password encodings, a PEM can hold many encrypted keys).
 *
 * One unit is one compression of a 64-byte block (SHA-1, SHA-224, SHA-256); a compression of a
 * 128-byte block (SHA-384, SHA-512, SHA-512/224, SHA-512/256) counts 2. Each KDF and MAC of one
 * file — the PKCS#12 MAC or PBMAC1, each bag's PBES1/PBES2, each encrypted key of a PEM — is
 * charged to the file's budget (limits.maxWorkPerFile), and the files of one import share
 * limits.maxWorkPerImport. Where the parameters say the cost up front, the whole file is
 * planned and refused before any derivation starts.
 */
import { CertdeskError } from '../../errors';
import { Asn1Error } from '../asn1';
import { limits } from '../limits';
import type { HashAlgorithm } from './hashes';

/** Units per compression of this hash: 1 for 64-byte blocks, 2 for 128-byte blocks. */
function weight(hash: HashAlgorithm): number {
  return hash.blockLen / 64;
}

/** Compressions to hash `bytes` bytes (FIPS 180-4 §5.1: a 0x80 byte and an 8- or 16-byte length pad it). */
function compressions(hash: HashAlgorithm, bytes: number): number {
  return Math.ceil((bytes + 1 + hash.blockLen / 8) / hash.blockLen);
}

/**
 * Work of the PKCS#12 KDF (RFC 7292 appendix B.2): per output block, one hash of D || S || P
 * (salt and password each stretched to whole blocks) and `iterations - 1` hashes of a digest,
 * one compression each.
 */
export function pkcs12KdfWork(hash: HashAlgorithm, saltBytes: number, passwordBytes: number, iterations: number, length: number): number {
  const v = hash.blockLen;
  const input = v + v * Math.ceil(saltBytes / v) + v * Math.ceil(passwordBytes / v);
  const perBlock = compressions(hash, input) + (iterations - 1);
  return Math.ceil(length / hash.outputLen) * perBlock * weight(hash);
}

/**
 * Work of PBKDF2 with HMAC (RFC 8018 §5.2, RFC 2104): the inner and outer pads once (and the
 * password hashed first if longer than a block); per output block U_1 = HMAC(S || INT(i)) and
 * `iterations - 1` more HMACs of a digest at two compressions each (inner and outer).
 */
export function pbkdf2Work(hash: HashAlgorithm, passwordBytes: number, saltBytes: number, iterations: number, length: number): number {
  const setup = 2 + (passwordBytes > hash.blockLen ? compressions(hash, passwordBytes) : 0);
  // U_1: the inner hash past the (precomputed) pad block, plus one outer compression.
  const first = compressions(hash, hash.blockLen + saltBytes + 4);
  const perBlock = first + 2 * (iterations - 1);
  return (setup + Math.ceil(length / hash.outputLen) * perBlock) * weight(hash);
}

/** Work of one HMAC over a message of `bytes` bytes (the MAC over a PKCS#12 authenticated safe). */
export function hmacWork(hash: HashAlgorithm, bytes: number): number {
  return (compressions(hash, hash.blockLen + bytes) + compressions(hash, hash.blockLen + hash.outputLen)) * weight(hash);
}

/** Seconds of work at the calibration rate, in words: "about 3 minutes". */
export function describeDuration(work: number): string {
  const seconds = work / limits.workPerSecond;
  if (seconds < 1) return 'less than a second';
  const round = (n: number, unit: string) => `about ${Math.round(n).toLocaleString('en-US')} ${unit}${Math.round(n) === 1 ? '' : 's'}`;
  if (seconds < 90) return round(seconds, 'second');
  if (seconds < 90 * 60) return round(seconds / 60, 'minute');
  if (seconds < 48 * 3600) return round(seconds / 3600, 'hour');
  if (seconds < 730 * 86400) return round(seconds / 86400, 'day');
  return round(seconds / (365 * 86400), 'year');
}

function describeCount(work: number): string {
  if (work >= 1e9) return `${(work / 1e9).toLocaleString('en-US', { maximumFractionDigits: 1 })} billion`;
  if (work >= 1e6) return `${(work / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1 })} million`;
  return Math.round(work).toLocaleString('en-US');
}

/**
 * How much key derivation a file may cost, for one file (`ceiling`) within one import of
 * several files (`importCeiling`, of which `importSpent` went to the files before this one).
 * Charged before each derivation, so a refusal always comes before the work.
 */
export class WorkBudget {
  readonly ceiling: number;
  readonly importCeiling: number;
  readonly importSpent: number;
  #spent = 0;

  constructor(options: { ceiling?: number; importCeiling?: number; importSpent?: number } = {}) {
    this.ceiling = options.ceiling ?? limits.maxWorkPerFile;
    this.importCeiling = options.importCeiling ?? limits.maxWorkPerImport;
    this.importSpent = options.importSpent ?? 0;
  }

  /** Units this file has spent so far. */
  get spent(): number {
    return this.#spent;
  }

  /** Refuses up front when `work` more would pass a ceiling; spends nothing. */
  plan(work: number): void {
    const asked = this.#spent + work;
    if (!(asked <= this.ceiling)) throw workLimitError(asked, this.ceiling);
    if (!(this.importSpent + asked <= this.importCeiling)) throw importLimitError(asked, this.importCeiling);
  }

  /** Spends `work` for one derivation about to run; throws (before it runs) when that passes a ceiling. */
  charge(work: number): void {
    this.plan(work);
    this.#spent += work;
  }
}

/** CertdeskError `work-limit-exceeded`: the file asks for more work than one file may cost. */
function workLimitError(asked: number, ceiling: number): CertdeskError {
  return new CertdeskError(
    'work-limit-exceeded',
    `This file asks for ${describeDuration(asked)} of key derivation (${describeCount(asked)} hash compressions); ` +
      `Certdesk stops at ${describeDuration(ceiling).replace('about ', '')} (${describeCount(ceiling)}, limits.maxWorkPerFile) ` +
      `so that no file can stall it. If the file is yours, export it again with fewer iterations: 2,048 to 600,000 is usual.`,
  );
}

/** CertdeskError `work-limit-exceeded` for the import as a whole. */
function importLimitError(asked: number, ceiling: number): CertdeskError {
  return new CertdeskError(
    'work-limit-exceeded',
    `This file asks for ${describeDuration(asked)} of key derivation, and with the files before it in this import that passes ` +
      `the ${describeDuration(ceiling).replace('about ', '')} (${describeCount(ceiling)} hash compressions, limits.maxWorkPerImport) ` +
      `Certdesk spends on one import. Import it on its own.`,
  );
}

/**
 * An iteration count Certdesk derives with (`what` names it: "MAC iteration count"): a whole
 * number from 1 (RFC 8018 §4.2 "a positive integer", A.2 INTEGER (1..MAX); RFC 7292 B.2 hashes
 * r ≥ 1 times) to limits.maxKdfIterations (BoringSSL, Botan and NSS accept the same range). Below 1
 * the file is malformed (Asn1Error `invalid-encoding`); above, CertdeskError `limit-exceeded`.
 */
export function checkIterations(iterations: number, what: string): void {
  if (Number.isNaN(iterations) || iterations < 1 || (Number.isFinite(iterations) && !Number.isInteger(iterations))) {
    throw new Asn1Error('invalid-encoding', `the ${what} is ${iterations}, and an iteration count is a whole number from 1`);
  }
  if (iterations > limits.maxKdfIterations) {
    throw new CertdeskError(
      'limit-exceeded',
      `The ${what} is ${Number.isFinite(iterations) ? iterations.toLocaleString('en-US') : 'enormous'}; ` +
        `Certdesk accepts at most ${limits.maxKdfIterations.toLocaleString('en-US')} key-derivation iterations ` +
        `(limits.maxKdfIterations). Export the file again with fewer iterations.`,
    );
  }
}

/** A salt no longer than limits.maxSaltBytes; else CertdeskError `limit-exceeded`. */
export function checkSalt(salt: Uint8Array, what: string): void {
  if (salt.length > limits.maxSaltBytes) {
    throw new CertdeskError(
      'limit-exceeded',
      `The ${what} has a salt of ${salt.length.toLocaleString('en-US')} bytes; real files use 8 to 64 and Certdesk accepts ` +
        `at most ${limits.maxSaltBytes.toLocaleString('en-US')} (limits.maxSaltBytes). The file was not made by a real exporter.`,
    );
  }
}
