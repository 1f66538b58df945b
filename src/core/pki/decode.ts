/**
 * Decoding any input by its content, never by its file name: DER, PEM (any number of blocks,
 * any line endings, text around them), base64 without armour, PKCS#7 certificate bundles (DER
 * or BER), PKCS#12, private keys (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1) and CSRs.
 *
 * Everything is sized and walked with the one bounded reader (asn1/: readDer, checkStructure)
 * before any library parser sees it (asn1js's OID parser is quadratic, RELIABILITY.md), so
 * hostile input ends in a typed CertdeskError within a bounded amount of work.
 */
import { CertdeskError, throwIfAborted } from '../errors';
import { children, readTlv, TAG } from './asn1';
import { limits } from './limits';
import { parseCertificate, readCertificate } from './x509';
import { checkInputSize, classifyDer, expectKind, invalidDer, isKind, nothingUsable, OID_PKCS7_PREFIX, oidText } from './der-kind';
import { fileText, parsePem, looksLikePem, type PemBlock } from './pem';
import { readBase64 } from './asn1/bytes';
import { pkcs1ToPkcs8, publicKeyFromPrivateKey, sec1ToPkcs8, sha256Hex } from './keys';
import { WorkBudget, decryptPrivateKeyInfo, encryptedPrivateKeyWork, importPkcs12 } from './pkcs12';

export interface DecodedCertificate {
  der: Uint8Array;
  friendlyName?: string;
}

export interface DecodedPrivateKey {
  /** PKCS#8 PrivateKeyInfo DER (decrypted, converted from PKCS#1/SEC1 when needed). */
  pkcs8: Uint8Array;
  /** SubjectPublicKeyInfo DER of the key's public half. */
  spki: Uint8Array;
  /** Lower-case hex SHA-256 of `spki`: compare with a certificate's to link them. */
  publicKeySha256: string;
  friendlyName?: string;
}

export interface DecodedInput {
  certificates: DecodedCertificate[];
  privateKeys: DecodedPrivateKey[];
  requests: { der: Uint8Array }[];
  /** For PKCS#12 only: how the file's integrity was protected ('none' deserves a warning). */
  integrity?: 'mac' | 'pbmac1' | 'none';
  container: 'der' | 'pem' | 'base64' | 'pkcs7' | 'pkcs12';
  /** Hash compressions the file's key derivations took (pkcs12/budget.ts): add them up over one import. */
  workSpent?: number;
}

/** What decodeInput's readers share for one file: the password, cancellation and the file's work budget. */
interface DecodeOptions {
  password?: string | null;
  signal?: AbortSignal;
  budget: WorkBudget;
}

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';

/**
 * Decodes a file or pasted text into certificates, private keys and requests.
 * @param options.password for PKCS#12 and encrypted keys; leave it undefined to be told
 *   (`password-required`) when one is needed. null means "no password".
 * @param options.importWorkSpent the `workSpent` of the files before this one in the same
 *   import, so that together they stay within limits.maxWorkPerImport.
 * @throws CertdeskError with a stable code; see the hostile-input list in RELIABILITY.md.
 */
export async function decodeInput(
  bytes: Uint8Array,
  options: { password?: string | null; signal?: AbortSignal; importWorkSpent?: number } = {},
): Promise<DecodedInput> {
  const budget = new WorkBudget({ importSpent: options.importWorkSpent ?? 0 });
  const decodeOptions: DecodeOptions = { budget };
  if (options.password !== undefined) decodeOptions.password = options.password;
  if (options.signal) decodeOptions.signal = options.signal;
  const out = await decodeFile(bytes, decodeOptions);
  out.workSpent = budget.spent;
  return out;
}

async function decodeFile(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedInput> {
  throwIfAborted(options.signal);
  checkInputSize(bytes);
  if (bytes[0] === 0x30) {
    try {
      return await decodeBinary(bytes, 'der', options);
    } catch (error) {
      // 0x30 is also the character "0": text that happens to start with it (asn1parse output
      // above a PEM block) is still read as text.
      if (!(error instanceof CertdeskError) || !looksLikePem(fileText(bytes.subarray(0, 64 * 1024)))) throw error;
    }
  }
  const text = fileText(bytes);
  if (looksLikePem(text)) return decodePem(text, options);
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (/^<(!doctype|html|\?xml|head|body)/i.test(trimmed)) {
    throw new CertdeskError(
      'html-not-certificate',
      'This file is a web page (HTML), not a certificate: the browser probably saved an error or download page. Download the certificate itself, or copy its PEM text.',
    );
  }
  if (/^[{[]/.test(trimmed)) {
    throw new CertdeskError(
      'json-not-certificate',
      'This file is JSON data, not a certificate. If it came from an API, take the PEM text out of it (the part from -----BEGIN to -----END).',
    );
  }
  const der = readBase64(trimmed.replace(/\s+/g, ''));
  if (der?.[0] === 0x30) return decodeBinary(der, 'base64', options);
  throw new CertdeskError(
    'unrecognised-content',
    'This file is not a certificate, key, request, PKCS#7 or PKCS#12 file that Certdesk can read. Check that you chose the right file.',
  );
}

// ---------------------------------------------------------------------------------------------
// PEM

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const REQUEST_LABELS = new Set(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);
const PKCS7_LABELS = new Set(['PKCS7', 'PKCS #7 SIGNED DATA', 'CERTIFICATE CHAIN']);
const PRIVATE_KEY_LABELS = new Set(['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);
/** Blocks that may sit beside useful ones and carry nothing to import. */
const IGNORED_LABELS = new Set(['EC PARAMETERS', 'DH PARAMETERS', 'X9.42 DH PARAMETERS']);

async function decodePem(text: string, options: DecodeOptions): Promise<DecodedInput> {
  const blocks = parsePem(text);
  const certificateBlocks = blocks.filter((b) => CERTIFICATE_LABELS.has(b.label)).length;
  checkCertificateCount(certificateBlocks);
  checkBlockCount(blocks.filter((b) => PRIVATE_KEY_LABELS.has(b.label)).length, limits.maxPrivateKeysPerBundle, 'private keys (limits.maxPrivateKeysPerBundle)', 'Import the key that belongs to your certificate on its own.');
  checkBlockCount(blocks.filter((b) => REQUEST_LABELS.has(b.label)).length, limits.maxRequestsPerBundle, 'certificate requests (limits.maxRequestsPerBundle)', 'Split the file, or import only the requests you need.');
  planKeyWork(blocks, options);
  const out: DecodedInput = { certificates: [], privateKeys: [], requests: [], container: 'pem' };
  const skipped: string[] = [];
  for (const block of blocks) {
    throwIfAborted(options.signal);
    if (CERTIFICATE_LABELS.has(block.label)) {
      const der = block.label === 'TRUSTED CERTIFICATE' ? firstElement(block.der) : block.der;
      readCertificate(der, block.label);
      out.certificates.push({ der });
    } else if (REQUEST_LABELS.has(block.label)) {
      expectKind(block.der, 'request', block.label);
      out.requests.push({ der: block.der });
    } else if (PKCS7_LABELS.has(block.label)) {
      out.certificates.push(...pkcs7Certificates(block.der));
    } else if (block.label === 'PRIVATE KEY') {
      expectKind(block.der, 'pkcs8', block.label);
      out.privateKeys.push(await privateKey(block.der));
    } else if (block.label === 'ENCRYPTED PRIVATE KEY') {
      expectKind(block.der, 'encrypted-pkcs8', block.label);
      out.privateKeys.push(await privateKey(await decryptKey(block.der, options)));
    } else if (block.label === 'RSA PRIVATE KEY') {
      expectKind(block.der, 'pkcs1', block.label);
      out.privateKeys.push(await privateKey(pkcs1ToPkcs8(block.der)));
    } else if (block.label === 'EC PRIVATE KEY') {
      expectKind(block.der, 'sec1', block.label);
      out.privateKeys.push(await privateKey(sec1ToPkcs8(block.der)));
    } else if (block.label === 'DSA PRIVATE KEY' || block.label === 'OPENSSH PRIVATE KEY') {
      throw new CertdeskError(
        'unsupported-key-type',
        `This file holds a ${block.label.replace(' PRIVATE KEY', '')} private key, which appliances cannot use. Use an RSA or ECDSA key in PEM (PKCS#8) form.`,
      );
    } else if (!IGNORED_LABELS.has(block.label)) {
      skipped.push(block.label);
    }
    checkCertificateCount(out.certificates.length);
  }
  if (out.certificates.length + out.privateKeys.length + out.requests.length === 0) {
    if (blocks.length === 0) throw new CertdeskError('unrecognised-content', 'No PEM block was found in this text.');
    throw nothingUsable(skipped);
  }
  return out;
}

/**
 * Refuses a PEM whose encrypted keys together ask for more work than one file may (budget.ts),
 * before any of them is decrypted. Blocks that are not what their label says are left to the
 * loop, which names that problem.
 */
function planKeyWork(blocks: PemBlock[], options: DecodeOptions): void {
  let work = 0;
  for (const block of blocks) {
    if (block.label !== 'ENCRYPTED PRIVATE KEY' || !isKind(block.der, 'encrypted-pkcs8')) continue;
    work += encryptedPrivateKeyWork(block.der, options.password ?? null);
  }
  options.budget.plan(work);
}

function checkCertificateCount(count: number): void {
  if (count > limits.maxCertificatesPerBundle) {
    throw new CertdeskError(
      'too-many-certificates',
      `The file holds more than ${limits.maxCertificatesPerBundle.toLocaleString('en')} certificates (limits.maxCertificatesPerBundle). Split it, or import only the chain you need.`,
    );
  }
}

/**
 * Refuses a PEM holding more than `max` blocks of one kind (limit-exceeded: private keys, each a
 * public-key derivation; requests, each a signature check when shown), before any of them is read.
 */
function checkBlockCount(count: number, max: number, what: string, advice: string): void {
  if (count > max) throw new CertdeskError('limit-exceeded', `The file holds more than ${max.toLocaleString('en')} ${what}; Certdesk stops there. ${advice}`);
}

// ---------------------------------------------------------------------------------------------
// Binary (DER, BER for PKCS#7)

async function decodeBinary(
  der: Uint8Array,
  container: 'der' | 'base64',
  options: DecodeOptions,
): Promise<DecodedInput> {
  const kind = classifyDer(der);
  const empty = (c: DecodedInput['container']): DecodedInput => ({ certificates: [], privateKeys: [], requests: [], container: c });
  switch (kind) {
    case 'certificate': {
      const out = empty(container);
      // Classified just now, by the same rules readCertificate applies: the model is what is left.
      parseCertificate(der);
      out.certificates.push({ der });
      return out;
    }
    case 'request': {
      const out = empty(container);
      out.requests.push({ der });
      return out;
    }
    case 'pkcs7': {
      const out = empty('pkcs7');
      out.certificates.push(...pkcs7Certificates(der));
      return out;
    }
    case 'pkcs12':
      return decodePkcs12(der, options);
    case 'pkcs8':
    case 'pkcs1':
    case 'sec1':
    case 'encrypted-pkcs8': {
      const out = empty(container);
      const pkcs8 =
        kind === 'pkcs8' ? der : kind === 'pkcs1' ? pkcs1ToPkcs8(der) : kind === 'sec1' ? sec1ToPkcs8(der) : await decryptKey(der, options);
      out.privateKeys.push(await privateKey(pkcs8));
      return out;
    }
    case 'public-key':
      throw nothingUsable(['PUBLIC KEY']);
    case 'crl':
      throw nothingUsable(['X509 CRL']);
  }
}

async function decodePkcs12(der: Uint8Array, options: DecodeOptions): Promise<DecodedInput> {
  let contents;
  try {
    contents = await importPkcs12(der, options.password === undefined ? null : options.password, { signal: options.signal, budget: options.budget });
  } catch (error) {
    if (options.password === undefined && error instanceof CertdeskError && error.code === 'wrong-password') {
      throw new CertdeskError('password-required', 'This file is a PKCS#12 archive and needs its password.');
    }
    throw error;
  }
  checkCertificateCount(contents.certificates.length);
  // Import says the same of any file that adds nothing (store/certificates.ts): one answer on every path.
  if (contents.certificates.length + contents.keys.length === 0) {
    throw new CertdeskError('nothing-to-import', 'This PKCS#12 file holds no certificate and no private key that Certdesk can read. Export it again with the certificate and its key.');
  }
  const out: DecodedInput = { certificates: [], privateKeys: [], requests: [], container: 'pkcs12', integrity: contents.integrity };
  for (const bag of contents.certificates) {
    readCertificate(bag.value);
    out.certificates.push(bag.friendlyName === undefined ? { der: bag.value } : { der: bag.value, friendlyName: bag.friendlyName });
  }
  for (const bag of contents.keys) {
    const key = await privateKey(bag.value);
    if (bag.friendlyName !== undefined) key.friendlyName = bag.friendlyName;
    out.privateKeys.push(key);
  }
  return out;
}

async function decryptKey(der: Uint8Array, options: DecodeOptions): Promise<Uint8Array> {
  try {
    return await decryptPrivateKeyInfo(der, options.password === undefined ? null : options.password, { signal: options.signal, budget: options.budget });
  } catch (error) {
    if (options.password === undefined && error instanceof CertdeskError && error.code === 'wrong-password') {
      throw new CertdeskError('password-required', 'This private key is encrypted and needs its password.');
    }
    throw error;
  }
}

async function privateKey(pkcs8: Uint8Array): Promise<DecodedPrivateKey> {
  const spki = await publicKeyFromPrivateKey(pkcs8);
  return { pkcs8, spki, publicKeySha256: await sha256Hex(spki) };
}

// ---------------------------------------------------------------------------------------------
// Certificates ↔ keys

/**
 * Pairs keys with certificates by public key (SHA-256 of the SubjectPublicKeyInfo), never by
 * their order in the file. Certificates without a key get `key: undefined`.
 */
export async function matchKeysToCertificates<K extends { publicKeySha256: string }>(
  certificates: readonly DecodedCertificate[],
  keys: readonly K[],
): Promise<{ certificate: DecodedCertificate; key?: K }[]> {
  const byHash = new Map(keys.map((k) => [k.publicKeySha256, k]));
  const out: { certificate: DecodedCertificate; key?: K }[] = [];
  for (const certificate of certificates) {
    const key = byHash.get(await sha256Hex(parseCertificate(certificate.der).spki.der));
    out.push(key ? { certificate, key } : { certificate });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// PKCS#7 (RFC 2315 §9.1 SignedData; RFC 5652 §5.1): only the certificates are of interest.

function pkcs7Certificates(der: Uint8Array): DecodedCertificate[] {
  // Trailing bytes after the ContentInfo are tolerated here, as OpenSSL does (its own test
  // vector pkcs7-1.pem has one): they cannot change the certificates, which are checked strictly.
  const contentInfo = readTlv(der, 0, der.length, 'ber');
  if (contentInfo.tag !== TAG.SEQUENCE) throw invalidDer('PKCS#7 bundle');
  const [type, explicit] = children(contentInfo);
  const oid = oidText(type);
  if (oid !== OID_SIGNED_DATA) {
    throw new CertdeskError(
      'pkcs7-unsupported-content',
      `This PKCS#7 file holds ${oid.startsWith(OID_PKCS7_PREFIX) ? 'encrypted or plain data' : 'an unknown content type'}, not a certificate bundle (SignedData). Export the chain as a .p7b certificate bundle or as PEM.`,
    );
  }
  if (!explicit || explicit.tag !== 0xa0) throw invalidDer('PKCS#7 bundle');
  const signedData = children(explicit)[0];
  if (!signedData || signedData.tag !== 0x30) throw invalidDer('PKCS#7 bundle');
  const fields = children(signedData);
  const certificateSet = fields.find((f) => f.tag === 0xa0);
  const out: DecodedCertificate[] = [];
  if (certificateSet) {
    for (const element of children(certificateSet)) {
      // CertificateChoices (RFC 5652 §10.2.2): only plain certificates; attribute and other
      // certificate formats are tagged [1]…[3] and carry nothing an appliance can use.
      if (element.tag !== 0x30) continue;
      if (element.contentEnd !== element.end) throw invalidDer('certificate inside the PKCS#7 bundle');
      const cert = der.slice(element.start, element.end);
      readCertificate(cert);
      out.push({ der: cert });
      checkCertificateCount(out.length);
    }
  }
  if (out.length === 0) {
    throw new CertdeskError('pkcs7-no-certificates', 'This PKCS#7 bundle contains no certificates. Export it again with the certificate chain included.');
  }
  return out;
}

function firstElement(der: Uint8Array): Uint8Array {
  return der.slice(0, readTlv(der, 0, der.length).end);
}
