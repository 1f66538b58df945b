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

/** Runs the command; returns the exit code. */
export async function run(args: string[]): Promise<number> {
  const { file, password } = parseArgs(args);
  const decoded = await decodeInput(readInput(file), password === undefined ? {} : { password });
  const certificates = [];
  for (const { der } of decoded.certificates) {
    const d = await describeCertificate(der);
    certificates.push({
      subject: d.subjectText,
      issuer: d.issuerText,
      serialNumber: d.serialNumber,
      notBefore: d.notBefore,
      notAfter: d.notAfter,
      sha256: d.sha256,
      subjectAltNames: d.subjectAltNames.map(sanText),
      isCA: d.isCA,
      selfSigned: d.selfSigned,
    });
  }
  const privateKeys = decoded.privateKeys.map((k) => ({ algorithm: inspectPrivateKey(k.pkcs8).algorithm, publicKeySha256: k.publicKeySha256 }));
  const requests = [];
  for (const { der } of decoded.requests) {
    const csr = await parseCsr(der);
    requests.push({ subject: csr.subjectText, subjectAltNames: csr.subjectAltNames.map(sanText), signatureValid: csr.signatureValid });
  }
  process.stdout.write(JSON.stringify({ certificates, privateKeys, requests }) + '\n');
  return 0;
}
