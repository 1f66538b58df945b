/**
 * The guide's Export: the chosen certificates, their chain and the private key in the chosen
 * format, as one file. What a choice may hold is checked here (the page shows the same answer
 * as the admin chooses); the encoding and the encryption are the PKI services', and the slow
 * part — PKCS#12 and encrypted PKCS#8, 100,000 iterations — runs in the PKI worker in the app,
 * cancellable. Exporting writes nothing to the workspace.
 */
import { CertdeskError, throwIfAborted } from '../core/errors';
import type { CertificateEntry } from '../core/appliance/certificate-entry';
import type { KeyMaterial } from '../core/appliance/key-entry';
import type { WorkspaceContext } from './context';
import { safeFileName } from './file-names';
import type { Pkcs12Preset } from './pki-services';
import type { CertificateMaterial } from './read-model';
import { certificateMaterial } from './read-model';

export type ExportFormat = 'pem' | 'der' | 'pkcs7' | 'pkcs12';

export interface ExportChoice {
  includeCertificate: boolean;
  includePrivateKey: boolean;
  includeChain: boolean;
  format: ExportFormat;
  preset: Pkcs12Preset;
  passphrase: string;
}

/** One certificate to export, with its chain and whether its private key can leave the browser. */
export interface ExportSource {
  certificate: CertificateEntry;
  chain: CertificateEntry[];
  privateKey: 'exportable' | 'not-exportable' | 'missing';
}

/** The file to offer the admin. */
export interface ExportFile {
  name: string;
  bytes: Uint8Array;
  type: string;
}

/** reading: the certificates and key; encrypting: the key derivation and encryption; writing: certificates only. */
export type ExportStage = 'reading' | 'encrypting' | 'writing';

/** Where an export is: `done` of `total` stages finished, and the one now running. */
export interface ExportProgress {
  stage: ExportStage;
  done: number;
  total: number;
}

export interface ExportOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
}

/**
 * Why the choice cannot be exported as it stands, or undefined when it can. `confirm` is the
 * form's confirmation of the passphrase (the action itself has none to compare).
 */
export function exportProblem(choice: ExportChoice, sources: readonly ExportSource[], confirm = choice.passphrase): string | undefined {
  if (!choice.includeCertificate && !choice.includePrivateKey && !choice.includeChain) {
    return 'Choose at least one of Include Certificate, Include Private Key and Include Certificate Chain.';
  }
  if (choice.includePrivateKey) {
    if (sources.length !== 1) return 'A private key can be exported for one certificate at a time.';
    const key = sources[0]!.privateKey;
    if (key === 'missing') return 'This certificate has no private key here.';
    if (key === 'not-exportable') {
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
  if (choice.format === 'der' && exportedCertificates(choice, sources).length !== 1) {
    return 'A DER file holds exactly one certificate. Choose PEM or PKCS#7 for a chain or several certificates.';
  }
  return undefined;
}

/** The certificates the file holds, each once, in order: each certificate, then its chain. */
function exportedCertificates(choice: ExportChoice, sources: readonly ExportSource[]): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  for (const source of sources) {
    const list = [...(choice.includeCertificate ? [source.certificate] : []), ...(choice.includeChain ? source.chain : [])];
    for (const entry of list) {
      if (seen.has(entry.sha256)) continue;
      seen.add(entry.sha256);
      out.push(entry.der);
    }
  }
  return out;
}

function exportSource(material: CertificateMaterial): ExportSource {
  const key = material.key?.key;
  return { certificate: material.certificate, chain: material.chain, privateKey: !key ? 'missing' : key.exportable ? 'exportable' : 'not-exportable' };
}

/** What the Export page offers for these certificates (read now; nothing is decrypted). */
export async function exportSources(ctx: WorkspaceContext, certIds: readonly string[]): Promise<ExportSource[]> {
  return (await Promise.all(certIds.map((id) => certificateMaterial(ctx, id)))).map(exportSource);
}

/**
 * Writes the export file. Throws CertdeskError 'export-invalid' (with exportProblem's sentence)
 * when the choice cannot be exported, and an AbortError when `signal` cancels it — in the app
 * that terminates the worker mid-derivation. Nothing is stored either way.
 */
export async function exportCertificates<K extends KeyMaterial>(
  ctx: WorkspaceContext<K>,
  certIds: readonly string[],
  choice: ExportChoice,
  options: ExportOptions = {},
): Promise<ExportFile> {
  const { signal, onProgress } = options;
  const total = 2;
  const begin = (stage: ExportStage, done: number) => () => onProgress?.({ stage, done, total });
  begin('reading', 0)();
  if (certIds.length === 0) throw new CertdeskError('nothing-to-export', 'Choose at least one certificate to export.');
  const materials = await Promise.all(certIds.map((id) => certificateMaterial(ctx, id)));
  throwIfAborted(signal);
  const sources = materials.map(exportSource);
  const problem = exportProblem(choice, sources);
  if (problem) throw new CertdeskError('export-invalid', problem);
  const first = materials[0]!;
  const baseName = materials.length === 1 ? first.certificate.friendlyName : 'certificates';
  const certificates = exportedCertificates(choice, sources);
  const key = choice.includePrivateKey ? first.key?.key : undefined;
  const slow = { onStarted: begin('encrypting', 1), ...(signal ? { signal } : {}) };

  if (choice.format === 'pkcs12') {
    const bytes = await ctx.pki.exportPkcs12(
      { certificates, friendlyName: first.certificate.friendlyName, password: choice.passphrase, preset: choice.preset, ...(key ? { key } : {}) },
      slow,
    );
    return { name: safeFileName(baseName, 'p12'), bytes, type: 'application/x-pkcs12' };
  }

  if (key) {
    // PEM with the key: the encrypted PKCS#8 block first, then the certificates.
    const keyPem = await ctx.pki.exportEncryptedPrivateKey(key, choice.passphrase, slow);
    const certs = certificates.length ? new TextDecoder().decode((await ctx.pki.exportCertificates(certificates, 'pem')).bytes) : '';
    return { name: safeFileName(baseName, 'pem'), bytes: new TextEncoder().encode(keyPem + certs), type: 'application/x-pem-file' };
  }

  begin('writing', 1)();
  const file = await ctx.pki.exportCertificates(certificates, choice.format);
  throwIfAborted(signal);
  return { name: safeFileName(baseName, file.extension.replace(/^\./, '')), bytes: file.bytes, type: file.mediaType };
}
