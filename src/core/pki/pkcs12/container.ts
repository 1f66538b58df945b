/**
 * Reading PKCS#12 files (RFC 7292): what OpenSSL 1.x/3.x, Windows, Java, BouncyCastle, pyca and
 * node-forge write — BER where Windows and Java use it, PBES2 and the legacy PKCS#12 PBE
 * ciphers (pbes.ts), the classic MAC and PBMAC1 (mac.ts), files without a MAC, NULL, empty and
 * non-ASCII passwords. Bounded before any work: file size, bag counts, iteration counts, salts,
 * and the work of every derivation the file asks for, every password candidate counted (budget.ts).
 */
import { CertdeskError, throwIfAborted } from '../../errors';
import { Asn1Error, OID, TAG, children, context, expectTag, fieldsOf, readAlgorithm, readDer, readInteger, readOctetString, readOid, readSmallInteger, readTlv, type Tlv } from '../asn1';
import { parseName } from '../x509/name';
import { limits } from '../limits';
import { readSafeContents, type BagCounts, type ParsedBag, type Pkcs12Bag } from './bags';
import { WorkBudget } from './budget';
import { translateReadError, unsupportedError, wrongPasswordError } from './errors';
import type { KdfContext } from './kdf';
import { macMatches, macWork, readMacData, type MacInfo } from './mac';
import { passwordCandidates } from './passwords';
import { pbeDecrypt, pbeWork, readPbeScheme, type PbeScheme } from './pbes';
import { checkPrivateKeyInfo, looksLikeSequence } from './pkcs8';

/** What a PKCS#12 file holds, decrypted. */
export interface Pkcs12Contents {
  /** PKCS#8 PrivateKeyInfo DER (decrypted). */
  keys: Pkcs12Bag<Uint8Array>[];
  /** X.509 DER, in file order. */
  certificates: Pkcs12Bag<Uint8Array>[];
  /** 'none' = the file had no MAC, so nothing proves it was not altered: flag it to the admin. */
  integrity: 'mac' | 'pbmac1' | 'none';
}

type SafeItem = { kind: 'plain'; bags: ParsedBag[] } | { kind: 'encrypted'; scheme: PbeScheme; ciphertext: Uint8Array } | { kind: 'skipped' };

interface ParsedPfx {
  authSafe: Uint8Array;
  items: SafeItem[];
  mac?: MacInfo;
  counts: BagCounts;
}

/**
 * Cheap structural sniff for decode-by-content: a SEQUENCE holding INTEGER 3 and a ContentInfo
 * of type data or signedData (RFC 7292 §4). Reads only the outer headers.
 */
export function isPkcs12(bytes: Uint8Array): boolean {
  try {
    if (bytes.length > limits.maxFileBytes) return false;
    const top = readDer(bytes, 'ber');
    if (top.tag !== TAG.SEQUENCE) return false;
    const version = readTlv(bytes, top.contentStart, top.contentEnd, 'ber', 1);
    if (readSmallInteger(version, 'version') !== 3) return false;
    const authSafe = readTlv(bytes, version.end, top.contentEnd, 'ber', 1);
    if (authSafe.tag !== TAG.SEQUENCE) return false;
    const type = readOid(readTlv(bytes, authSafe.contentStart, authSafe.contentEnd, 'ber', 2), 'content type');
    return type === OID.data || type === OID.signedData;
  } catch {
    return false;
  }
}

/** The one element inside a ContentInfo's `[0] EXPLICIT content`. */
function explicitContent(tlv: Tlv, what: string): Tlv {
  const inner = children(tlv);
  if (inner.length !== 1) throw new Asn1Error('invalid-encoding', `the content of the ${what} is not one element`);
  return inner[0]!;
}

/**
 * Reads the outline of an EnvelopedData (RFC 7292 §4.1 takes it from PKCS #7, RFC 2315 §10.1):
 * SEQUENCE { version, recipientInfos SET OF RecipientInfo, encryptedContentInfo }, each
 * RecipientInfo (§10.2) SEQUENCE { version, issuerAndSerialNumber, keyEncryptionAlgorithm,
 * encryptedKey OCTET STRING }. Nothing in it is decrypted. Throws Asn1Error.
 */
function checkEnvelopedData(tlv: Tlv): void {
  const f = fieldsOf(tlv, 'the enveloped data');
  readSmallInteger(f.next(TAG.INTEGER, 'the version'), 'the EnvelopedData version', 4);
  for (const recipient of children(f.next(TAG.SET, 'the recipients'))) {
    const r = fieldsOf(recipient, 'a recipient of the enveloped data');
    readSmallInteger(r.next(TAG.INTEGER, 'the version'), 'the RecipientInfo version', 4);
    // IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber CertificateSerialNumber } (RFC 2315 §6.7)
    const id = fieldsOf(r.next(TAG.SEQUENCE, 'the issuer and serial number'), 'the recipient\'s issuer and serial number');
    parseName(id.next(TAG.SEQUENCE, 'the issuer'), 'the recipient\'s issuer');
    readInteger(id.next(TAG.INTEGER, 'the serial number'), 'the recipient\'s serial number');
    id.end();
    readAlgorithm(r.next(TAG.SEQUENCE, 'the key encryption algorithm'), 'the recipient\'s key encryption algorithm');
    readOctetString(r.next(undefined, 'the encrypted key'), 'the recipient\'s encrypted key');
    r.end();
  }
  const eci = fieldsOf(f.next(TAG.SEQUENCE, 'the encrypted content info'), 'the enveloped content info');
  readOid(eci.next(TAG.OID, 'the content type'), 'the enveloped content type');
  readAlgorithm(eci.next(TAG.SEQUENCE, 'the encryption algorithm'), 'the enveloped content\'s encryption algorithm');
  // encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL, primitive or (BER) constructed
  if (!eci.done) readOctetString(eci.next(undefined, 'the encrypted content'), 'the enveloped content', context(0, false));
  eci.end();
  f.end();
}

function readSafeItem(info: Tlv, counts: BagCounts): SafeItem {
  // ContentInfo ::= SEQUENCE { contentType, [0] EXPLICIT content } (RFC 5652 §3)
  const f = fieldsOf(info, 'a content of the authenticated safe');
  const type = readOid(f.next(TAG.OID, 'the content type'), 'a content type');
  if (type === OID.data) {
    const content = explicitContent(f.next(context(0, true), 'the data'), 'data content');
    f.end();
    return { kind: 'plain', bags: readSafeContents(readDer(readOctetString(content, 'a data content'), 'ber'), counts) };
  }
  if (type === OID.encryptedData) {
    // EncryptedData ::= SEQUENCE { version, EncryptedContentInfo } (RFC 5652 §8);
    // EncryptedContentInfo ::= SEQUENCE { contentType, contentEncryptionAlgorithm, [0] IMPLICIT encryptedContent }
    const enc = fieldsOf(explicitContent(f.next(context(0, true), 'the encrypted data'), 'encrypted content'), 'the encrypted content');
    f.end();
    readSmallInteger(enc.next(TAG.INTEGER, 'the version'), 'the EncryptedData version', 2);
    const eci = fieldsOf(enc.next(TAG.SEQUENCE, 'the encrypted content info'), 'the encrypted content info');
    enc.end();
    readOid(eci.next(TAG.OID, 'the encrypted content type'), 'the encrypted content type');
    const scheme = readPbeScheme(eci.next(TAG.SEQUENCE, 'the encryption algorithm'), 'encrypted certificates');
    const body = eci.next(undefined, 'the encrypted content');
    eci.end();
    return { kind: 'encrypted', scheme, ciphertext: readOctetString(body, 'the encrypted data', context(0, false)) };
  }
  // Public-key privacy (envelopedData) needs the recipient's private key, which an import does
  // not have; OpenSSL skips such contents as well (test nomac_parse.p12 must still load). A damaged
  // one is still a damaged file, refused as OpenSSL refuses it: its outline is read first.
  if (type === OID.envelopedData) {
    checkEnvelopedData(explicitContent(f.next(context(0, true), 'the enveloped data'), 'enveloped content'));
    f.end();
    return { kind: 'skipped' };
  }
  throw new Asn1Error('invalid-encoding', `it holds a content of unknown type ${type}`);
}

function parsePfx(bytes: Uint8Array): ParsedPfx {
  // PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
  const f = fieldsOf(readDer(bytes, 'ber'), 'the PKCS#12 file');
  if (readSmallInteger(f.next(TAG.INTEGER, 'the version'), 'the PKCS#12 version', 255) !== 3) throw new Asn1Error('invalid-encoding', 'its PKCS#12 version is not 3');
  const authSafeInfo = fieldsOf(f.next(TAG.SEQUENCE, 'the authenticated safe'), 'the authenticated safe');
  const macTlv = f.optional(TAG.SEQUENCE);
  f.end();
  const authType = readOid(authSafeInfo.next(TAG.OID, 'the type'), 'the authenticated safe type');
  if (authType === OID.signedData) throw unsupportedError('public-key integrity (a signed PKCS#12)');
  if (authType !== OID.data) throw new Asn1Error('invalid-encoding', 'its authenticated safe is not of type data');
  const authSafe = readOctetString(explicitContent(authSafeInfo.next(context(0, true), 'the content'), 'authenticated safe'), 'the authenticated safe');
  authSafeInfo.end();
  // AuthenticatedSafe ::= SEQUENCE OF ContentInfo (RFC 7292 §4.1)
  const counts: BagCounts = { bags: 0, keys: 0, certificates: 0 };
  const infos = children(expectTag(readDer(authSafe, 'ber'), TAG.SEQUENCE, 'the authenticated safe'));
  const items = infos.map((info) => readSafeItem(info, counts));
  const parsed: ParsedPfx = { authSafe, items, counts };
  if (macTlv) parsed.mac = readMacData(macTlv);
  return parsed;
}

/**
 * The most work reading `pfx` can take with these candidates: the MAC with each candidate, and
 * each encrypted content and shrouded key known before decryption with the costliest candidate
 * (with a MAC, one candidate is chosen first) or with each (without one, all may be tried).
 */
function plannedWork(pfx: ParsedPfx, candidates: (string | null)[]): number {
  let work = pfx.mac ? candidates.reduce((sum, c) => sum + macWork(pfx.mac!, c, pfx.authSafe.length), 0) : 0;
  const schemes = pfx.items.flatMap((item) =>
    item.kind === 'encrypted' ? [item.scheme] : item.kind === 'plain' ? item.bags.flatMap((b) => (b.kind === 'shrouded' ? [b.bag.value.scheme] : [])) : [],
  );
  for (const scheme of schemes) work += schemeWork(scheme, candidates, pfx.mac !== undefined);
  return work;
}

function schemeWork(scheme: PbeScheme, candidates: (string | null)[], oneCandidate: boolean): number {
  const each = candidates.map((c) => pbeWork(scheme, c));
  return oneCandidate ? Math.max(...each) : each.reduce((a, b) => a + b, 0);
}

async function decryptWithCandidates(
  ctx: KdfContext,
  scheme: PbeScheme,
  ciphertext: Uint8Array,
  candidates: (string | null)[],
  what: 'private key' | 'certificates',
): Promise<Uint8Array> {
  // A shrouded key bag holds a PrivateKeyInfo (its version INTEGER first); an encrypted content a
  // SafeContents (a SEQUENCE OF SafeBag, RFC 7292 §4.2).
  const first = what === 'private key' ? TAG.INTEGER : TAG.SEQUENCE;
  for (const candidate of candidates) {
    const plain = await pbeDecrypt(ctx, scheme, candidate, ciphertext, what);
    if (plain && looksLikeSequence(plain, first)) return plain;
  }
  throw wrongPasswordError('PKCS#12 file');
}

interface Collected {
  keys: Pkcs12Bag<Uint8Array>[];
  certificates: Pkcs12Bag<Uint8Array>[];
}

/** Decrypts the shrouded keys of `bags` (planned first, then run together) and returns keys and certificates in order. */
async function openBags(ctx: KdfContext, bags: ParsedBag[], candidates: (string | null)[]): Promise<Collected> {
  ctx.budget.plan(bags.reduce((sum, b) => sum + (b.kind === 'shrouded' ? schemeWork(b.bag.value.scheme, candidates, candidates.length === 1) : 0), 0));
  const out: Collected = { keys: [], certificates: [] };
  const pending: Promise<void>[] = [];
  for (const b of bags) {
    if (b.kind === 'certificate') out.certificates.push(b.bag);
    else if (b.kind === 'key') out.keys.push(b.bag);
    else {
      const { scheme, ciphertext } = b.bag.value;
      const slot: Pkcs12Bag<Uint8Array> = { ...b.bag, value: new Uint8Array(0) };
      out.keys.push(slot);
      pending.push(
        decryptWithCandidates(ctx, scheme, ciphertext, candidates, 'private key').then((plain) => {
          checkPrivateKeyInfo(plain); // the bounded walk before anything parses the key
          slot.value = plain.slice();
        }),
      );
    }
  }
  await Promise.all(pending);
  return out;
}

/** Decrypts and reads all contents concurrently, and returns their bags in file order. */
async function readContents(ctx: KdfContext, pfx: ParsedPfx, candidates: (string | null)[]): Promise<Collected> {
  const parts = await Promise.all(
    pfx.items.map(async (item): Promise<Collected> => {
      if (item.kind === 'skipped') return { keys: [], certificates: [] };
      if (item.kind === 'plain') return openBags(ctx, item.bags, candidates);
      const plain = await decryptWithCandidates(ctx, item.scheme, item.ciphertext, candidates, 'certificates');
      return openBags(ctx, readSafeContents(readDer(plain, 'ber'), pfx.counts), candidates);
    }),
  );
  throwIfAborted(ctx.signal);
  return { keys: parts.flatMap((p) => p.keys), certificates: parts.flatMap((p) => p.certificates) };
}

/**
 * A MAC that verified proves the password right (RFC 7292 §5.1): a part that then does not
 * decrypt to what it should hold is damaged, never a wrong password.
 */
function afterVerifiedMac(error: unknown): unknown {
  if (!(error instanceof CertdeskError) || error.code !== 'wrong-password') return error;
  return new CertdeskError(
    'pkcs12-malformed',
    'The password is right (it verifies the file\'s integrity check), but a part it encrypts does not decrypt to what it should hold: ' +
      'the file is damaged. Export it again from the system that made it.',
    { cause: error },
  );
}

/** Reads a PKCS#12 file; `ctx.cache` lets an export re-read its own file without redoing its KDFs. */
export async function readPkcs12(bytes: Uint8Array, password: string | null, ctx: KdfContext): Promise<Pkcs12Contents> {
  throwIfAborted(ctx.signal);
  if (bytes.length > limits.maxFileBytes) {
    throw new CertdeskError(
      'limit-exceeded',
      `This file is ${bytes.length.toLocaleString('en-US')} bytes; Certdesk reads files up to ` +
        `${limits.maxFileBytes.toLocaleString('en-US')} bytes (limits.maxFileBytes).`,
    );
  }
  if (bytes.length === 0) throw new CertdeskError('pkcs12-malformed', 'This file is empty.');
  const pfx = parsePfx(bytes);
  const candidates = passwordCandidates(password);
  // Refuse an over-budget file before any derivation runs (each derivation is charged again as it starts).
  ctx.budget.plan(plannedWork(pfx, candidates));

  const mac = pfx.mac;
  if (!mac) return { ...(await readContents(ctx, pfx, candidates)), integrity: 'none' };
  if (candidates.length === 1) {
    // One password to try: check the MAC while the contents are decrypted (WebCrypto's PBKDF2
    // runs off the main thread, the PKCS#12 KDF of the MAC on it). The MAC decides the outcome.
    // Start the contents first: their PBKDF2 is handed to WebCrypto before the MAC loop runs.
    const contentsPromise = readContents(ctx, pfx, candidates);
    const macPromise = macMatches(ctx, mac, pfx.authSafe, candidates[0]!);
    const [contents, macOk] = await Promise.allSettled([contentsPromise, macPromise]);
    if (macOk.status === 'rejected') throw macOk.reason;
    if (!macOk.value) throw wrongPasswordError('PKCS#12 file');
    if (contents.status === 'rejected') throw afterVerifiedMac(contents.reason);
    return { ...contents.value, integrity: mac.kind };
  }
  for (const candidate of candidates) {
    if (await macMatches(ctx, mac, pfx.authSafe, candidate)) {
      const contents = await readContents(ctx, pfx, [candidate]).catch((error: unknown) => {
        throw afterVerifiedMac(error);
      });
      return { ...contents, integrity: mac.kind };
    }
  }
  throw wrongPasswordError('PKCS#12 file');
}

/**
 * Reads a PKCS#12 file. `password` null means "no password" (tried as NULL and as "", as
 * OpenSSL does). `options.budget` is the work budget of the file within an import (by default
 * a file of its own). Errors (CertdeskError): 'wrong-password', 'pkcs12-malformed',
 * 'unsupported-algorithm', 'limit-exceeded', 'work-limit-exceeded'; cancellation is an AbortError.
 */
export async function importPkcs12(
  bytes: Uint8Array,
  password: string | null,
  options: { signal?: AbortSignal; budget?: WorkBudget } = {},
): Promise<Pkcs12Contents> {
  try {
    const ctx: KdfContext = { budget: options.budget ?? new WorkBudget() };
    if (options.signal) ctx.signal = options.signal;
    return await readPkcs12(bytes, password, ctx);
  } catch (error) {
    throw translateReadError(error, 'pkcs12-malformed', 'PKCS#12 file');
  }
}
