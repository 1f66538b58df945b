/**
 * Property tests: whatever happens to the bytes of a PKCS#12 file or an encrypted key, the
 * importers either succeed or fail with a CertdeskError — never a raw exception, never a hang.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CertdeskError } from '../../../src/core/errors';
import { decryptPrivateKeyInfo, encryptPrivateKeyInfo } from '../../../src/core/pki/pkcs12';
import { exportPkcs12, importPkcs12, isPkcs12 } from '../../../src/core/pki/pkcs12';
import { fixture, fixtureText } from '../../support/fixtures';

const pem = (family: string, name: string) => {
  const text = fixtureText('openssl-set', family, name);
  return new Uint8Array(Buffer.from(/-----BEGIN [^-]+-----([\s\S]*?)-----END/.exec(text)![1]!.replace(/\s+/g, ''), 'base64'));
};

/** A change to a byte string: flip, overwrite, cut, insert or duplicate a span. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(input: Uint8Array, changes: Mutation[]): Uint8Array {
  let out = input.slice();
  for (const m of changes) {
    const at = out.length ? m.at % out.length : 0;
    if (m.kind === 'flip' && out.length) out[at]! ^= 1 << m.bit;
    else if (m.kind === 'set' && out.length) out[at] = m.value;
    else if (m.kind === 'cut') out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + m.length)]);
    else if (m.kind === 'insert') out = Uint8Array.from([...out.subarray(0, at), ...m.bytes, ...out.subarray(at)]);
    else if (m.kind === 'truncate') out = out.slice(0, at);
  }
  return out;
}

async function outcome(promise: Promise<unknown>): Promise<'ok' | string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof CertdeskError) return error.code;
    throw error; // a raw exception fails the property
  }
}

const knownCodes = ['ok', 'pkcs12-malformed', 'wrong-password', 'unsupported-algorithm', 'limit-exceeded', 'encrypted-key-malformed'];

describe('importPkcs12 under random damage', () => {
  const files: Record<string, Uint8Array> = {};
  beforeAll(async () => {
    const key = pem('ec', 'server.pkcs8.pem');
    const certificates = [pem('ec', 'server.pem'), pem('ec', 'ica.pem')];
    files.modern = await exportPkcs12({ privateKey: key, certificates, friendlyName: 'n', password: 'pw', preset: 'modern', iterations: 1 });
    files.legacy = await exportPkcs12({ privateKey: key, certificates, friendlyName: 'n', password: 'pw', preset: 'legacy', iterations: 1 });
    files.nomac = fixture('pkcs12', 'node-forge-tests', 'p12keyonly.p12');
    files.pbmac1 = fixture('pkcs12', 'openssl-3.5.7-tests', 'pbmac1_256_256.good.p12');
  });

  it.each(['modern', 'legacy', 'nomac', 'pbmac1'])('%s: any damage ends in success or a typed error, quickly', async (name) => {
    const password = name === 'nomac' ? null : name === 'pbmac1' ? '1234' : 'pw';
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (changes) => {
        const bytes = mutate(files[name]!, changes);
        const started = performance.now();
        const result = await outcome(importPkcs12(bytes, password));
        expect(knownCodes).toContain(result);
        expect(typeof isPkcs12(bytes)).toBe('boolean');
        expect(performance.now() - started).toBeLessThan(3000);
      }),
      { numRuns: 150, seed: 20261126 },
    );
  });
});

describe('decryptPrivateKeyInfo under random damage', () => {
  let modern: Uint8Array;
  let legacy: Uint8Array;
  beforeAll(async () => {
    const key = pem('rsa', 'server.pkcs8.pem');
    modern = await encryptPrivateKeyInfo(key, 'pw', { preset: 'modern', iterations: 1 });
    legacy = await encryptPrivateKeyInfo(key, 'pw', { preset: 'legacy', iterations: 1 });
  });
  it.each(['modern', 'legacy'] as const)('%s: any damage ends in success or a typed error', async (name) => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (changes) => {
        const result = await outcome(decryptPrivateKeyInfo(mutate(name === 'modern' ? modern : legacy, changes), 'pw'));
        expect(knownCodes).toContain(result);
      }),
      { numRuns: 200, seed: 20261126 },
    );
  });
});
