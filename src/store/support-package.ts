/**
 * The support package: the .zip the guide has the admin send to the vendor's technical support
 * with every certificate of the chain and a picture of Status > Basics ("Update the Bomgar
 * Appliance", steps 1–2), and NEVER a private key: "Do NOT include any private key files (e.g.,
 * .p12, .pfx, or .key files)".
 *
 * The rule is enforced on content, not trust: before anything is zipped, every file goes through
 * the key guard (src/core/pki/key-guard, in the PKI worker in the app), which looks for private
 * keys in every byte, decoded and unpacked (PEM in any case or encoding, PKCS#8, PKCS#1, SEC1,
 * PKCS#12, OpenSSH, PuTTY, JWK, inside .zip and gzip, in base64 or hex text …) and refuses what it
 * cannot read through. The file names the guide names are refused as well, whatever they hold.
 */
import { CertdeskError, throwIfAborted } from '../core/errors';
import type { Problem } from '../core/errors';
import { withSupportPackage } from '../core/appliance/appliance';
import type { CertificateEntry } from '../core/appliance/certificate-entry';
import { chainShape } from '../core/appliance/certificate-entry';
import { siteHostnameProblem } from '../core/appliance/warnings';
import type { WorkspaceContext } from './context';
import { getAppliance } from './context';
import { read, tx } from './database';
import { fileNameBase } from './file-names';
import type { PkiServices } from './pki-services';
import { certificateMaterial } from './read-model';
import { STORE } from './schema';

/** One file for the package. */
export interface SupportFile {
  name: string;
  bytes: Uint8Array;
}

/** The package, ready to download, and what is in it. */
export interface SupportPackage {
  name: string;
  bytes: Uint8Array;
  files: string[];
  /** What the admin should know before sending it (the site hostname not covered). */
  warnings: Problem[];
}

type KeyGuard = Pick<PkiServices, 'assertNoPrivateKey'>;

/** The guide's private-key file endings, refused by name whatever they hold. */
const KEY_FILE_ENDINGS = ['.p12', '.pfx', '.key'];

/**
 * Throws CertdeskError 'private-key-in-support-package' when the file is named like a private
 * key file or holds a private key or a PKCS#12, however written or packed; 'support-file-unreadable'
 * when part of it cannot be checked. Resolves when the file is safe to send.
 */
export async function inspectSupportFile(pki: KeyGuard, file: SupportFile, options: { signal?: AbortSignal } = {}): Promise<void> {
  const lower = file.name.toLowerCase();
  const ending = KEY_FILE_ENDINGS.find((end) => lower.endsWith(end));
  if (ending) {
    throw new CertdeskError(
      'private-key-in-support-package',
      `"${file.name}" is named like a private key file (${ending}). A private key must never be sent to technical support (the guide: "Do NOT send your private key file"); the support package was not created.`,
    );
  }
  await pki.assertNoPrivateKey(file, options.signal ? { signal: options.signal } : {});
}

/**
 * Zips the files after inspecting every one of them (see inspectSupportFile); nothing is zipped
 * unless all pass. File names must be unique and plain (no folders).
 */
export async function buildSupportPackage(
  pki: KeyGuard,
  files: readonly SupportFile[],
  options: { signal?: AbortSignal; date?: Date } = {},
): Promise<Uint8Array> {
  if (files.length === 0) {
    throw new CertdeskError('empty-support-package', 'There is nothing to put in the support package. Choose a certificate first.');
  }
  const names = new Set<string>();
  for (const file of files) {
    if (!/^[\w][\w .()-]*$/.test(file.name) || file.name.length > 120) {
      throw new CertdeskError('invalid-support-file-name', `"${file.name}" is not a plain file name for the support package.`);
    }
    if (names.has(file.name.toLowerCase())) {
      throw new CertdeskError('duplicate-support-file', `Two files in the support package would both be named "${file.name}".`);
    }
    names.add(file.name.toLowerCase());
  }
  for (const file of files) {
    throwIfAborted(options.signal);
    await inspectSupportFile(pki, file, options.signal ? { signal: options.signal } : {});
  }
  throwIfAborted(options.signal);
  // jszip is 28 KB gzipped and only needed here: loaded on first use.
  const { default: JSZip } = await import('jszip');
  const zip = new JSZip();
  const date = options.date ?? new Date();
  for (const file of files) zip.file(file.name, file.bytes, { binary: true, date });
  const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } });
  throwIfAborted(options.signal);
  return bytes;
}

/**
 * The chain as PEM files, leaf first: "01-<name>.crt", "02-<name>.crt"… (.crt is what the
 * vendor's guide calls certificate files; the content is PEM so any tool reads it).
 */
export function chainFiles(pki: Pick<PkiServices, 'encodePem'>, chain: readonly Pick<CertificateEntry, 'friendlyName' | 'der'>[]): SupportFile[] {
  const encoder = new TextEncoder();
  return chain.map((certificate, index) => ({
    name: `${String(index + 1).padStart(2, '0')}-${fileNameBase(certificate.friendlyName, 60)}.crt`,
    bytes: encoder.encode(pki.encodePem('CERTIFICATE', certificate.der)),
  }));
}

/** "certdesk-support-<appliance>-<yyyy-mm-dd>.zip". */
export function supportPackageName(applianceName: string, now: Date): string {
  return `certdesk-support-${fileNameBase(applianceName, 60)}-${now.toISOString().slice(0, 10)}.zip`;
}

/**
 * What to check before sending a certificate's support package: the vendor builds the client
 * software for the site hostname, so a certificate that does not cover it is flagged.
 */
export async function supportPackageChecks(ctx: WorkspaceContext, certId: string): Promise<Problem[]> {
  const material = await certificateMaterial(ctx, certId);
  const appliance = await read(ctx.db, [STORE.appliances], (t) => getAppliance(t, material.certificate.applianceId));
  const problem = siteHostnameProblem(material.certificate, appliance, await ctx.pki.publicSuffixCheckFor(material.certificate.facts));
  return problem ? [problem] : [];
}

/**
 * The support package for a certificate: its chain as found on its appliance, and `picture` (the
 * Status > Basics PNG the page drew at `now`), every file inspected before it is zipped. Building
 * it is the first step of bringing a new root into the client software (root-change.ts), so the
 * appliance records when it was built and which root it carries, in one transaction.
 */
export function supportPackage(
  ctx: WorkspaceContext,
  certId: string,
  input: { picture: Uint8Array; now?: number; signal?: AbortSignal },
): Promise<SupportPackage> {
  let applianceId = '';
  return ctx.action('supportPackage', () => [applianceId], async () => {
    const material = await certificateMaterial(ctx, certId);
    applianceId = material.certificate.applianceId;
    const appliance = await read(ctx.db, [STORE.appliances], (t) => getAppliance(t, applianceId));
    const now = new Date(input.now ?? ctx.clock());
    const chain = [material.certificate, ...material.chain];
    const files = [...chainFiles(ctx.pki, chain), { name: 'status-basics.png', bytes: input.picture }];
    const bytes = await buildSupportPackage(ctx.pki, files, { date: now, ...(input.signal ? { signal: input.signal } : {}) });
    const shape = chainShape(material.certificate.facts, chain.map((c) => c.facts));
    const root = shape.shape === 'complete' ? shape.path.at(-1) : undefined;
    await tx(
      ctx.db,
      [STORE.appliances, STORE.events],
      async (t) => {
        const current = await getAppliance(t, applianceId);
        await t.objectStore(STORE.appliances).put(withSupportPackage(current, root, now.getTime()));
        await t.objectStore(STORE.events).add(
          ctx.event('support-package-built', `Built the support package for "${material.certificate.friendlyName}" (${files.length - 1} certificate file${files.length === 2 ? '' : 's'}).`, applianceId),
        );
      },
      input.signal,
    );
    const site = siteHostnameProblem(material.certificate, appliance, await ctx.pki.publicSuffixCheckFor(material.certificate.facts));
    return { name: supportPackageName(appliance.name, now), bytes, files: files.map((file) => file.name), warnings: site ? [site] : [] };
  });
}
