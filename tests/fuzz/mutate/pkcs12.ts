/**
 * PKCS#12-aware mutations that keep the file's integrity check valid, so that a mutation reaches
 * the bag parsers and the key readers instead of stopping at the MAC (RFC 7292 §4): the
 * AuthenticatedSafe is mutated structurally and the MAC computed again with the password; or one
 * encrypted part (an EncryptedData content or a shrouded key bag, PBES2 with AES-CBC or the
 * PKCS#12 3DES scheme) is decrypted, its plaintext mutated and encrypted again.
 *
 * Written on node:crypto (the RFC 7292 appendix B KDF is implemented here), independent of the
 * code under test; the tree comes from the DER mutator's reader.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { der, OID } from '../../../src/core/pki/asn1';
import type { Rng } from '../rng';
import { mutateDer, parseDer, serialize, type DerNode } from './der';

const oidContent = (dotted: string) => der.oid(dotted).subarray(2);
const same = (a: Uint8Array | undefined, b: Uint8Array) => !!a && a.length === b.length && a.every((x, i) => x === b[i]);
const isOid = (node: DerNode | undefined, dotted: string) => node?.tag === 0x06 && same(node.content, oidContent(dotted));

const HASHES: [string, string, number][] = [
  [OID.sha1, 'sha1', 64],
  [OID.sha256, 'sha256', 64],
  [OID.sha384, 'sha384', 128],
  [OID.sha512, 'sha512', 128],
];
const PRFS: [string, string][] = [
  [OID.hmacWithSHA1, 'sha1'],
  [OID.hmacWithSHA256, 'sha256'],
  [OID.hmacWithSHA384, 'sha384'],
  [OID.hmacWithSHA512, 'sha512'],
];
const AES: [string, string][] = [
  [OID.aes128Cbc, 'aes-128-cbc'],
  [OID.aes192Cbc, 'aes-192-cbc'],
  [OID.aes256Cbc, 'aes-256-cbc'],
];

/** The contents octets of a primitive or DER-carrying OCTET STRING node. */
function octets(node: DerNode | undefined): Uint8Array | undefined {
  if (node?.tag !== 0x04) return undefined;
  if (node.wrapped) return serialize(node.wrapped.children);
  return node.content;
}

function smallInteger(node: DerNode | undefined): number {
  let n = 0;
  for (const b of node?.content ?? []) n = n * 256 + b;
  return n;
}

/** RFC 7292 appendix B.2: the PKCS#12 key derivation (ID 1 key, 2 IV, 3 MAC key). */
function pkcs12Kdf(hash: string, blockSize: number, password: string | null, salt: Uint8Array, id: number, iterations: number, length: number): Buffer {
  const u = createHash(hash).digest().length;
  const fill = (data: Uint8Array) => {
    if (!data.length) return Buffer.alloc(0);
    const out = Buffer.alloc(blockSize * Math.ceil(data.length / blockSize));
    for (let i = 0; i < out.length; i++) out[i] = data[i % data.length]!;
    return out;
  };
  const pw = password === null ? Buffer.alloc(0) : Buffer.concat([Buffer.from(password, 'utf16le').swap16(), Buffer.alloc(2)]);
  let I = Buffer.concat([fill(salt), fill(pw)]);
  const D = Buffer.alloc(blockSize, id);
  const out: Buffer[] = [];
  for (let produced = 0; produced < length; produced += u) {
    let A = createHash(hash).update(D).update(I).digest();
    for (let i = 1; i < iterations; i++) A = createHash(hash).update(A).digest();
    out.push(A);
    const B = fill(A);
    const next = Buffer.alloc(I.length);
    for (let j = 0; j < I.length; j += blockSize) {
      let carry = 1;
      for (let k = blockSize - 1; k >= 0; k--) {
        carry += I[j + k]! + B[k]!;
        next[j + k] = carry & 0xff;
        carry >>= 8;
      }
    }
    I = next;
  }
  return Buffer.concat(out).subarray(0, length);
}

interface Cipher {
  decrypt(ciphertext: Uint8Array): Uint8Array;
  encrypt(plaintext: Uint8Array): Uint8Array;
}

/** The cipher of an EncryptionAlgorithmIdentifier this module can redo, with the password. */
function cipherOf(algorithm: DerNode | undefined, password: string | null): Cipher | undefined {
  const [oid, params] = algorithm?.children ?? [];
  const make = (name: string, key: Uint8Array, iv: Uint8Array): Cipher => ({
    decrypt: (c) => {
      const d = createDecipheriv(name, key, iv);
      return new Uint8Array(Buffer.concat([d.update(c), d.final()]));
    },
    encrypt: (p) => {
      const e = createCipheriv(name, key, iv);
      return new Uint8Array(Buffer.concat([e.update(p), e.final()]));
    },
  });
  if (isOid(oid, OID.pbeWithSHAAnd3KeyTripleDESCBC)) {
    const [salt, iterations] = params?.children ?? [];
    const s = octets(salt);
    if (!s) return undefined;
    const n = smallInteger(iterations) || 1;
    if (n > 10_000) return undefined;
    return make('des-ede3-cbc', pkcs12Kdf('sha1', 64, password, s, 1, n, 24), pkcs12Kdf('sha1', 64, password, s, 2, n, 8));
  }
  if (!isOid(oid, OID.pbes2)) return undefined;
  const [kdf, scheme] = params?.children ?? [];
  const [kdfOid, kdfParams] = kdf?.children ?? [];
  if (!isOid(kdfOid, OID.pbkdf2)) return undefined;
  const [salt, iterations, ...rest] = kdfParams?.children ?? [];
  const prfNode = rest.find((r) => r.tag === 0x30)?.children?.[0];
  const prf = prfNode ? PRFS.find(([o]) => isOid(prfNode, o))?.[1] : 'sha1';
  const aes = AES.find(([o]) => isOid(scheme?.children?.[0], o));
  const s = octets(salt);
  const iv = octets(scheme?.children?.[1]);
  const n = smallInteger(iterations);
  if (!prf || !aes || !s || !iv || iv.length !== 16 || n < 1 || n > 10_000) return undefined;
  const keyLength = Number(aes[1].slice(4, 7)) / 8;
  return make(aes[1], pbkdf2Sync(Buffer.from(password ?? '', 'utf8'), s, n, keyLength, prf), iv);
}

/** Every encrypted part of an AuthenticatedSafe: [the algorithm node, the ciphertext node]. */
function encryptedParts(authSafe: DerNode[]): [DerNode, DerNode][] {
  const out: [DerNode, DerNode][] = [];
  for (const info of authSafe[0]?.children ?? []) {
    const [type, content] = info.children ?? [];
    const inner = content?.children?.[0];
    if (isOid(type, OID.encryptedData)) {
      // EncryptedData { version, EncryptedContentInfo { type, algorithm, [0] IMPLICIT ciphertext } }
      const eci = inner?.children?.[1];
      const [, algorithm, ciphertext] = eci?.children ?? [];
      if (algorithm && ciphertext?.tag === 0x80) out.push([algorithm, ciphertext]);
    } else if (isOid(type, OID.data) && inner?.wrapped) {
      for (const bag of inner.wrapped.children[0]?.children ?? []) {
        const [bagType, bagValue] = bag.children ?? [];
        const shrouded = bagValue?.children?.[0];
        if (isOid(bagType, OID.pkcs8ShroudedKeyBag) && shrouded?.children?.length === 2) out.push([shrouded.children[0]!, shrouded.children[1]!]);
      }
    }
  }
  return out;
}

/**
 * A mutated PKCS#12 file whose MAC still verifies under `password` (when it has a classic MAC),
 * or undefined when `bytes` is not a PFX this module can take apart.
 */
export function mutatePkcs12Sealed(rng: Rng, bytes: Uint8Array, password: string | null, donor: () => Uint8Array | undefined): Uint8Array | undefined {
  const tree = parseDer(bytes);
  const pfx = tree?.[0];
  const [version, authSafeInfo, macData] = pfx?.children ?? [];
  const octet = authSafeInfo?.children?.[1]?.children?.[0];
  if (!version || !octet || octet.tag !== 0x04) return undefined;
  let content = octets(octet)!;
  const parts = encryptedParts(parseDer(content) ?? []);
  const part = parts.length && rng.chance(0.5) ? rng.pick(parts) : undefined;
  const cipher = part ? cipherOf(part[0], password) : undefined;
  if (part && cipher && part[1].content) {
    let plaintext: Uint8Array;
    try {
      plaintext = cipher.decrypt(part[1].content);
    } catch {
      return undefined;
    }
    part[1].content = cipher.encrypt(mutateDer(rng, plaintext, () => undefined));
    delete part[1].wrapped;
    const authSafe = parseDer(content)!;
    // Write the re-encrypted part back into a fresh copy of the AuthenticatedSafe.
    const fresh = encryptedParts(authSafe)[parts.indexOf(part)];
    if (fresh) {
      fresh[1].content = part[1].content;
      delete fresh[1].wrapped;
    }
    content = serialize(authSafe);
  } else {
    content = mutateDer(rng, content, () => {
      const d = donor();
      const inner = d ? parseDer(d)?.[0]?.children?.[1]?.children?.[1]?.children?.[0] : undefined;
      return octets(inner);
    });
  }
  delete octet.wrapped;
  octet.content = content;
  sealMac(macData, content, password);
  return serialize(tree!);
}

/** Sets the digest of a classic MacData (RFC 7292 §5.1) to the HMAC of `content` under `password`, where this module can. */
function sealMac(macData: DerNode | undefined, content: Uint8Array, password: string | null): void {
  const [digestInfo, macSalt, macIterations] = macData?.children ?? [];
  const hash = HASHES.find(([o]) => isOid(digestInfo?.children?.[0]?.children?.[0], o));
  const digest = digestInfo?.children?.[1];
  const salt = octets(macSalt);
  const iterations = macIterations ? smallInteger(macIterations) : 1;
  if (hash && digest && salt && iterations >= 1 && iterations <= 10_000) {
    const key = pkcs12Kdf(hash[1], hash[2], password, salt, 3, iterations, createHash(hash[1]).digest().length);
    digest.content = new Uint8Array(createHmac(hash[1], key).update(content).digest());
    delete digest.wrapped;
  }
}

/** `bytes` (a PFX with a classic MAC) with its MAC computed again under `password`: for tests that alter a file by hand. */
export function resealPkcs12(bytes: Uint8Array, password: string | null): Uint8Array {
  const tree = parseDer(bytes)!;
  const [, authSafeInfo, macData] = tree[0]!.children!;
  sealMac(macData, octets(authSafeInfo!.children![1]!.children![0])!, password);
  return serialize(tree);
}
