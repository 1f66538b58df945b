/**
 * Exports for other systems: a certificate or chain as PEM, DER or PKCS#7 (.p7b), and a private
 * key as encrypted PKCS#8 (PEM "ENCRYPTED PRIVATE KEY"). PKCS#12 export lives in pkcs12.ts.
 */
import { CertdeskError } from '../errors';
import { exportPrivateKey, type CertdeskKey } from './keys';
import { encodePem } from './pem';
import { encryptPrivateKeyInfo } from './pbe';

export type CertificateExportFormat = 'pem' | 'der' | 'pkcs7';

/** File name extension and media type for each export format (RFC 8555 §9.1, RFC 5280 §4.2.1.13, RFC 2315). */
export const CERTIFICATE_EXPORT_TYPES: Record<CertificateExportFormat, { extension: string; mediaType: string }> = {
  pem: { extension: '.pem', mediaType: 'application/pem-certificate-chain' },
  der: { extension: '.cer', mediaType: 'application/pkix-cert' },
  pkcs7: { extension: '.p7b', mediaType: 'application/pkcs7-mime' },
};

/**
 * Certificates in the chosen format, in the order given (leaf first, as TLS sends them):
 * PEM blocks one after another; DER for exactly one certificate; PKCS#7 as a "certs-only"
 * SignedData with no content and no signers (RFC 5652 §5.1 degenerate case, what
 * `openssl crl2pkcs7 -nocrl` and Windows write).
 * @throws CertdeskError `nothing-to-export`, `der-single-certificate`
 */
export function exportCertificates(ders: readonly Uint8Array[], format: CertificateExportFormat): Uint8Array {
  if (ders.length === 0) throw new CertdeskError('nothing-to-export', 'Choose at least one certificate to export.');
  switch (format) {
    case 'pem':
      return new TextEncoder().encode(ders.map((der) => encodePem('CERTIFICATE', der)).join(''));
    case 'der':
      if (ders.length !== 1) {
        throw new CertdeskError(
          'der-single-certificate',
          'A DER file holds exactly one certificate. To export a chain, choose PEM or PKCS#7 (.p7b).',
        );
      }
      return ders[0]!.slice();
    case 'pkcs7':
      return pkcs7CertificateBundle(ders);
  }
}

const OID_SIGNED_DATA = Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02);
const OID_DATA = Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01);

/**
 * ContentInfo { signedData, [0] SignedData { version 1, digestAlgorithms {}, encapContentInfo
 * { data }, certificates [0] IMPLICIT, signerInfos {} } }. The certificates keep the chain order
 * rather than DER's sorted SET OF, as OpenSSL and Windows do, so readers show them leaf first.
 */
function pkcs7CertificateBundle(ders: readonly Uint8Array[]): Uint8Array {
  const signedData = tlv(
    0x30,
    Uint8Array.of(0x02, 0x01, 0x01),
    Uint8Array.of(0x31, 0x00),
    tlv(0x30, OID_DATA),
    tlv(0xa0, ...ders),
    Uint8Array.of(0x31, 0x00),
  );
  return tlv(0x30, OID_SIGNED_DATA, tlv(0xa0, signedData));
}

function tlv(tag: number, ...contents: readonly Uint8Array[]): Uint8Array {
  const length = contents.reduce((n, c) => n + c.length, 0);
  const lengthBytes: number[] = [];
  if (length < 0x80) lengthBytes.push(length);
  else {
    const bytes: number[] = [];
    for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
    lengthBytes.push(0x80 | bytes.length, ...bytes);
  }
  const out = new Uint8Array(1 + lengthBytes.length + length);
  out[0] = tag;
  out.set(lengthBytes, 1);
  let offset = 1 + lengthBytes.length;
  for (const c of contents) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/**
 * The key as PEM "ENCRYPTED PRIVATE KEY" (PKCS#8 EncryptedPrivateKeyInfo, RFC 5958 §3), encrypted
 * with PBES2 by pbe.ts ('modern': PBKDF2-HMAC-SHA256 + AES-256-CBC). OpenSSL, Java and nginx
 * read it; `openssl pkey -in key.pem -passin pass:…` decrypts it.
 * @throws CertdeskError `key-not-exportable`, `password-required`
 */
export async function exportEncryptedPrivateKey(
  key: CertdeskKey,
  password: string,
  options: { iterations?: number } = {},
): Promise<string> {
  if (password === '') {
    throw new CertdeskError('password-required', 'Enter a password to protect the exported private key; it is needed again when the key is imported.');
  }
  const pkcs8 = await exportPrivateKey(key);
  try {
    const encrypted = await encryptPrivateKeyInfo(pkcs8, password, { preset: 'modern', ...options });
    return encodePem('ENCRYPTED PRIVATE KEY', encrypted);
  } finally {
    pkcs8.fill(0);
  }
}
