/**
 * Writing PKCS#12 files (RFC 7292) in one of two presets; every file is read back with the
 * importer and compared before it is returned.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { CertdeskError, isAbortError, throwIfAborted } from '../../errors';
import { OID, TAG, der, equalBytes, readDer } from '../asn1';
import { limits } from '../limits';
import { certBagValue, writeSafeBag } from './bags';
import { WorkBudget } from './budget';
import { readPkcs12, type Pkcs12Contents } from './container';
import { translateWriteError } from './errors';
import { hashByName } from './hashes';
import { derivePkcs12, type KdfContext } from './kdf';
import { encodeMacData, macWork } from './mac';
import { passwordCandidates } from './passwords';
import { encodePbeScheme, newPbeScheme, pbeEncrypt, pbeWork, presetIterations, randomBytes, type Pkcs12Preset } from './pbes';
import { checkExportIterations, isPrivateKeyInfo } from './pkcs8';

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

/** ContentInfo of type data around `content` (RFC 5652 §4). */
function dataContentInfo(content: Uint8Array): Uint8Array {
  return der.sequence(der.oid(OID.data), der.explicit(0, der.octetString(content)));
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
 * key bag and the leaf's bag. The file is read back with the importer and compared before it
 * is returned; a mismatch is CertdeskError 'export-verify-failed'. A file Certdesk's own
 * importer would refuse for its work (limits.maxWorkPerFile) is refused before any work.
 */
export async function exportPkcs12(input: Pkcs12ExportInput): Promise<Uint8Array> {
  try {
    return await writePkcs12(input);
  } catch (error) {
    throw translateWriteError(error, 'PKCS#12 file');
  }
}

function checkInput(input: Pkcs12ExportInput): void {
  const { privateKey, certificates, password, preset } = input;
  if (preset !== 'modern' && preset !== 'legacy') {
    throw new CertdeskError('invalid-input', `Unknown PKCS#12 preset "${String(preset)}": choose modern or legacy.`);
  }
  checkExportIterations(input.iterations ?? presetIterations[preset]);
  if (typeof password !== 'string') throw new CertdeskError('invalid-input', 'A PKCS#12 file needs a password.');
  if (!privateKey && certificates.length === 0) throw new CertdeskError('invalid-input', 'There is nothing to export: no key and no certificate.');
  if (certificates.length > limits.maxPkcs12Certificates) {
    throw new CertdeskError('limit-exceeded', `A PKCS#12 file can hold up to ${limits.maxPkcs12Certificates} certificates here (limits.maxPkcs12Certificates).`);
  }
  if (privateKey && !isPrivateKeyInfo(privateKey)) throw new CertdeskError('invalid-input', 'The private key to export is not a PKCS#8 private key.');
  for (const cert of certificates) {
    let ok = false;
    try {
      ok = readDer(cert).tag === TAG.SEQUENCE;
    } catch {
      ok = false;
    }
    if (!ok) throw new CertdeskError('invalid-input', 'One of the certificates to export is not DER.');
  }
}

async function writePkcs12(input: Pkcs12ExportInput): Promise<Uint8Array> {
  const { privateKey, certificates, friendlyName, password, preset, signal } = input;
  throwIfAborted(signal);
  checkInput(input);
  const iterations = input.iterations ?? presetIterations[preset];
  const macHash = hashByName(preset === 'modern' ? 'SHA-256' : 'SHA-1');
  const macSalt = randomBytes(preset === 'modern' ? 16 : 8);
  const certScheme = certificates.length ? newPbeScheme(preset, iterations) : undefined;
  const keyScheme = privateKey ? newPbeScheme(preset, iterations) : undefined;

  // What Certdesk writes, Certdesk must read back: plan the importer's work (every password
  // candidate of the MAC, the costliest for each part) and refuse before any derivation.
  const candidates = passwordCandidates(password);
  const authSafeBytes = certificates.reduce((n, c) => n + c.length + 256, 0) + (privateKey?.length ?? 0) + 512;
  const mac = { kind: 'mac' as const, digest: new Uint8Array(0), hash: macHash, salt: macSalt, iterations };
  let readBack = candidates.reduce((sum, c) => sum + macWork(mac, c, authSafeBytes), 0);
  for (const scheme of [certScheme, keyScheme]) if (scheme) readBack += Math.max(...candidates.map((c) => pbeWork(scheme, c)));
  new WorkBudget().plan(readBack);

  const ctx: KdfContext = { budget: new WorkBudget(), cache: new Map() };
  if (signal) ctx.signal = signal;
  const leaf = certificates[0];
  const localKeyId = privateKey && leaf ? sha1(leaf) : undefined;
  const certBags = certificates.map((cert, i) =>
    i === 0 ? writeSafeBag(OID.certBag, certBagValue(cert), friendlyName, localKeyId) : writeSafeBag(OID.certBag, certBagValue(cert)),
  );

  // The three derivations are independent: run them together.
  const [certContentInfo, keyContentInfo, macKey] = await Promise.all([
    certScheme
      ? pbeEncrypt(ctx, certScheme, password, der.sequence(...certBags)).then((ciphertext) =>
          der.sequence(
            der.oid(OID.encryptedData),
            der.explicit(0, der.sequence(der.integer(0), der.sequence(der.oid(OID.data), encodePbeScheme(certScheme), der.tlv(0x80, ciphertext)))),
          ),
        )
      : undefined,
    keyScheme && privateKey
      ? pbeEncrypt(ctx, keyScheme, password, privateKey).then((ciphertext) =>
          dataContentInfo(
            der.sequence(
              writeSafeBag(OID.pkcs8ShroudedKeyBag, der.sequence(encodePbeScheme(keyScheme), der.octetString(ciphertext)), friendlyName, localKeyId),
            ),
          ),
        )
      : undefined,
    derivePkcs12(ctx, macHash, password, macSalt, 3, iterations, macHash.outputLen),
  ]);
  const authSafe = der.sequence(...[certContentInfo, keyContentInfo].filter((x): x is Uint8Array => x !== undefined));
  const pfx = der.sequence(der.integer(3), dataContentInfo(authSafe), encodeMacData(macHash, macKey, macSalt, iterations, authSafe));

  // Read it back as any importer would (the cache spares only the deterministic KDF runs).
  let back: Pkcs12Contents;
  try {
    const readCtx: KdfContext = { budget: new WorkBudget(), cache: ctx.cache! };
    if (signal) readCtx.signal = signal;
    back = await readPkcs12(pfx, password, readCtx);
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new CertdeskError('export-verify-failed', 'The PKCS#12 file did not read back; nothing was exported. Please report this.', { cause: error });
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
