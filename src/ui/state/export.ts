/**
 * What the Export page writes: the chosen certificates, chain and key in the chosen format,
 * as bytes with a sensible file name and media type. The core does the encoding and
 * encryption; this module only decides what goes in.
 */
import { CertdeskError } from '../../core/errors';
import { exportCertificates, exportEncryptedPrivateKey, CERTIFICATE_EXPORT_TYPES } from '../../core/pki/export';
import { exportPrivateKey, type CertdeskKey } from '../../core/pki/keys';
import { exportPkcs12, type Pkcs12Preset } from '../../core/pki/pkcs12';
import type { CertificateEntry } from '../../core/appliance/certificate-entry';
import type { KeyEntry } from '../../core/appliance/key-entry';
import { safeFileName } from './files';

export type ExportFormat = 'pem' | 'der' | 'pkcs7' | 'pkcs12';

export interface ExportChoice {
  includeCertificate: boolean;
  includePrivateKey: boolean;
  includeChain: boolean;
  format: ExportFormat;
  preset: Pkcs12Preset;
  passphrase: string;
}

export interface ExportMaterial {
  certificate: CertificateEntry;
  key: KeyEntry<CertdeskKey> | undefined;
  chain: CertificateEntry[];
}

export interface ExportFile {
  name: string;
  bytes: Uint8Array;
  type: string;
}

/** Why the choice cannot be exported as it stands, or undefined when it can. */
export function exportProblem(choice: ExportChoice, materials: readonly ExportMaterial[], confirm: string): string | undefined {
  if (!choice.includeCertificate && !choice.includePrivateKey && !choice.includeChain) {
    return 'Choose at least one of Include Certificate, Include Private Key and Include Certificate Chain.';
  }
  if (choice.includePrivateKey) {
    if (materials.length !== 1) return 'A private key can be exported for one certificate at a time.';
    const key = materials[0]!.key;
    if (!key) return 'This certificate has no private key here.';
    if (!key.key.exportable) {
      return 'This private key was created non-exportable: it can never leave this browser. Uncheck Include Private Key.';
    }
    if (choice.format === 'der' || choice.format === 'pkcs7') {
      return `${choice.format === 'der' ? 'DER' : 'PKCS#7'} files hold certificates only. Choose PKCS#12 (or PEM) to include the private key.`;
    }
  }
  if (choice.format === 'pkcs12' || choice.includePrivateKey) {
    if (choice.passphrase.length < 8) return 'Enter a passphrase of at least 8 characters to protect the private key file.';
    if (choice.passphrase !== confirm) return 'The passphrase and its confirmation differ.';
  }
  if (choice.format === 'der' && certificatesOf(choice, materials).length !== 1) {
    return 'A DER file holds exactly one certificate. Choose PEM or PKCS#7 for a chain or several certificates.';
  }
  return undefined;
}

function certificatesOf(choice: ExportChoice, materials: readonly ExportMaterial[]): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  for (const material of materials) {
    const list = [
      ...(choice.includeCertificate ? [material.certificate] : []),
      ...(choice.includeChain ? material.chain : []),
    ];
    for (const entry of list) {
      if (seen.has(entry.sha256)) continue;
      seen.add(entry.sha256);
      out.push(entry.der);
    }
  }
  return out;
}

/** Builds the file. Throws CertdeskError when the choice is not exportable. */
export async function buildExport(choice: ExportChoice, materials: readonly ExportMaterial[], confirm: string): Promise<ExportFile> {
  const problem = exportProblem(choice, materials, confirm);
  if (problem) throw new CertdeskError('export-invalid', problem);
  const first = materials[0]!;
  const baseName = materials.length === 1 ? first.certificate.friendlyName : 'certificates';
  const certificates = certificatesOf(choice, materials);

  if (choice.format === 'pkcs12') {
    const key = choice.includePrivateKey && first.key ? await exportPrivateKey(first.key.key) : undefined;
    try {
      const bytes = await exportPkcs12({
        ...(key ? { privateKey: key } : {}),
        certificates,
        friendlyName: first.certificate.friendlyName,
        password: choice.passphrase,
        preset: choice.preset,
      });
      return { name: safeFileName(baseName, 'p12'), bytes, type: 'application/x-pkcs12' };
    } finally {
      key?.fill(0);
    }
  }

  if (choice.includePrivateKey && first.key) {
    // PEM with the key: the encrypted PKCS#8 block first, then the certificates.
    const keyPem = await exportEncryptedPrivateKey(first.key.key, choice.passphrase);
    const certs = certificates.length ? new TextDecoder().decode(exportCertificates(certificates, 'pem')) : '';
    return { name: safeFileName(baseName, 'pem'), bytes: new TextEncoder().encode(keyPem + certs), type: 'application/x-pem-file' };
  }

  const type = CERTIFICATE_EXPORT_TYPES[choice.format];
  return {
    name: safeFileName(baseName, type.extension.replace(/^\./, '')),
    bytes: exportCertificates(certificates, choice.format),
    type: type.mediaType,
  };
}

/** A rough strength estimate for the passphrase meter: bits of a guessing attacker's work. */
export function passphraseStrength(passphrase: string): { bits: number; label: 'Weak' | 'Fair' | 'Strong' | 'Very strong' } {
  let pool = 0;
  if (/[a-z]/.test(passphrase)) pool += 26;
  if (/[A-Z]/.test(passphrase)) pool += 26;
  if (/[0-9]/.test(passphrase)) pool += 10;
  if (/[^A-Za-z0-9]/.test(passphrase)) pool += 33;
  const unique = new Set(passphrase).size;
  // Repeated characters add little: count length by distinct characters, up to the real length.
  const effective = Math.min(passphrase.length, unique * 2);
  const bits = Math.round(effective * Math.log2(Math.max(pool, 1)));
  const label = bits < 40 ? 'Weak' : bits < 60 ? 'Fair' : bits < 80 ? 'Strong' : 'Very strong';
  return { bits, label };
}
