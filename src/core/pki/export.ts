/**
 * Exports for other systems: a certificate or chain as PEM, DER or PKCS#7 (.p7b), and a private
 * key as encrypted PKCS#8 (PEM "ENCRYPTED PRIVATE KEY"). PKCS#12 export lives in pkcs12/.
 */
import { CertdeskError } from '../errors';
import { exportPrivateKey, type CertdeskKey } from './keys';
import { encodePem } from './pem';
import { OID, context, der } from './asn1';
import { encryptPrivateKeyInfo } from './pkcs12';

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

/**
 * ContentInfo { signedData, [0] SignedData { version 1, digestAlgorithms {}, encapContentInfo
 * { data }, certificates [0] IMPLICIT, signerInfos {} } }. The certificates keep the chain order
 * rather than DER's sorted SET OF, as OpenSSL and Windows do, so readers show them leaf first.
 */
function pkcs7CertificateBundle(ders: readonly Uint8Array[]): Uint8Array {
  const signedData = der.sequence(der.integer(1), der.setOf(), der.sequence(der.oid(OID.data)), der.tlv(context(0, true), ...ders), der.setOf());
  return der.sequence(der.oid(OID.signedData), der.explicit(0, signedData));
}

/**
 * The key as PEM "ENCRYPTED PRIVATE KEY" (PKCS#8 EncryptedPrivateKeyInfo, RFC 5958 §3), encrypted
 * with PBES2 by pkcs12/pkcs8.ts ('modern': PBKDF2-HMAC-SHA256 + AES-256-CBC). OpenSSL, Java and nginx
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
