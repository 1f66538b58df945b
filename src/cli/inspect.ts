/**
 * `certdesk inspect FILE [--password PW]`: what Certdesk reads in a file, as one JSON object on
 * standard output. Errors are thrown as CertdeskError; the dispatcher prints {"error":…} and
 * exits 2.
 */
import { readFileSync, statSync } from 'node:fs';
import { CertdeskError } from '../core/errors';
import { limits } from '../core/pki/limits';
import { decodeInput } from '../core/pki/decode';
import { describeCertificate } from '../core/pki/describe';
import { inspectPrivateKey } from '../core/pki/keys';
import { parseCsr } from '../core/pki/csr';
import type { DescribedGeneralName } from '../core/pki/names/general-name';

const SAN_PREFIX: Record<DescribedGeneralName['type'], string> = {
  dns: 'DNS',
  ip: 'IP',
  email: 'email',
  uri: 'URI',
  dn: 'DirName',
  other: 'othername',
};

/** SANs in OpenSSL's "DNS:…, IP Address:…" spirit, one string each. */
function sanText(name: DescribedGeneralName): string {
  return `${SAN_PREFIX[name.type]}:${name.value}`;
}

function parseArgs(args: string[]): { file: string; password?: string } {
  let file: string | undefined;
  let password: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--password') {
      const value = args[++i];
      if (value === undefined) throw new CertdeskError('usage', 'usage: certdesk inspect FILE [--password PW] (--password needs a value)');
      password = value;
    } else if (arg.startsWith('--password=')) {
      password = arg.slice('--password='.length);
    } else if (file === undefined) {
      file = arg;
    } else {
      throw new CertdeskError('usage', `usage: certdesk inspect FILE [--password PW] (unexpected argument "${arg}")`);
    }
  }
  if (file === undefined) throw new CertdeskError('usage', 'usage: certdesk inspect FILE [--password PW]');
  return password === undefined ? { file } : { file, password };
}

function readInput(file: string): Uint8Array {
  try {
    // Check the size before reading, so a huge file is refused without loading it.
    if (statSync(file).size > limits.maxFileBytes) return new Uint8Array(limits.maxFileBytes + 1);
    return new Uint8Array(readFileSync(file));
  } catch (error) {
    throw new CertdeskError('file-unreadable', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`, { cause: error });
  }
}

/** What `certdesk inspect` prints for a file. */
export interface Inspection {
  certificates: {
    subject: string;
    issuer: string;
    serialNumber: string;
    notBefore: string;
    notAfter: string;
    sha256: string;
    subjectAltNames: string[];
    isCA: boolean;
    selfSigned: boolean;
  }[];
  privateKeys: { algorithm: string; publicKeySha256: string }[];
  requests: { subject: string; subjectAltNames: string[]; signatureValid: boolean }[];
}

/**
 * Certificates described at once: a description awaits WebCrypto (digests, a self-signature),
 * which runs on Node's thread pool, so a bundle at the 10,000-certificate limit is described in
 * parallel instead of one await after another (issue 12: 17–23 s for such a file).
 */
const DESCRIBE_AT_ONCE = 64;

/** Describes `ders` in order; identical certificates are described once. */
async function describeAll(ders: readonly Uint8Array[]): Promise<Inspection['certificates']> {
  const byDer = new Map<string, Promise<Inspection['certificates'][number]>>();
  const describe = (der: Uint8Array) => {
    const id = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
    let described = byDer.get(id);
    if (!described) {
      described = describeCertificate(der).then((d) => ({
        subject: d.subjectText,
        issuer: d.issuerText,
        serialNumber: d.serialNumber,
        notBefore: d.notBefore,
        notAfter: d.notAfter,
        sha256: d.sha256,
        subjectAltNames: d.subjectAltNames.map(sanText),
        isCA: d.isCA,
        selfSigned: d.selfSigned,
      }));
      byDer.set(id, described);
    }
    return described;
  };
  const out: Inspection['certificates'] = [];
  for (let i = 0; i < ders.length; i += DESCRIBE_AT_ONCE) out.push(...(await Promise.all(ders.slice(i, i + DESCRIBE_AT_ONCE).map(describe))));
  return out;
}

/**
 * What Certdesk reads in a file: the same decoding (decodeInput) and certificate model
 * (describeCertificate) as the app's import and viewer, so a refusal has the same code.
 * @throws CertdeskError
 */
export async function inspect(bytes: Uint8Array, options: { password?: string } = {}): Promise<Inspection> {
  const decoded = await decodeInput(bytes, options.password === undefined ? {} : { password: options.password });
  const certificates = await describeAll(decoded.certificates.map((c) => c.der));
  const privateKeys = decoded.privateKeys.map((k) => ({ algorithm: inspectPrivateKey(k.pkcs8).algorithm, publicKeySha256: k.publicKeySha256 }));
  const requests = [];
  for (const { der } of decoded.requests) {
    const csr = await parseCsr(der);
    requests.push({ subject: csr.subjectText, subjectAltNames: csr.subjectAltNames.map(sanText), signatureValid: csr.signatureValid });
  }
  return { certificates, privateKeys, requests };
}

/** Runs the command; returns the exit code. */
export async function run(args: string[]): Promise<number> {
  const { file, password } = parseArgs(args);
  const result = await inspect(readInput(file), password === undefined ? {} : { password });
  process.stdout.write(JSON.stringify(result) + '\n');
  return 0;
}
