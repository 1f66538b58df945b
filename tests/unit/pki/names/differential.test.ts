/**
 * The names module against an independent implementation: Node's X509Certificate#checkHost
 * and #checkIP (OpenSSL's X509_check_host / X509_check_ip_asc) on certificates made here with
 * random subjectAltName lists, for random host names, wildcards, IDNs in U-label and A-label
 * form, trailing dots, upper case and IP literals in every spelling.
 *
 * Certdesk's answer is the one readiness, Atlas and failover use: readCertificateFacts →
 * coversName with the Public Suffix List. Every disagreement must be one of the deliberate,
 * cited differences below; anything else fails with the seed to replay it (FC_SEED=… to explore).
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { X509Certificate } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { getPublicSuffix } from 'tldts';
import { readCertificateFacts } from '../../../../src/core/appliance/certificate-facts';
import { coversName } from '../../../../src/core/pki/names/match';
import { isPublicSuffix } from '../../../../src/core/pki/names/public-suffix-list';
import { bitString, explicit, integer, octetString, oid, sequence, setOf, tlv } from '../../../../src/core/pki/asn1/writer';

const SEED = Number(process.env.FC_SEED ?? 20260601);
const RUNS = Number(process.env.FC_RUNS ?? 10_000);

/** Node's options for the rules Certdesk applies: no CN, whole-label wildcards over one label. */
const checkHostOptions = { subject: 'never', wildcards: true, partialWildcards: false, multiLabelWildcards: false } as const;

// ---------------------------------------------------------------------------------------------
// Certificates: one P-256 key for all, the TBS written with Certdesk's DER writer.

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const keys = (await crypto.subtle.generateKey(ecdsa, false, ['sign', 'verify'])) as CryptoKeyPair;
const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
const ecdsaWithSha256 = sequence(oid('1.2.840.10045.4.3.2'));
const name = sequence(setOf(sequence(oid('2.5.4.10'), tlv(0x0c, new TextEncoder().encode('Names differential')))));
const utc = (text: string) => tlv(0x17, new TextEncoder().encode(text));
const tbsHead = [explicit(0, integer(2)), integer(7), ecdsaWithSha256, name, sequence(utc('250101000000Z'), utc('350101000000Z')), name, spki];

type San = { kind: 'dns'; bytes: Uint8Array } | { kind: 'ip'; bytes: Uint8Array };

async function certificate(sans: readonly San[]): Promise<Uint8Array> {
  const generalNames = sans.map((s) => tlv(s.kind === 'dns' ? 0x82 : 0x87, s.bytes));
  const extension = sequence(oid('2.5.29.17'), octetString(sequence(...generalNames)));
  const tbs = sequence(...tbsHead, explicit(3, sequence(extension)));
  const raw = new Uint8Array(await crypto.subtle.sign(ecdsa, keys.privateKey, tbs as Uint8Array<ArrayBuffer>));
  const signature = sequence(integer(raw.subarray(0, 32)), integer(raw.subarray(32)));
  return sequence(tbs, ecdsaWithSha256, bitString(signature));
}

// ---------------------------------------------------------------------------------------------
// Names.

/** A-labels the generator knows the U-label of (RFC 3492 encodings), so references can use either. */
const idn: Record<string, string> = { 'xn--bcher-kva': 'bücher', 'xn--p1ai': 'рф', 'xn--80adxhks': 'москва', 'xn--mnchen-3ya': 'münchen' };
const bases = [
  'example.com', 'example.co.uk', 'co.uk', 'com', 'github.io', 'example.github.io', 's3.amazonaws.com', 'foo.ck', 'www.ck',
  'xn--bcher-kva.example', 'example.xn--p1ai', 'xn--80adxhks.xn--p1ai', 'xn--p1ai', 'example', 'mgmt.example.test', '2.0.192', 'xn--mnchen-3ya.de',
];
const labelArb = fc.oneof(
  fc.constantFrom('www', 'a', 'mail', 'node-7', 'x1', 'xn--bcher-kva', 'xn--mnchen-3ya', 'b', '7'),
  fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/),
);
const baseArb = fc.oneof(fc.constantFrom(...bases), fc.tuple(labelArb, fc.constantFrom(...bases)).map(([l, b]) => `${l}.${b}`));

const v4Pool = [[192, 0, 2, 1], [192, 0, 2, 10], [10, 0, 0, 1], [127, 0, 0, 1], [0, 0, 0, 0]];
const v6Pool = ['2001:db8::1', '2001:db8::10', '::1', '::', '::ffff:c000:201', 'fe80::1', '2001:db8:0:1:1:1:1:1', '2001:db8::1:0:0:1', '2001:0:0:1::1'].map((t) => v6Bytes(t));
function v6Bytes(text: string): Uint8Array {
  // Expanded by the URL parser (an implementation independent of the names module).
  const canonical = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const [head = '', tail = ''] = canonical.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = canonical.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return Uint8Array.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}
const ipArb = fc.oneof(
  fc.constantFrom(...v4Pool.map((b) => Uint8Array.from(b))),
  fc.constantFrom(...v6Pool),
  fc.uint8Array({ minLength: 4, maxLength: 4 }),
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
);

/** Random ASCII case, as an admin or a CA may write it. */
const recase = (text: string, mask: number) => [...text].map((c, i) => ((mask >> i % 30) & 1 ? c.toUpperCase() : c)).join('');
const utf8 = (text: string) => new TextEncoder().encode(text);

/** A dNSName as a CA might write it, well formed or not. */
const dnsSanArb = fc
  .tuple(
    baseArb,
    fc.constantFrom('exact', 'exact', 'wildcard', 'wildcard', 'partial', 'inner', 'double', 'star', 'underscore', 'trailing-dot', 'utf8'),
    fc.nat(),
  )
  .map(([base, form, mask]): { text: string; bytes: Uint8Array } => {
    const text = {
      exact: base,
      wildcard: `*.${base}`,
      partial: `f*.${base}`,
      inner: `a.*.${base}`,
      double: `*.*.${base}`,
      star: '*',
      underscore: `a_b.${base}`,
      'trailing-dot': `${base}.`,
      utf8: base.replace(/xn--[a-z0-9-]+/g, (l) => idn[l] ?? l),
    }[form];
    const cased = recase(text, mask);
    return { text: cased, bytes: utf8(cased) };
  });

const sanArb = fc.oneof(
  { weight: 3, arbitrary: dnsSanArb.map((d): San & { text: string } => ({ kind: 'dns', bytes: d.bytes, text: d.text })) },
  { weight: 2, arbitrary: ipArb.map((bytes): San & { text: string } => ({ kind: 'ip', bytes, text: '' })) },
);

/** The ways a reference IP may be spelled. */
function ipSpellings(bytes: Uint8Array): string[] {
  if (bytes.length === 4) {
    const padded = [...bytes].map((n) => String(n).padStart(3, '0')).join('.');
    return [bytes.join('.'), padded, `::ffff:${bytes.join('.')}`];
  }
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  const canonical = new URL(`http://[${groups.map((g) => g.toString(16)).join(':')}]/`).hostname.slice(1, -1);
  const full = groups.map((g) => g.toString(16).padStart(4, '0')).join(':');
  const out = [canonical, full, full.toUpperCase(), groups.map((g) => g.toString(16)).join(':'), canonical.toUpperCase(), `[${canonical}]`, `${canonical}%eth0`];
  if (groups.slice(0, 6).every((g, i) => g === (i === 5 ? 0xffff : 0))) out.push(`::ffff:${[...bytes.subarray(12)].join('.')}`, `::FFFF:${[...bytes.subarray(12)].join('.')}`);
  return out;
}

interface Reference {
  text: string;
  ip: boolean;
}

/** References derived from one SAN: the name itself, siblings, parents, children, other spellings. */
function referencesFor(san: San & { text: string }, pick: number, mask: number, extra: string): Reference[] {
  if (san.kind === 'ip') return ipSpellings(san.bytes).map((text) => ({ text, ip: true }));
  const plain = san.text.toLowerCase().replace(/^(\*\.|f\*\.|a\.\*\.|\*\.\*\.)/, '').replace(/\.$/, '');
  const candidates = [
    san.text,
    `${extra}.${plain}`,
    plain,
    `a.b.${plain}`,
    `${extra}.${plain}.`,
    recase(`${extra}.${plain}`, mask),
    `${extra}.${plain}`.replace(/xn--[a-z0-9-]+/g, (l) => idn[l] ?? l),
    recase(`${extra}.${plain}`.replace(/xn--[a-z0-9-]+/g, (l) => idn[l] ?? l), mask),
    `${extra}.${plain}`.replace(/xn--/g, 'XN--'),
    `.${plain}`,
  ];
  return [candidates[pick % candidates.length]!, candidates[(pick >> 4) % candidates.length]!, candidates[1]!].map((text) => ({ text, ip: false }));
}

// ---------------------------------------------------------------------------------------------
// The independent answer, and the deliberate differences.

function nodeAnswer(cert: X509Certificate, reference: Reference): string | undefined {
  try {
    return reference.ip ? cert.checkIP(reference.text) : cert.checkHost(reference.text, checkHostOptions);
  } catch {
    return undefined; // checkIP throws on text OpenSSL cannot read as an address
  }
}

/** Public suffixes straight from tldts (both sections), as the names module is meant to use them. */
const publicSuffix = (domain: string) => getPublicSuffix(domain, { allowPrivateDomains: true, extractHostname: false, validateHostname: false }) === domain;
const LDH_NAME = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

/**
 * Why Certdesk may deliberately answer otherwise than OpenSSL, each with its source. A
 * disagreement is deliberate only when one of these holds for the case and, for the reference
 * adjustments, Node agrees with Certdesk once the reference is adjusted that way.
 */
const deliberate = {
  'reference in U-labels': 'OpenSSL compares the UTF-8 bytes; RFC 6125 §6.4.2 compares A-labels, so Certdesk converts the reference with UTS #46',
  'reference with a trailing dot': 'OpenSSL keeps the dot; RFC 1034 §3.1: it marks the name absolute, the same name (Chromium and Go drop it too)',
  'wildcard over a public suffix': 'OpenSSL consults no suffix list; CA/B Forum BR §3.2.2.6 forbids it, RFC 6125 §7.2 warns against honouring it',
  'presented name not in preferred syntax': 'OpenSSL compares any bytes; RFC 5280 §4.2.1.6 (RFC 1034 §3.5 syntax), BR §7.1.2.7.12 (no root label)',
  'reference is not a host name': 'OpenSSL compares any text (and matches a literal "*"); a reference identifier is a host name (RFC 6125 §6.2.1, RFC 1123 §2.1), one ending in a number is an IPv4 address to browsers (WHATWG URL §3.5)',
  'IPv4 with leading zeros': 'OpenSSL reads 010 as decimal 10, inet_aton and browsers as octal 8: ambiguous (RFC 6943 §3.1.1), so Certdesk reads no address (RFC 3986 §3.2.2 dec-octet)',
  'malformed subjectAltName': 'a dNSName with non-ASCII bytes is not an IA5String (RFC 5280 §4.2.1.6, X.680 §41): Certdesk reads the extension as malformed and the certificate covers nothing, as Go refuses to parse it; OpenSSL compares the bytes',
} as const;
type Reason = keyof typeof deliberate;

/**
 * The reference as RFC 6125 has a client present it, with the reasons it differs from what
 * OpenSSL is given: U-labels converted to A-labels (Node's own url.domainToASCII, UTS #46; an
 * empty result is a name UTS #46 refuses), one trailing dot dropped. OpenSSL's answer on this
 * text is what Certdesk must give; OpenSSL's answer on the raw text differs deliberately.
 */
function presentedReference(reference: Reference): { text: string; reasons: Reason[] } {
  const reasons: Reason[] = [];
  let text = reference.text;
  if (reference.ip) return { text, reasons };
  if (/[^\x00-\x7f]/.test(text)) {
    text = domainToASCII(text);
    reasons.push('reference in U-labels');
  }
  if (/[^.]\.$/.test(text)) {
    text = text.slice(0, -1);
    reasons.push('reference with a trailing dot');
  }
  return { text, reasons };
}

/**
 * Which deliberate difference explains Certdesk refusing a name OpenSSL matched (`node`: the
 * presented name it matched), or undefined when none does.
 */
function explain(sans: readonly San[], reference: Reference, text: string, node: string): Reason | undefined {
  if (sans.some((s) => s.kind === 'dns' && s.bytes.some((b) => b > 0x7f))) return 'malformed subjectAltName';
  if (reference.ip) return /(^|[.:])0\d/.test(text) ? 'IPv4 with leading zeros' : undefined;
  const base = node.startsWith('*.') ? node.slice(2) : node;
  if (!LDH_NAME.test(base)) return 'presented name not in preferred syntax';
  if (node.startsWith('*.') && publicSuffix(base.toLowerCase())) return 'wildcard over a public suffix';
  const labels = text.split('.');
  if (!LDH_NAME.test(text) || /^([0-9]+|0x[0-9a-f]*)$/i.test(labels[labels.length - 1]!)) return 'reference is not a host name';
  return undefined;
}

// ---------------------------------------------------------------------------------------------

const tally = { certificates: 0, comparisons: 0, bothTrue: 0, bothFalse: 0, disagreements: 0, deliberate: {} as Partial<Record<Reason, number>>, example: {} as Partial<Record<Reason, string>> };

describe('names module vs OpenSSL (Node X509Certificate checkHost / checkIP)', () => {
  it(`agrees on ${RUNS} random certificates, or differs only deliberately (seed ${SEED})`, { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(sanArb, { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.nat(),
        labelArb,
        fc.array(ipArb, { maxLength: 1 }),
        async (sans, pick, mask, extra, strayIps) => {
          const der = await certificate(sans);
          const node = new X509Certificate(der);
          const facts = await readCertificateFacts(der);
          const references = [
            ...sans.flatMap((san, i) => referencesFor(san, pick >> i, mask, extra)),
            ...strayIps.flatMap((b) => ipSpellings(b).map((text) => ({ text, ip: true }))),
          ];
          tally.certificates++;
          const sanList = sans.map((s) => (s.kind === 'dns' ? `DNS:${s.text}` : `IP:${[...s.bytes].join(',')}`)).join(', ');
          for (const reference of references) {
            tally.comparisons++;
            const ours = coversName(facts, reference.text, isPublicSuffix);
            const raw = nodeAnswer(node, reference);
            const presented = presentedReference(reference);
            const expected = presented.reasons.length === 0 ? raw : presented.text === '' ? undefined : nodeAnswer(node, { text: presented.text, ip: false });
            const describe = () =>
              `[${sanList}] ${JSON.stringify(reference.text)}: Certdesk ${ours}, OpenSSL ${raw ?? 'no match'}` +
              (presented.reasons.length ? ` (${JSON.stringify(presented.text)}: ${expected ?? 'no match'})` : '');
            let reason: Reason | undefined;
            if (ours === (expected !== undefined)) {
              if (ours === (raw !== undefined)) {
                if (ours) tally.bothTrue++;
                else tally.bothFalse++;
                continue;
              }
              reason = presented.reasons[0];
            } else if (!ours && expected !== undefined) {
              reason = explain(sans, reference, presented.text, expected);
            }
            if (!reason) throw new Error(`unexplained: ${describe()}`);
            tally.disagreements++;
            tally.deliberate[reason] = (tally.deliberate[reason] ?? 0) + 1;
            tally.example[reason] ??= describe();
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(tally.certificates).toBe(RUNS);
    // The comparison is not vacuous: both answers occur often.
    expect(tally.bothTrue).toBeGreaterThan(RUNS);
    expect(tally.bothFalse).toBeGreaterThan(RUNS);
  });

  afterAll(() => {
    console.log(
      `names differential (seed ${SEED}): ${tally.certificates} certificates, ${tally.comparisons} comparisons, ` +
        `${tally.bothTrue} both cover, ${tally.bothFalse} both refuse, ${tally.disagreements} deliberate differences:\n` +
        Object.entries(tally.deliberate)
          .map(([reason, n]) => `  ${String(n).padStart(6)}  ${reason}: ${deliberate[reason as Reason]}\n      e.g. ${tally.example[reason as Reason]}`)
          .join('\n'),
    );
  });
});
