import { beforeAll, describe, expect, it } from 'vitest';
import * as x509 from '@peculiar/x509';
import { buildAndValidate, type ValidationOptions } from '../../../src/core/pki/validation/path-validation';
import { limits } from '../../../src/core/pki/limits';
import { readLimbo } from '../../../src/cli/limbo';
import { fixturePath } from '../../support/fixtures';
import { dnsName, ipName, makeCert, makeFamily, makeKeys, nameConstraints, now, year, type Made } from './chain-fixtures';
import { buildChain, signatureAlgorithmIdentifier, validationTime, withFields } from '../../support/chain-factory';

interface Case {
  name: string;
  build: () => Promise<{ leaf: Made; intermediates?: Made[]; roots: Made[]; options?: ValidationOptions }>;
  /** `ok` with the expected path length, or the problem code that must be reported. */
  want: { ok: number } | { code: string };
}

let family: Awaited<ReturnType<typeof makeFamily>>;
beforeAll(async () => {
  family = await makeFamily();
});

const ok = (n: number) => ({ ok: n });
const code = (c: string) => ({ code: c });

const cases: Case[] = [
  { name: 'a valid root → intermediate → leaf chain', build: async () => ({ leaf: family.leaf, intermediates: [family.ica], roots: [family.root] }), want: ok(3) },
  { name: 'the intermediate missing from the pool', build: async () => ({ leaf: family.leaf, roots: [family.root] }), want: code('no-trusted-root') },
  { name: 'the root not trusted', build: async () => ({ leaf: family.leaf, intermediates: [family.ica, family.root], roots: [] }), want: code('no-trusted-root') },
  { name: 'validated after the leaf expired', build: async () => ({ leaf: family.leaf, intermediates: [family.ica], roots: [family.root], options: { time: new Date(now.getTime() + 2 * year) } }), want: code('expired') },
  { name: 'validated before the leaf is valid', build: async () => ({ leaf: family.leaf, intermediates: [family.ica], roots: [family.root], options: { time: new Date(now.getTime() - 2 * year) } }), want: code('not-yet-valid') },
  {
    name: 'notBefore is inclusive (RFC 5280 §4.1.2.5)',
    build: async () => {
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: family.ica, san: ['dns:appliance.example.test'], notBefore: now });
      return { leaf, intermediates: [family.ica], roots: [family.root], options: { time: now } };
    },
    want: ok(3),
  },
  {
    name: 'notAfter is inclusive to the second',
    build: async () => {
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: family.ica, san: ['dns:appliance.example.test'], notAfter: now });
      return { leaf, intermediates: [family.ica], roots: [family.root], options: { time: new Date(now.getTime() + 999) } };
    },
    want: ok(3),
  },
  {
    name: 'one second after notAfter',
    build: async () => {
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: family.ica, san: ['dns:appliance.example.test'], notAfter: now });
      return { leaf, intermediates: [family.ica], roots: [family.root], options: { time: new Date(now.getTime() + 1000) } };
    },
    want: code('expired'),
  },
  {
    name: 'an intermediate with cA=false',
    build: async () => {
      const ica = await makeCert({ subject: 'CN=Not A CA', issuer: family.root, ca: false, keyUsage: x509.KeyUsageFlags.digitalSignature, san: null });
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: ica, san: ['dns:appliance.example.test'] });
      return { leaf, intermediates: [ica], roots: [family.root] };
    },
    want: code('not-a-ca'),
  },
  {
    name: 'an intermediate without basicConstraints',
    build: async () => {
      const ica = await makeCert({ subject: 'CN=No BC', issuer: family.root, ca: null });
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: ica, san: ['dns:appliance.example.test'] });
      return { leaf, intermediates: [ica], roots: [family.root] };
    },
    want: code('missing-basic-constraints'),
  },
  {
    name: 'a CA whose keyUsage lacks keyCertSign',
    build: async () => {
      const ica = await makeCert({ subject: 'CN=No keyCertSign', issuer: family.root, keyUsage: x509.KeyUsageFlags.cRLSign });
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: ica, san: ['dns:appliance.example.test'] });
      return { leaf, intermediates: [ica], roots: [family.root] };
    },
    want: code('ca-key-usage'),
  },
  {
    name: 'pathLen 0 on an intermediate above another CA',
    build: async () => {
      const ica1 = await makeCert({ subject: 'CN=ICA pathlen 0', issuer: family.root, pathLen: 0 });
      const ica2 = await makeCert({ subject: 'CN=ICA below', issuer: ica1 });
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: ica2, san: ['dns:appliance.example.test'] });
      return { leaf, intermediates: [ica1, ica2], roots: [family.root] };
    },
    want: code('path-length-exceeded'),
  },
  {
    name: 'pathLen 0 directly above the leaf',
    build: async () => {
      const ica = await makeCert({ subject: 'CN=ICA pathlen 0', issuer: family.root, pathLen: 0 });
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: ica, san: ['dns:appliance.example.test'] });
      return { leaf, intermediates: [ica], roots: [family.root] };
    },
    want: ok(3),
  },
  {
    name: 'a self-issued key-rollover certificate does not count against pathLen',
    build: async () => {
      const old = await makeCert({ subject: 'CN=Rolling CA', issuer: family.root, pathLen: 0 });
      const rolled = await makeCert({ subject: 'CN=Rolling CA', issuer: old, pathLen: 0 });
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: rolled, san: ['dns:appliance.example.test'] });
      return { leaf, intermediates: [old, rolled], roots: [family.root] };
    },
    want: ok(4),
  },
  {
    name: 'a leaf for clientAuth only, validated for serverAuth',
    build: async () => {
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: family.ica, san: ['dns:appliance.example.test'], eku: ['1.3.6.1.5.5.7.3.2'] });
      return { leaf, intermediates: [family.ica], roots: [family.root] };
    },
    want: code('wrong-extended-key-usage'),
  },
  {
    name: 'a clientAuth leaf validated for clientAuth',
    build: async () => {
      const leaf = await makeCert({ subject: 'CN=admin', issuer: family.ica, san: ['email:admin@example.test'], eku: ['1.3.6.1.5.5.7.3.2'] });
      return { leaf, intermediates: [family.ica], roots: [family.root], options: { purpose: 'clientAuth' } };
    },
    want: ok(3),
  },
  {
    name: 'a leaf with anyExtendedKeyUsage (CABF BR §7.1.2.7.10)',
    build: async () => {
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: family.ica, san: ['dns:appliance.example.test'], eku: ['1.3.6.1.5.5.7.3.1', '2.5.29.37.0'] });
      return { leaf, intermediates: [family.ica], roots: [family.root] };
    },
    want: code('any-extended-key-usage'),
  },
  {
    name: 'an intermediate restricted to clientAuth',
    build: async () => {
      const ica = await makeCert({ subject: 'CN=Client CA', issuer: family.root, eku: ['1.3.6.1.5.5.7.3.2'] });
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: ica, san: ['dns:appliance.example.test'] });
      return { leaf, intermediates: [ica], roots: [family.root] };
    },
    want: code('intermediate-extended-key-usage'),
  },
  {
    name: 'a leaf without subjectAltName',
    build: async () => {
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: family.ica, san: null });
      return { leaf, intermediates: [family.ica], roots: [family.root] };
    },
    want: code('missing-subject-alt-name'),
  },
  {
    name: 'a leaf that is a CA',
    build: async () => {
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: family.ica, san: ['dns:appliance.example.test'], ca: true });
      return { leaf, intermediates: [family.ica], roots: [family.root] };
    },
    want: code('leaf-is-ca'),
  },
  {
    name: 'an unknown critical extension on the leaf',
    build: async () => {
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: family.ica, san: ['dns:appliance.example.test'], extensions: [new x509.Extension('1.3.6.1.4.1.55738.666.1', true, new Uint8Array([5, 0]))] });
      return { leaf, intermediates: [family.ica], roots: [family.root] };
    },
    want: code('unknown-critical-extension'),
  },
  {
    name: 'an unknown non-critical extension on the leaf',
    build: async () => {
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: family.ica, san: ['dns:appliance.example.test'], extensions: [new x509.Extension('1.3.6.1.4.1.55738.666.1', false, new Uint8Array([5, 0]))] });
      return { leaf, intermediates: [family.ica], roots: [family.root] };
    },
    want: ok(3),
  },
  {
    name: 'the same extension twice',
    build: async () => {
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: family.ica, san: ['dns:appliance.example.test'], extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)] });
      return { leaf, intermediates: [family.ica], roots: [family.root] };
    },
    want: code('duplicate-extension'),
  },
  {
    name: 'a leaf without authorityKeyIdentifier',
    build: async () => {
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: family.ica, san: ['dns:appliance.example.test'], aki: false });
      return { leaf, intermediates: [family.ica], roots: [family.root] };
    },
    want: code('missing-authority-key-identifier'),
  },
  {
    name: 'a leaf signed with ECDSA-SHA-1',
    build: async () => {
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: family.ica, san: ['dns:appliance.example.test'], signingAlgorithm: { name: 'ECDSA', hash: 'SHA-1' } as EcdsaParams });
      return { leaf, intermediates: [family.ica], roots: [family.root] };
    },
    want: code('weak-signature-algorithm'),
  },
  {
    name: 'a leaf signed by another key under the intermediate’s name',
    build: async () => {
      const impostor = await makeCert({ subject: family.ica.subject, issuer: family.root });
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: impostor, san: ['dns:appliance.example.test'] });
      return { leaf, intermediates: [family.ica], roots: [family.root] };
    },
    want: code('bad-signature'),
  },
  {
    name: 'an RSA-1024 leaf key',
    build: async () => {
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: family.ica, san: ['dns:appliance.example.test'], kind: 'rsa1024' });
      return { leaf, intermediates: [family.ica], roots: [family.root] };
    },
    want: code('rsa-key-too-small'),
  },
  { name: 'a host name the leaf covers', build: async () => ({ leaf: family.leaf, intermediates: [family.ica], roots: [family.root], options: { hostname: 'appliance.example.test' } }), want: ok(3) },
  { name: 'an IP the leaf covers', build: async () => ({ leaf: family.leaf, intermediates: [family.ica], roots: [family.root], options: { hostname: '192.0.2.10' } }), want: ok(3) },
  { name: 'a host name the leaf does not cover', build: async () => ({ leaf: family.leaf, intermediates: [family.ica], roots: [family.root], options: { hostname: 'other.example.test' } }), want: code('hostname-mismatch') },
  {
    name: 'an intermediate permitted only example.test, leaf inside',
    build: async () => {
      const ica = await makeCert({ subject: 'CN=Constrained CA', issuer: family.root, extensions: [nameConstraints([dnsName('example.test'), ipName(192, 0, 2, 0, 255, 255, 255, 0)])] });
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: ica, san: ['dns:appliance.example.test', 'ip:192.0.2.10'] });
      return { leaf, intermediates: [ica], roots: [family.root] };
    },
    want: ok(3),
  },
  {
    name: 'an intermediate permitted only example.test, leaf outside',
    build: async () => {
      const ica = await makeCert({ subject: 'CN=Constrained CA', issuer: family.root, extensions: [nameConstraints([dnsName('example.test')])] });
      const leaf = await makeCert({ subject: 'CN=appliance.example.org', issuer: ica, san: ['dns:appliance.example.org'] });
      return { leaf, intermediates: [ica], roots: [family.root] };
    },
    want: code('name-constraint-violation'),
  },
  {
    name: 'an intermediate excluding 192.0.2.0/24, leaf with 192.0.2.10',
    build: async () => {
      const ica = await makeCert({ subject: 'CN=Constrained CA', issuer: family.root, extensions: [nameConstraints([], [ipName(192, 0, 2, 0, 255, 255, 255, 0)])] });
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: ica, san: ['dns:appliance.example.test', 'ip:192.0.2.10'] });
      return { leaf, intermediates: [ica], roots: [family.root] };
    },
    want: code('name-constraint-violation'),
  },
  {
    name: 'name constraints not marked critical',
    build: async () => {
      const ica = await makeCert({ subject: 'CN=Constrained CA', issuer: family.root, extensions: [nameConstraints([dnsName('example.test')], [], false)] });
      const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: ica, san: ['dns:appliance.example.test'] });
      return { leaf, intermediates: [ica], roots: [family.root] };
    },
    want: code('non-critical-name-constraints'),
  },
  {
    name: 'more intermediates than allowed',
    build: async () => {
      const chain = await longChain(7);
      return { leaf: chain.leaf, intermediates: chain.intermediates, roots: [chain.root] };
    },
    want: code('too-many-intermediates'),
  },
  {
    name: 'exactly maxIntermediates intermediates',
    build: async () => {
      const chain = await longChain(limits.maxIntermediates);
      return { leaf: chain.leaf, intermediates: chain.intermediates, roots: [chain.root] };
    },
    want: ok(limits.maxIntermediates + 2),
  },
  {
    name: 'maxIntermediates raised by the caller',
    build: async () => {
      const chain = await longChain(7);
      return { leaf: chain.leaf, intermediates: chain.intermediates, roots: [chain.root], options: { maxIntermediates: 7 } };
    },
    want: ok(9),
  },
];

async function longChain(n: number) {
  const root = await makeCert({ subject: `CN=Long Root ${n}` });
  const intermediates: Made[] = [];
  let issuer = root;
  for (let i = 0; i < n; i++) {
    issuer = await makeCert({ subject: `CN=Long ICA ${n}.${i}`, issuer });
    intermediates.push(issuer);
  }
  const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer, san: ['dns:appliance.example.test'] });
  return { root, intermediates, leaf };
}

describe('buildAndValidate: one rule per case', () => {
  it.each(cases)('$name', async ({ build, want }) => {
    const { leaf, intermediates = [], roots, options } = await build();
    const result = await buildAndValidate(leaf.der, { intermediates: intermediates.map((c) => c.der), roots: roots.map((c) => c.der) }, { time: now, ...options });
    if ('ok' in want) {
      expect(result).toMatchObject({ ok: true });
      if (result.ok) {
        expect(result.path).toHaveLength(want.ok);
        expect(result.path[0]).toEqual(leaf.der);
      }
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.problems.map((p) => p.code)).toContain(want.code);
        for (const p of result.problems) expect(p.message.length).toBeGreaterThan(20);
      }
    }
  });
});

describe('signature algorithms', () => {
  it.each([
    ['ECDSA P-256 / SHA-256', 'p256'],
    ['ECDSA P-384 / SHA-384', 'p384'],
    ['ECDSA P-521 / SHA-512', 'p521'],
    ['RSA PKCS#1 v1.5 / SHA-256', 'rsa2048'],
  ] as const)('%s chains validate', async (_name, kind) => {
    const f = await makeFamily(kind);
    const result = await buildAndValidate(f.leaf.der, { intermediates: [f.ica.der], roots: [f.root.der] }, { time: now });
    expect(result).toMatchObject({ ok: true });
  });

  it('RSA-PSS / SHA-256 chains validate when encoded as BR §7.1.3.2.1 lists it', async () => {
    const pss = { scheme: 'pss', hash: 'sha256' } as const;
    const signed = withFields({ signing: pss, signatureAlgorithm: signatureAlgorithmIdentifier(pss) });
    const chain = buildChain({ keys: { root: 'rsa2048', intermediate: 'rsa2048', leaf: 'rsa2048' }, intermediate: signed, leaf: signed });
    expect(await buildAndValidate(chain.leaf.der, chain.pool, { time: validationTime })).toMatchObject({ ok: true });
  });

  it('refuses RSA-PSS whose hash identifiers omit their NULL parameters (pyca/cryptography does)', async () => {
    const f = await makeFamily('rsa2048-pss');
    const result = await buildAndValidate(f.leaf.der, { intermediates: [f.ica.der], roots: [f.root.der] }, { time: now });
    expect(result.ok ? [] : [...new Set(result.problems.map((p) => p.code))]).toEqual(['signature-algorithm-encoding']);
  });

  it('refuses RSA with SHA-1 with a clear reason', async () => {
    const keys = await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-1' }, true, ['sign', 'verify']);
    const root = await makeCert({ subject: 'CN=SHA-1 Root', keys, kind: 'rsa2048', signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' } as Algorithm });
    const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: root, san: ['dns:appliance.example.test'], signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' } as Algorithm });
    const result = await buildAndValidate(leaf.der, { intermediates: [], roots: [root.der] }, { time: now });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.find((p) => p.code === 'weak-signature-algorithm')?.message).toMatch(/SHA-1/);
  });
});

describe('path building', () => {
  it('uses a cross-signed intermediate to reach whichever root is trusted', async () => {
    const rootA = await makeCert({ subject: 'CN=Old Root' });
    const rootB = await makeCert({ subject: 'CN=New Root' });
    const icaKeys = await makeKeys();
    const icaA = await makeCert({ subject: 'CN=Issuing CA', issuer: rootA, keys: icaKeys });
    const icaB = await makeCert({ subject: 'CN=Issuing CA', issuer: rootB, keys: icaKeys });
    const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: icaA, san: ['dns:appliance.example.test'] });
    const pool = [icaA.der, icaB.der];
    for (const [root, ica] of [
      [rootA, icaA],
      [rootB, icaB],
    ] as const) {
      const result = await buildAndValidate(leaf.der, { intermediates: pool, roots: [root.der] }, { time: now });
      expect(result).toEqual({ ok: true, path: [leaf.der, ica.der, root.der] });
    }
  });

  it('tries the other cross-sign when the first path fails (expired cross-certificate)', async () => {
    const rootA = await makeCert({ subject: 'CN=Old Root' });
    const rootB = await makeCert({ subject: 'CN=New Root' });
    const icaKeys = await makeKeys();
    const expired = await makeCert({ subject: 'CN=Issuing CA', issuer: rootA, keys: icaKeys, notAfter: new Date(now.getTime() - 1000) });
    const good = await makeCert({ subject: 'CN=Issuing CA', issuer: rootB, keys: icaKeys });
    const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: good, san: ['dns:appliance.example.test'] });
    const result = await buildAndValidate(leaf.der, { intermediates: [expired.der, good.der], roots: [rootA.der, rootB.der] }, { time: now });
    expect(result).toEqual({ ok: true, path: [leaf.der, good.der, rootB.der] });
    const onlyExpired = await buildAndValidate(leaf.der, { intermediates: [expired.der, good.der], roots: [rootA.der] }, { time: now });
    expect(onlyExpired.ok).toBe(false);
    if (!onlyExpired.ok) expect(onlyExpired.problems.map((p) => p.code)).toContain('expired');
  });

  it('stops at a cross-signing loop without a trusted root', async () => {
    const keys1 = await makeKeys();
    const keys2 = await makeKeys();
    const seed1 = await makeCert({ subject: 'CN=Loop 1', keys: keys1 });
    const ica2 = await makeCert({ subject: 'CN=Loop 2', issuer: seed1, keys: keys2 });
    const ica1 = await makeCert({ subject: 'CN=Loop 1', issuer: ica2, keys: keys1 });
    const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: ica1, san: ['dns:appliance.example.test'] });
    const result = await buildAndValidate(leaf.der, { intermediates: [ica1.der, ica2.der], roots: [family.root.der] }, { time: now });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.code)).toContain('no-trusted-root');
  });

  it('reports the problems of a found path with each certificate’s position and fingerprint', async () => {
    const ica = await makeCert({ subject: 'CN=Expired ICA', issuer: family.root, notAfter: new Date(now.getTime() - 5000) });
    const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: ica, san: ['dns:appliance.example.test'] });
    const result = await buildAndValidate(leaf.der, { intermediates: [ica.der], roots: [family.root.der] }, { time: now });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problem = result.problems.find((p) => p.code === 'expired');
    const sha256 = Buffer.from(await crypto.subtle.digest('SHA-256', ica.der as BufferSource)).toString('hex');
    expect(problem?.certificate).toEqual({ subject: 'CN=Expired ICA', sha256, index: 1 });
    expect(result.partialPath).toEqual([leaf.der, ica.der, family.root.der]);
  });

  it('cancels with an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(buildAndValidate(family.leaf.der, { intermediates: [family.ica.der], roots: [family.root.der] }, { time: now, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects bytes that are not a certificate', async () => {
    const result = await buildAndValidate(new Uint8Array([0x30, 0x80, 0, 0]), { intermediates: [], roots: [family.root.der] });
    expect(result).toMatchObject({ ok: false, problems: [{ code: 'malformed-certificate' }] });
  });
});

describe('serial numbers (RFC 5280 §4.1.2.2), on x509-limbo’s certificates', () => {
  // @peculiar/x509 will not write a zero or negative serial, so these use limbo's bytes.
  const byId = new Map(readLimbo(fixturePath('limbo', 'public.json.gz')).map((c) => [c.id, c]));
  it.each([
    ['rfc5280::serial::zero', 'zero-serial-number'],
    ['rfc5280::serial::negative', 'negative-serial-number'],
  ])('%s is refused as %s', async (id, want) => {
    const c = byId.get(id)!;
    const pem = (text: string) => new Uint8Array(Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
    const result = await buildAndValidate(pem(c.peer_certificate), { intermediates: c.untrusted_intermediates.map(pem), roots: c.trusted_certs.map(pem) }, c.validation_time ? { time: new Date(c.validation_time) } : {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.code)).toContain(want);
  });
});

describe('work budgets (limits.ts)', () => {
  /** Decoys share the intermediate's name and claimed key id but not its key: each costs one signature check. */
  async function decoyChain(decoys: number) {
    const root = await makeCert({ subject: 'CN=Budget Root' });
    const ica = await makeCert({ subject: 'CN=Budget ICA', issuer: root, ski: '0102030405060708' });
    const leaf = await makeCert({ subject: 'CN=appliance.example.test', issuer: ica, san: ['dns:appliance.example.test'], aki: false, extensions: [new x509.AuthorityKeyIdentifierExtension('0102030405060708')] });
    const pool: Uint8Array[] = [];
    for (let i = 0; i < decoys; i++) pool.push((await makeCert({ subject: 'CN=Budget ICA', issuer: root, ski: '0102030405060708' })).der);
    pool.push(ica.der);
    return { leaf, pool, root };
  }

  it(`passes with exactly ${limits.maxChainSignatureChecks} signature checks`, async () => {
    const { leaf, pool, root } = await decoyChain(limits.maxChainSignatureChecks - 2);
    const result = await buildAndValidate(leaf.der, { intermediates: pool, roots: [root.der] }, { time: now });
    expect(result).toMatchObject({ ok: true });
  });

  it('stops with work-limit-reached one signature check later', async () => {
    const { leaf, pool, root } = await decoyChain(limits.maxChainSignatureChecks - 1);
    const result = await buildAndValidate(leaf.der, { intermediates: pool, roots: [root.der] }, { time: now });
    expect(result).toMatchObject({ ok: false, problems: [{ code: 'work-limit-reached' }] });
  });

  /** Constraints × names = 500 × (1 subject + sans). */
  async function constraintChain(sans: number) {
    const permitted = Array.from({ length: 500 }, (_, i) => dnsName(`n${i}.example.test`));
    const ica = await makeCert({ subject: 'CN=Many Constraints', issuer: family.root, extensions: [nameConstraints(permitted)] });
    const names = Array.from({ length: sans }, (_, i) => `dns:n${i % 500}.example.test`);
    const leaf = await makeCert({ subject: 'CN=n0.example.test', issuer: ica, san: names });
    return { leaf, ica };
  }

  it(`passes with exactly ${limits.maxNameConstraintChecks} name-constraint comparisons`, async () => {
    const { leaf, ica } = await constraintChain(limits.maxNameConstraintChecks / 500 - 1);
    const result = await buildAndValidate(leaf.der, { intermediates: [ica.der], roots: [family.root.der] }, { time: now });
    expect(result).toMatchObject({ ok: true });
  });

  it('stops with work-limit-reached past the name-constraint budget', async () => {
    const { leaf, ica } = await constraintChain(limits.maxNameConstraintChecks / 500);
    const result = await buildAndValidate(leaf.der, { intermediates: [ica.der], roots: [family.root.der] }, { time: now });
    expect(result).toMatchObject({ ok: false, problems: [{ code: 'work-limit-reached' }] });
  });
});
