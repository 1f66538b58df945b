/**
 * PKCS#12 (RFC 7292) import and export.
 *
 * Import reads what OpenSSL 1.x/3.x, Windows, Java, BouncyCastle, pyca and node-forge write:
 * PBES2 and the legacy PKCS#12 PBE ciphers (pbe.ts), HMAC MACs over the appendix B KDF and
 * PBMAC1 (RFC 9579), files without a MAC, NULL/empty/non-ASCII passwords. Work is bounded by
 * limits.ts: file size, key and certificate counts, KDF iterations per derivation and in total.
 *
 * Export writes one of two presets and re-reads every file before returning it.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { CertdeskError, throwIfAborted } from '../errors';
import { limits } from './limits';
import {
  KdfBudget,
  MalformedError,
  bmpStringOf,
  checkExportIterations,
  childrenOf,
  derBmpString,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  derSetOf,
  derTlv,
  derivePbkdf2,
  derivePkcs12,
  encodePbeScheme,
  encodingOf,
  equalBytes,
  expectSequence,
  expectTag,
  hashByName,
  hashes,
  hmacOf,
  integerOf,
  isPrivateKeyInfo,
  newPbeScheme,
  octetStringOf,
  oidOf,
  oids,
  passwordCandidates,
  pbeDecrypt,
  pbeEncrypt,
  presetIterations,
  randomBytes,
  readAlgorithm,
  readPbeScheme,
  readPbkdf2Params,
  readSingle,
  readTlv,
  translateError,
  unsupported,
  utf8Password,
  wrongPasswordError,
  exportError,
  type HashAlgorithm,
  type PbeContext,
  type PbeScheme,
  type Tlv,
} from './pbe';

/** Export presets: "modern" for current systems, "legacy" for old Windows, Java and appliances. */
export type Pkcs12Preset = 'modern' | 'legacy';

/** One bag's value with the attributes PKCS#12 attaches to it (RFC 7292 §4.2). */
export interface Pkcs12Bag<T> {
  friendlyName?: string;
  localKeyId?: Uint8Array;
  value: T;
}

/** What a PKCS#12 file holds, decrypted. */
export interface Pkcs12Contents {
  /** PKCS#8 PrivateKeyInfo DER (decrypted). */
  keys: Pkcs12Bag<Uint8Array>[];
  /** X.509 DER, in file order. */
  certificates: Pkcs12Bag<Uint8Array>[];
  /** 'none' = the file had no MAC, so nothing proves it was not altered: flag it to the admin. */
  integrity: 'mac' | 'pbmac1' | 'none';
}

const p12 = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  crlBag: '1.2.840.113549.1.12.10.1.4',
  secretBag: '1.2.840.113549.1.12.10.1.5',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
} as const;

/**
 * Cheap structural sniff for decode-by-content: a SEQUENCE holding INTEGER 3 and a ContentInfo
 * of type data or signedData (RFC 7292 §4). Reads only the outer headers.
 */
export function isPkcs12(bytes: Uint8Array): boolean {
  try {
    if (bytes.length > limits.maxFileBytes) return false;
    const top = readSingle(bytes, 'PKCS#12 file');
    if (top.tag !== 0x30) return false;
    const version = readTlvAfter(top, top.contentStart);
    if (version.tag !== 0x02 || integerOf(version, 'version') !== 3) return false;
    const authSafe = readTlvAfter(top, version.end);
    if (authSafe.tag !== 0x30) return false;
    const type = oidOf(readTlvAfter(authSafe, authSafe.contentStart), 'content type');
    return type === p12.data || type === p12.signedData;
  } catch {
    return false;
  }
}

/** The one child at `offset` inside `parent`, without reading its siblings. */
function readTlvAfter(parent: Tlv, offset: number): Tlv {
  return readTlv(parent.buf, offset, parent.contentEnd, parent.depth + 1);
}

// ---------------------------------------------------------------------------------------------
// Import

interface MacInfo {
  kind: 'mac' | 'pbmac1';
  digest: Uint8Array;
  /** Classic MAC (RFC 7292 §5): hash for both KDF and HMAC, salt, iterations. */
  hash: HashAlgorithm;
  salt: Uint8Array;
  iterations: number;
  /** PBMAC1 (RFC 9579 §2): PBKDF2 parameters. */
  pbkdf2?: { prf: HashAlgorithm; salt: Uint8Array; iterations: number; keyLength: number };
}

type SafeItem =
  | { kind: 'plain'; safeContents: Uint8Array }
  | { kind: 'encrypted'; scheme: PbeScheme; ciphertext: Uint8Array }
  | { kind: 'skipped' };

interface ParsedPfx {
  authSafe: Uint8Array;
  items: SafeItem[];
  mac?: MacInfo;
}

function readContentInfoContent(parts: Tlv[], what: string): Tlv {
  const wrapper = expectTag(parts[1], 0xa0, `the content of the ${what}`);
  const inner = childrenOf(wrapper);
  if (inner.length !== 1) throw new MalformedError(`the content of the ${what} is not one element`);
  return inner[0]!;
}

function parsePfx(bytes: Uint8Array): ParsedPfx {
  // PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
  const top = expectSequence(readSingle(bytes, 'PKCS#12 file'), 'the PKCS#12 file');
  if (top.length < 2 || top.length > 3) throw new MalformedError('it is not a PKCS#12 (PFX) structure');
  if (integerOf(top[0], 'the PKCS#12 version') !== 3) throw new MalformedError('its PKCS#12 version is not 3');
  const authSafeInfo = expectSequence(top[1], 'the authenticated safe');
  const authType = oidOf(authSafeInfo[0], 'the authenticated safe type');
  if (authType === p12.signedData) throw unsupported('public-key integrity (a signed PKCS#12)');
  if (authType !== p12.data) throw new MalformedError('its authenticated safe is not of type data');
  const authSafe = octetStringOf(readContentInfoContent(authSafeInfo, 'authenticated safe'), 'the authenticated safe');

  // AuthenticatedSafe ::= SEQUENCE OF ContentInfo (RFC 7292 §4.1)
  const infos = expectSequence(readSingle(authSafe, 'authenticated safe'), 'the authenticated safe');
  const items: SafeItem[] = infos.map((info) => {
    const parts = expectSequence(info, 'a content of the authenticated safe');
    const type = oidOf(parts[0], 'a content type');
    if (type === p12.data) {
      return { kind: 'plain', safeContents: octetStringOf(readContentInfoContent(parts, 'data content'), 'a data content') };
    }
    if (type === p12.encryptedData) {
      // EncryptedData ::= SEQUENCE { version, EncryptedContentInfo } (RFC 5652 §8)
      const enc = expectSequence(readContentInfoContent(parts, 'encrypted content'), 'the encrypted content');
      integerOf(enc[0], 'the EncryptedData version');
      const eci = expectSequence(enc[1], 'the encrypted content info');
      oidOf(eci[0], 'the encrypted content type');
      const scheme = readPbeScheme(eci[1], 'encrypted certificates');
      const body = eci[2];
      if (!body || (body.tag !== 0x80 && body.tag !== 0xa0)) throw new MalformedError('an encrypted content has no data');
      return { kind: 'encrypted', scheme, ciphertext: octetStringOf({ ...body, tag: body.constructed ? 0x24 : 0x04 }, 'the encrypted data') };
    }
    // Public-key privacy (envelopedData) needs the recipient's private key, which an import does
    // not have; OpenSSL skips such contents as well (test nomac_parse.p12 must still load).
    if (type === p12.envelopedData) return { kind: 'skipped' };
    throw new MalformedError(`it holds a content of unknown type ${type}`);
  });

  let mac: MacInfo | undefined;
  if (top[2]) mac = parseMacData(top[2]);
  return { authSafe, items, mac };
}

/** Shortest PBMAC1 key accepted (OpenSSL 3.5; see parseMacData). */
const PBMAC1_MIN_KEY_BYTES = 20;

function parseMacData(tlv: Tlv): MacInfo {
  // MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
  const parts = expectSequence(tlv, 'the MAC');
  const digestInfo = expectSequence(parts[0], 'the MAC value');
  const alg = readAlgorithm(digestInfo[0], 'the MAC algorithm');
  const digest = octetStringOf(digestInfo[1], 'the MAC value');
  const salt = octetStringOf(parts[1], 'the MAC salt');
  const iterations = parts[2] ? integerOf(parts[2], 'the MAC iteration count') : 1;
  if (alg.oid === oids.pbmac1) {
    // PBMAC1-params ::= SEQUENCE { keyDerivationFunc, messageAuthScheme } (RFC 8018 A.5, RFC 9579 §2).
    // MacData's own salt and iterations are ignored then (RFC 9579 §2).
    const params = expectSequence(alg.params, 'the PBMAC1 parameters');
    if (params.length !== 2) throw new MalformedError('the PBMAC1 parameters are incomplete');
    const kdf = readAlgorithm(params[0], 'the PBMAC1 key derivation');
    if (kdf.oid !== oids.pbkdf2) throw unsupported(`PBMAC1 with the key derivation ${kdf.oid}`);
    const p = readPbkdf2Params(kdf.params, 'MAC');
    const scheme = readAlgorithm(params[1], 'the PBMAC1 MAC algorithm');
    const hash = hashes.find((h) => h.hmacOid === scheme.oid);
    if (!hash) throw unsupported(`PBMAC1 with the MAC ${scheme.oid}`);
    // RFC 9579 §2: keyLength MUST be present. OpenSSL 3.5 accepts 20 … 64 bytes (its tests:
    // pbmac1_256_256.good-shorter-key-len has 20 and loads, .bad-key-len has 19 and must not;
    // 64 is EVP_MAX_MD_SIZE, the bound added for CVE-2025-11187).
    if (p.keyLength === undefined) throw new MalformedError('its PBMAC1 key length is missing');
    if (p.keyLength < PBMAC1_MIN_KEY_BYTES || p.keyLength > 64) {
      throw new MalformedError(`its PBMAC1 key length (${p.keyLength < 0 ? 'negative' : p.keyLength}) is out of range`);
    }
    if (p.salt.length === 0) throw new MalformedError('its PBMAC1 salt is empty');
    return { kind: 'pbmac1', digest, hash, salt, iterations, pbkdf2: { prf: p.prf, salt: p.salt, iterations: p.iterations, keyLength: p.keyLength } };
  }
  const hash = hashes.find((h) => h.digestOid === alg.oid);
  if (!hash) throw unsupported(`the MAC algorithm ${alg.oid}`);
  return { kind: 'mac', digest, hash, salt, iterations };
}

async function macMatches(ctx: PbeContext, mac: MacInfo, authSafe: Uint8Array, password: string | null): Promise<boolean> {
  let key: Uint8Array;
  if (mac.pbkdf2) {
    const k = mac.pbkdf2;
    key = await derivePbkdf2(ctx, k.prf, utf8Password(password), k.salt, k.iterations, k.keyLength, 'MAC');
  } else {
    key = await derivePkcs12(ctx, mac.hash, password, mac.salt, 3, mac.iterations, mac.hash.outputLen, 'MAC');
  }
  return equalBytes(hmacOf(mac.hash, key, authSafe), mac.digest);
}

/** Iterations a scheme costs: the PKCS#12 PBE derives key and IV separately. */
const schemeCost = (s: PbeScheme): number => (s.kind === 'pkcs12' ? 2 * s.iterations : s.iterations);

interface Collected {
  keys: Pkcs12Bag<Uint8Array>[];
  certificates: Pkcs12Bag<Uint8Array>[];
}

function readAttributes(tlv: Tlv | undefined): { friendlyName?: string; localKeyId?: Uint8Array } {
  const out: { friendlyName?: string; localKeyId?: Uint8Array } = {};
  if (!tlv) return out;
  expectTag(tlv, 0x31, 'the bag attributes');
  for (const attr of childrenOf(tlv)) {
    // PKCS12Attribute ::= SEQUENCE { attrId, attrValues SET OF } (RFC 7292 §4.2)
    const parts = expectSequence(attr, 'a bag attribute');
    const id = oidOf(parts[0], 'a bag attribute type');
    const values = childrenOf(expectTag(parts[1], 0x31, 'a bag attribute value'));
    // Windows writes the name NUL-terminated; the terminator is not part of the name.
    if (id === p12.friendlyName && values[0]) out.friendlyName = bmpStringOf(values[0]).replace(/\0+$/, '');
    if (id === p12.localKeyId && values[0]) out.localKeyId = octetStringOf(values[0], 'a localKeyId').slice();
  }
  return out;
}

interface Counts {
  keys: number;
  certificates: number;
}

function pushChecked<T>(list: Pkcs12Bag<T>[], bag: Pkcs12Bag<T>, counts: Counts, kind: keyof Counts): void {
  const [max, limitName, noun] =
    kind === 'keys'
      ? [limits.maxPkcs12Keys, 'limits.maxPkcs12Keys', 'private keys']
      : [limits.maxPkcs12Certificates, 'limits.maxPkcs12Certificates', 'certificates'];
  if (counts[kind] >= max) {
    throw new CertdeskError(
      'limit-exceeded',
      `This PKCS#12 file holds more than ${max} ${noun} (${limitName}); Certdesk stops there. ` +
        `Split the file, or export only what the appliance needs.`,
    );
  }
  counts[kind]++;
  list.push(bag);
}

async function collectBags(
  ctx: PbeContext,
  safeContents: Uint8Array,
  candidates: (string | null)[],
  out: Collected,
  counts: Counts,
  depth = 0,
): Promise<void> {
  // SafeContents ::= SEQUENCE OF SafeBag; SafeBag ::= SEQUENCE { bagId, [0] bagValue, bagAttributes SET OPTIONAL }
  const bags = expectSequence(readSingle(safeContents, 'safe contents'), 'the safe contents');
  const pending: Promise<void>[] = [];
  for (const bagTlv of bags) {
    const parts = expectSequence(bagTlv, 'a bag');
    const bagId = oidOf(parts[0], 'a bag type');
    const value = childrenOf(expectTag(parts[1], 0xa0, 'a bag value'));
    if (value.length !== 1) throw new MalformedError('a bag value is not one element');
    const attrs = readAttributes(parts[2]);
    const v = value[0]!;
    if (bagId === p12.keyBag) {
      const der = encodingOf(v);
      if (!isPrivateKeyInfo(der)) throw new MalformedError('a key bag does not hold a PKCS#8 private key');
      pushChecked(out.keys, { ...attrs, value: der.slice() }, counts, 'keys');
    } else if (bagId === p12.shroudedKeyBag) {
      // EncryptedPrivateKeyInfo (RFC 5958 §3)
      const epki = expectSequence(v, 'a shrouded key bag');
      if (epki.length !== 2) throw new MalformedError('a shrouded key bag is not {algorithm, encrypted data}');
      const scheme = readPbeScheme(epki[0], 'private key');
      const ciphertext = octetStringOf(epki[1], 'the encrypted private key');
      const slot: Pkcs12Bag<Uint8Array> = { ...attrs, value: new Uint8Array(0) };
      pushChecked(out.keys, slot, counts, 'keys');
      pending.push(
        decryptWithCandidates(ctx, scheme, ciphertext, candidates, 'private key', isPrivateKeyInfo).then((plain) => {
          slot.value = plain.slice();
        }),
      );
    } else if (bagId === p12.certBag) {
      // CertBag ::= SEQUENCE { certId, certValue [0] EXPLICIT } (RFC 7292 §4.2.3)
      const cb = expectSequence(v, 'a certificate bag');
      const certType = oidOf(cb[0], 'a certificate type');
      if (certType !== p12.x509Certificate) continue; // sdsiCertificate: nothing an appliance uses
      const inner = childrenOf(expectTag(cb[1], 0xa0, 'a certificate value'));
      const der = octetStringOf(inner[0], 'a certificate');
      const cert = readSingle(der, 'certificate');
      if (cert.tag !== 0x30) throw new MalformedError('a certificate bag does not hold a certificate');
      pushChecked(out.certificates, { ...attrs, value: der.slice() }, counts, 'certificates');
    } else if (bagId === p12.safeContentsBag) {
      if (depth >= 4) throw new MalformedError('its safe contents are nested too deeply');
      await collectBags(ctx, encodingOf(v), candidates, out, counts, depth + 1);
    }
    // CRL, secret and unknown bags are skipped: nothing in them is used (RFC 7292 §4.2.4–4.2.5).
  }
  await Promise.all(pending);
}

async function decryptWithCandidates(
  ctx: PbeContext,
  scheme: PbeScheme,
  ciphertext: Uint8Array,
  candidates: (string | null)[],
  what: string,
  accept: (plain: Uint8Array) => boolean,
): Promise<Uint8Array> {
  for (const candidate of candidates) {
    const plain = await pbeDecrypt(ctx, scheme, candidate, ciphertext, what);
    if (plain && accept(plain)) return plain;
  }
  throw wrongPasswordError('PKCS#12 file');
}

function isSafeContents(plain: Uint8Array): boolean {
  try {
    return readSingle(plain, 'safe contents').tag === 0x30;
  } catch {
    return false;
  }
}

async function readPkcs12(
  bytes: Uint8Array,
  password: string | null,
  signal: AbortSignal | undefined,
  cache?: Map<string, Uint8Array>,
): Promise<Pkcs12Contents> {
  throwIfAborted(signal);
  if (bytes.length > limits.maxFileBytes) {
    throw new CertdeskError(
      'limit-exceeded',
      `This file is ${bytes.length.toLocaleString('en-US')} bytes; Certdesk reads files up to ` +
        `${limits.maxFileBytes.toLocaleString('en-US')} bytes (limits.maxFileBytes).`,
    );
  }
  if (bytes.length === 0) throw new CertdeskError('pkcs12-malformed', 'This file is empty.');
  const ctx: PbeContext = { budget: new KdfBudget(), signal, cache };
  const pfx = parsePfx(bytes);

  // Reject over-limit files before any derivation runs (the budget checks again as it spends).
  let planned = 0;
  if (pfx.mac) {
    const it = pfx.mac.pbkdf2 ? pfx.mac.pbkdf2.iterations : pfx.mac.iterations;
    ctx.budget.check(it, 'MAC');
    planned += it;
  }
  for (const item of pfx.items) {
    if (item.kind === 'encrypted') {
      ctx.budget.check(item.scheme.iterations, 'encrypted certificates');
      planned += schemeCost(item.scheme);
    }
  }
  ctx.budget.checkTotal(planned);

  const candidates = passwordCandidates(password);
  if (!pfx.mac) {
    const out = await readContents(ctx, pfx.items, candidates);
    return { ...out, integrity: 'none' };
  }
  const mac = pfx.mac;
  if (candidates.length === 1) {
    // One password to try: check the MAC while the contents are decrypted (WebCrypto's PBKDF2
    // runs off the main thread, the PKCS#12 KDF of the MAC on it). The MAC decides the outcome.
    // Start the contents first: their PBKDF2 is handed to WebCrypto before the MAC loop runs.
    const contentsPromise = readContents(ctx, pfx.items, candidates);
    const macPromise = macMatches(ctx, mac, pfx.authSafe, candidates[0]!);
    const [contents, macOk] = await Promise.allSettled([contentsPromise, macPromise]);
    if (macOk.status === 'rejected') throw macOk.reason;
    if (!macOk.value) throw wrongPasswordError('PKCS#12 file');
    if (contents.status === 'rejected') throw contents.reason;
    return { ...contents.value, integrity: mac.kind };
  }
  for (const candidate of candidates) {
    if (await macMatches(ctx, mac, pfx.authSafe, candidate)) {
      return { ...(await readContents(ctx, pfx.items, [candidate])), integrity: mac.kind };
    }
  }
  throw wrongPasswordError('PKCS#12 file');
}

/**
 * Decrypts and reads all contents concurrently, and returns their bags in file order. Counts
 * are checked across all contents as bags are found, so the limits hold before the work.
 */
async function readContents(ctx: PbeContext, items: SafeItem[], candidates: (string | null)[]): Promise<Collected> {
  const counts = { keys: 0, certificates: 0 };
  const parts = await Promise.all(
    items.map(async (item) => {
      const out: Collected = { keys: [], certificates: [] };
      const safeContents =
        item.kind === 'plain'
          ? item.safeContents
          : item.kind === 'skipped'
            ? undefined
            : await decryptWithCandidates(ctx, item.scheme, item.ciphertext, candidates, 'certificates', isSafeContents);
      if (safeContents) await collectBags(ctx, safeContents, candidates, out, counts);
      return out;
    }),
  );
  throwIfAborted(ctx.signal);
  return { keys: parts.flatMap((p) => p.keys), certificates: parts.flatMap((p) => p.certificates) };
}

/**
 * Reads a PKCS#12 file. `password` null means "no password" (tried as NULL and as "", as
 * OpenSSL does). Errors (CertdeskError): 'wrong-password', 'pkcs12-malformed',
 * 'unsupported-algorithm', 'limit-exceeded'; cancellation is an AbortError.
 */
export async function importPkcs12(
  bytes: Uint8Array,
  password: string | null,
  options: { signal?: AbortSignal } = {},
): Promise<Pkcs12Contents> {
  try {
    return await readPkcs12(bytes, password, options.signal);
  } catch (error) {
    throw translateError(error, 'pkcs12-malformed', 'PKCS#12 file');
  }
}

// ---------------------------------------------------------------------------------------------
// Export

/** What exportPkcs12 takes. */
export interface Pkcs12ExportInput {
  /** PKCS#8 PrivateKeyInfo DER. */
  privateKey?: Uint8Array;
  /** DER certificates: the leaf first, then its chain. */
  certificates: Uint8Array[];
  /** Put on the key bag and the leaf's certificate bag. */
  friendlyName?: string;
  password: string;
  preset: Pkcs12Preset;
  /** Defaults: 100,000 (modern), 2048 (legacy). */
  iterations?: number;
  signal?: AbortSignal;
}

function attributes(friendlyName: string | undefined, localKeyId: Uint8Array | undefined): Uint8Array[] {
  const attrs: Uint8Array[] = [];
  if (friendlyName !== undefined) attrs.push(derSequence(derOid(p12.friendlyName), derSetOf(derBmpString(friendlyName))));
  if (localKeyId) attrs.push(derSequence(derOid(p12.localKeyId), derSetOf(derOctetString(localKeyId))));
  return attrs.length ? [derSetOf(...attrs)] : [];
}

function safeBag(bagId: string, value: Uint8Array, attrs: Uint8Array[]): Uint8Array {
  return derSequence(derOid(bagId), derTlv(0xa0, value), ...attrs);
}

function dataContentInfo(content: Uint8Array): Uint8Array {
  return derSequence(derOid(p12.data), derTlv(0xa0, derOctetString(content)));
}

/**
 * Writes a PKCS#12 file.
 * - modern: certificates and key under PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), HMAC-SHA256 MAC,
 *   100,000 iterations by default for all three — under the 300,000 .NET's default loader and
 *   Windows accept, far above OpenSSL's 2,048.
 * - legacy: certificates and key under pbeWithSHAAnd3-KeyTripleDES-CBC, SHA-1 MAC, 2048
 *   iterations by default: OpenSSL's PKCS12_DEFAULT_ITER, which is what Java keytool, Windows
 *   (TripleDES-SHA1) and OpenSSL -legacy write, so every reader old enough to need this preset
 *   has met it (more buys little on a SHA-1/3DES file).
 * friendlyName and localKeyId (SHA-1 of the leaf certificate, as OpenSSL sets it) go on the
 * key bag and the leaf's bag. The file is read back with importPkcs12 and compared before it is
 * returned; a mismatch is CertdeskError 'export-verify-failed'.
 */
export async function exportPkcs12(input: Pkcs12ExportInput): Promise<Uint8Array> {
  try {
    return await writePkcs12(input);
  } catch (error) {
    throw exportError(error, 'PKCS#12 file');
  }
}

async function writePkcs12(input: Pkcs12ExportInput): Promise<Uint8Array> {
  const { privateKey, certificates, friendlyName, password, preset, signal } = input;
  throwIfAborted(signal);
  if (preset !== 'modern' && preset !== 'legacy') {
    throw new CertdeskError('invalid-input', `Unknown PKCS#12 preset "${String(preset)}": choose modern or legacy.`);
  }
  const iterations = input.iterations ?? presetIterations[preset];
  checkExportIterations(iterations);
  if (typeof password !== 'string') throw new CertdeskError('invalid-input', 'A PKCS#12 file needs a password.');
  // Our own importer must be able to read the file back within limits.maxKdfIterationsTotal:
  // the MAC, plus per encrypted part one PBKDF2 (modern) or two PKCS#12 derivations (legacy).
  const parts = (certificates.length ? 1 : 0) + (privateKey ? 1 : 0);
  const planned = iterations * (1 + parts * (preset === 'modern' ? 1 : 2));
  if (planned > limits.maxKdfIterationsTotal) {
    throw new CertdeskError(
      'limit-exceeded',
      `${iterations.toLocaleString('en-US')} iterations would need ${planned.toLocaleString('en-US')} key derivations in ` +
        `total, more than Certdesk reads back (limits.maxKdfIterationsTotal). Choose fewer iterations.`,
    );
  }
  if (!privateKey && certificates.length === 0) {
    throw new CertdeskError('invalid-input', 'There is nothing to export: no key and no certificate.');
  }
  if (certificates.length > limits.maxPkcs12Certificates) {
    throw new CertdeskError(
      'limit-exceeded',
      `A PKCS#12 file can hold up to ${limits.maxPkcs12Certificates} certificates here (limits.maxPkcs12Certificates).`,
    );
  }
  if (privateKey && !isPrivateKeyInfo(privateKey)) {
    throw new CertdeskError('invalid-input', 'The private key to export is not a PKCS#8 private key.');
  }
  for (const cert of certificates) {
    let ok = false;
    try {
      ok = readSingle(cert, 'certificate').tag === 0x30;
    } catch {
      ok = false;
    }
    if (!ok) throw new CertdeskError('invalid-input', 'One of the certificates to export is not DER.');
  }

  const ctx: PbeContext = { budget: new KdfBudget(), signal, cache: new Map() };
  const leaf = certificates[0];
  const localKeyId = privateKey && leaf ? sha1(leaf) : undefined;

  const certBags = certificates.map((cert, i) =>
    safeBag(
      p12.certBag,
      derSequence(derOid(p12.x509Certificate), derTlv(0xa0, derOctetString(cert))),
      i === 0 ? attributes(friendlyName, localKeyId) : [],
    ),
  );

  const macHash = hashByName(preset === 'modern' ? 'SHA-256' : 'SHA-1');
  const macSalt = randomBytes(preset === 'modern' ? 16 : 8);
  const certScheme = newPbeScheme(preset, iterations);
  const keyScheme = newPbeScheme(preset, iterations);

  // The three derivations are independent: run them together.
  const [certContentInfo, keyContentInfo, macKey] = await Promise.all([
    certBags.length
      ? pbeEncrypt(ctx, certScheme, password, derSequence(...certBags), 'certificates').then((ciphertext) =>
          derSequence(
            derOid(p12.encryptedData),
            derTlv(
              0xa0,
              derSequence(
                derInteger(0),
                derSequence(derOid(p12.data), encodePbeScheme(certScheme), derTlv(0x80, ciphertext)),
              ),
            ),
          ),
        )
      : Promise.resolve(undefined),
    privateKey
      ? pbeEncrypt(ctx, keyScheme, password, privateKey, 'private key').then((ciphertext) =>
          dataContentInfo(
            derSequence(
              safeBag(
                p12.shroudedKeyBag,
                derSequence(encodePbeScheme(keyScheme), derOctetString(ciphertext)),
                attributes(friendlyName, localKeyId),
              ),
            ),
          ),
        )
      : Promise.resolve(undefined),
    derivePkcs12(ctx, macHash, password, macSalt, 3, iterations, macHash.outputLen, 'MAC'),
  ]);

  const authSafe = derSequence(...[certContentInfo, keyContentInfo].filter((x): x is Uint8Array => x !== undefined));
  const macData = derSequence(
    derSequence(derSequence(derOid(macHash.digestOid), derNull()), derOctetString(hmacOf(macHash, macKey, authSafe))),
    derOctetString(macSalt),
    derInteger(iterations),
  );
  const pfx = derSequence(derInteger(3), dataContentInfo(authSafe), macData);

  // Read it back as any importer would (the cache spares only the deterministic KDF runs).
  let back: Pkcs12Contents;
  try {
    back = await readPkcs12(pfx, password, signal, ctx.cache);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new CertdeskError('export-verify-failed', 'The PKCS#12 file did not read back; nothing was exported. Please report this.', {
      cause: error,
    });
  }
  const same =
    back.keys.length === (privateKey ? 1 : 0) &&
    (!privateKey || equalBytes(back.keys[0]!.value, privateKey)) &&
    back.certificates.length === certificates.length &&
    certificates.every((c, i) => equalBytes(back.certificates[i]!.value, c)) &&
    (friendlyName === undefined || back.certificates.length === 0 || back.certificates[0]!.friendlyName === friendlyName);
  if (!same) {
    throw new CertdeskError('export-verify-failed', 'The PKCS#12 file did not read back identically; nothing was exported. Please report this.');
  }
  return pfx;
}
