/**
 * `certdesk limbo FILE [--out RESULTS.json]`: runs an x509-limbo test file (C2SP; JSON or
 * .json.gz) through the same buildAndValidate the app uses and prints, per group (core /
 * bettertls): passed, accepted-but-should-reject, rejected-but-should-accept, skipped.
 * Every field of a case that constrains validation is honoured (peer names of every kind, key
 * usages, extended key usages, signature algorithms, chain depth); cases are skipped only for
 * features Certdesk does not implement (CRLs), each with its reason.
 * Public suffixes come from the same default as the app's (tldts's Public Suffix List,
 * src/core/pki/names/public-suffix-list.ts), so no system file is read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { OID } from '../core/pki/asn1';
import { buildAndValidate, type ValidationOptions } from '../core/pki/validation/path-validation';
import { KEY_USAGE_NAMES, type KeyUsageName } from '../core/pki/x509';

/** A limbo peer name (schema: PeerName). */
export interface LimboPeerName {
  kind: 'DNS' | 'IP' | 'RFC822';
  value: string;
}

/** The fields of a limbo testcase the harness reads (schema: limbo-schema.json). */
export interface LimboCase {
  id: string;
  conflicts_with?: string[];
  features?: string[];
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time?: string | null;
  signature_algorithms?: string[];
  key_usage?: string[];
  extended_key_usage?: string[];
  expected_result: 'SUCCESS' | 'FAILURE';
  expected_peer_name?: LimboPeerName | null;
  expected_peer_names?: LimboPeerName[];
  max_chain_depth?: number | null;
  crls?: string[];
}

export interface LimboResult {
  id: string;
  actual_result: 'SUCCESS' | 'FAILURE' | 'SKIPPED';
  context: string;
}

export interface GroupSummary {
  cases: number;
  passed: number;
  acceptedShouldReject: number;
  rejectedShouldAccept: number;
  skipped: number;
}

/**
 * Features outside Certdesk's validator; a case needing one is SKIPPED with this reason. Every
 * other feature is validated, the RFC 5280-only ones by the one strict profile (so a case that
 * conflicts with it can only fail as rejected-should-accept).
 */
export const unsupportedFeatures: Readonly<Record<string, string>> = {
  'has-crl': 'Certdesk does not check CRLs (an offline tool has no revocation data)',
};

/** limbo's KnownEKUs as OIDs (RFC 5280 §4.2.1.12). */
const EKU_OIDS: Record<string, string> = {
  anyExtendedKeyUsage: OID.anyExtendedKeyUsage,
  serverAuth: OID.serverAuth,
  clientAuth: OID.clientAuth,
  codeSigning: OID.codeSigning,
  emailProtection: OID.emailProtection,
  timeStamping: OID.timeStamping,
  OCSPSigning: OID.ocspSigning,
};

/** limbo's SignatureAlgorithm names as OIDs (RFC 3279, RFC 4055, RFC 5758, RFC 8410, NIST CSOR, RFC 4491/9215). */
const SIGNATURE_OIDS: Record<string, string> = {
  RSA_WITH_MD5: OID.md5WithRSAEncryption,
  RSA_WITH_SHA1: OID.sha1WithRSAEncryption,
  RSA_WITH_SHA224: OID.sha224WithRSAEncryption,
  RSA_WITH_SHA256: OID.sha256WithRSAEncryption,
  RSA_WITH_SHA384: OID.sha384WithRSAEncryption,
  RSA_WITH_SHA512: OID.sha512WithRSAEncryption,
  RSA_WITH_SHA3_224: '2.16.840.1.101.3.4.3.13',
  RSA_WITH_SHA3_256: '2.16.840.1.101.3.4.3.14',
  RSA_WITH_SHA3_384: '2.16.840.1.101.3.4.3.15',
  RSA_WITH_SHA3_512: '2.16.840.1.101.3.4.3.16',
  RSASSA_PSS: OID.rsassaPss,
  ECDSA_WITH_SHA1: OID.ecdsaWithSHA1,
  ECDSA_WITH_SHA224: OID.ecdsaWithSHA224,
  ECDSA_WITH_SHA256: OID.ecdsaWithSHA256,
  ECDSA_WITH_SHA384: OID.ecdsaWithSHA384,
  ECDSA_WITH_SHA512: OID.ecdsaWithSHA512,
  ECDSA_WITH_SHA3_224: '2.16.840.1.101.3.4.3.9',
  ECDSA_WITH_SHA3_256: '2.16.840.1.101.3.4.3.10',
  ECDSA_WITH_SHA3_384: '2.16.840.1.101.3.4.3.11',
  ECDSA_WITH_SHA3_512: '2.16.840.1.101.3.4.3.12',
  DSA_WITH_SHA1: OID.dsaWithSHA1,
  DSA_WITH_SHA224: OID.dsaWithSHA224,
  DSA_WITH_SHA256: OID.dsaWithSHA256,
  DSA_WITH_SHA384: '2.16.840.1.101.3.4.3.3',
  DSA_WITH_SHA512: '2.16.840.1.101.3.4.3.4',
  ED25519: OID.ed25519,
  ED448: OID.ed448,
  GOSTR3411_94_WITH_3410_2001: '1.2.643.2.2.3',
  GOSTR3410_2012_WITH_3411_2012_256: '1.2.643.7.1.1.3.2',
  GOSTR3410_2012_WITH_3411_2012_512: '1.2.643.7.1.1.3.3',
};

/** limbo's KeyUsage names (X.509 calls nonRepudiation contentCommitment). */
function keyUsageName(name: string): KeyUsageName {
  const mapped = name === 'contentCommitment' ? 'nonRepudiation' : name;
  if (!(KEY_USAGE_NAMES as readonly string[]).includes(mapped)) throw new Error(`unknown key usage ${name}`);
  return mapped as KeyUsageName;
}

function lookup(table: Record<string, string>, name: string, what: string): string {
  const oid = table[name] ?? (/^\d+(\.\d+)+$/.test(name) ? name : undefined);
  if (!oid) throw new Error(`unknown ${what} ${name}`);
  return oid;
}

function pemToDer(pem: string): Uint8Array {
  const body = pem.replace(/-----(BEGIN|END) [^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(body, 'base64'));
}

const PEER_KINDS = { DNS: 'dns', IP: 'ip', RFC822: 'email' } as const;

/** The validation options a testcase asks for: every field of it that constrains validation. */
export function optionsFor(c: LimboCase): ValidationOptions {
  const options: ValidationOptions = {};
  const ekus = (c.extended_key_usage ?? []).map((e) => lookup(EKU_OIDS, e, 'extended key usage'));
  options.extendedKeyUsages = ekus.length ? ekus : [c.validation_kind === 'CLIENT' ? OID.clientAuth : OID.serverAuth];
  if (c.key_usage?.length) options.keyUsages = c.key_usage.map(keyUsageName);
  if (c.signature_algorithms?.length) options.signatureAlgorithms = c.signature_algorithms.map((a) => lookup(SIGNATURE_OIDS, a, 'signature algorithm'));
  if (c.validation_time) options.time = new Date(c.validation_time);
  const names = [...(c.expected_peer_name ? [c.expected_peer_name] : []), ...(c.expected_peer_names ?? [])];
  if (names.length) options.peerNames = names.map((n) => ({ kind: PEER_KINDS[n.kind], value: n.value }));
  if (c.max_chain_depth !== null && c.max_chain_depth !== undefined) options.maxIntermediates = c.max_chain_depth;
  return options;
}

/** Runs one case. */
export async function runCase(c: LimboCase): Promise<LimboResult> {
  const missing = [...(c.features ?? []), ...(c.crls?.length ? ['has-crl'] : [])].find((f) => unsupportedFeatures[f]);
  if (missing) return { id: c.id, actual_result: 'SKIPPED', context: `${missing}: ${unsupportedFeatures[missing]}` };
  const result = await buildAndValidate(
    pemToDer(c.peer_certificate),
    { roots: c.trusted_certs.map(pemToDer), intermediates: c.untrusted_intermediates.map(pemToDer) },
    optionsFor(c),
  );
  if (result.ok) return { id: c.id, actual_result: 'SUCCESS', context: `path of ${result.path.length} certificates` };
  return { id: c.id, actual_result: 'FAILURE', context: result.problems.map((p) => `${p.code}: ${p.message}`).join(' | ') };
}

export function groupOf(id: string): 'core' | 'bettertls' {
  return id.startsWith('bettertls::') ? 'bettertls' : 'core';
}

/** Tallies results per group against the expected outcomes. */
export function summarize(cases: readonly LimboCase[], results: readonly LimboResult[]): Record<'core' | 'bettertls', GroupSummary> {
  const empty = (): GroupSummary => ({ cases: 0, passed: 0, acceptedShouldReject: 0, rejectedShouldAccept: 0, skipped: 0 });
  const out = { core: empty(), bettertls: empty() };
  cases.forEach((c, i) => {
    const r = results[i]!;
    const g = out[groupOf(c.id)];
    g.cases++;
    if (r.actual_result === 'SKIPPED') g.skipped++;
    else if (r.actual_result === c.expected_result) g.passed++;
    else if (r.actual_result === 'SUCCESS') g.acceptedShouldReject++;
    else g.rejectedShouldAccept++;
  });
  return out;
}

/** Reads a limbo file (JSON, or gzip-compressed JSON). */
export function readLimbo(path: string): LimboCase[] {
  let bytes: Uint8Array = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const doc = JSON.parse(new TextDecoder().decode(bytes)) as { version: number; testcases: LimboCase[] };
  if (doc.version !== 1 || !Array.isArray(doc.testcases)) throw new Error(`${path} is not an x509-limbo file (version 1)`);
  return doc.testcases;
}

/** Runs every case; returns results in order and the slowest case. */
export async function runAll(cases: readonly LimboCase[]): Promise<{ results: LimboResult[]; slowest: { id: string; ms: number } }> {
  const results: LimboResult[] = [];
  const slowest = { id: '', ms: 0 };
  for (const c of cases) {
    const start = performance.now();
    results.push(await runCase(c));
    const ms = performance.now() - start;
    if (ms > slowest.ms) Object.assign(slowest, { id: c.id, ms });
  }
  return { results, slowest };
}

export async function run(args: string[]): Promise<number> {
  const file = args[0];
  const outIndex = args.indexOf('--out');
  const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
  if (!file || file.startsWith('--') || (outIndex >= 0 && !out)) {
    process.stderr.write('usage: certdesk limbo FILE [--out RESULTS.json]\n');
    return 2;
  }
  const cases = readLimbo(file);
  const start = performance.now();
  const { results, slowest } = await runAll(cases);
  const seconds = (performance.now() - start) / 1000;
  if (out) writeFileSync(out, JSON.stringify({ version: 1, harness: 'certdesk', results }, null, 1) + '\n');
  const summary = summarize(cases, results);
  const rows = [['group', 'cases', 'passed', 'accepted, should reject', 'rejected, should accept', 'skipped']];
  for (const [group, s] of Object.entries(summary))
    rows.push([group, s.cases, s.passed, s.acceptedShouldReject, s.rejectedShouldAccept, s.skipped].map(String));
  for (const row of rows) process.stdout.write(row.map((cell, i) => (i === 0 ? cell.padEnd(10) : cell.padStart(i === 3 || i === 4 ? 24 : 8))).join(' ') + '\n');
  process.stdout.write(`${cases.length} cases in ${seconds.toFixed(1)} s; slowest ${slowest.id} ${slowest.ms.toFixed(0)} ms\n`);
  return summary.core.acceptedShouldReject + summary.bettertls.acceptedShouldReject > 0 ? 1 : 0;
}
