/**
 * The appliance's pool for chain status: every answer equal to chainStatus over the same
 * certificates, and what a status depends on (its inputs and its span of time) exactly what can
 * change it.
 */
import { describe, expect, it } from 'vitest';
import { chainStatus } from '../../../../src/core/pki/validation/chain-status';
import { ChainPool } from '../../../../src/core/pki/validation/chain-pool';
import { CertificatePool } from '../../../../src/core/pki/validation/pool';
import { parseCertificate } from '../../../../src/core/pki/x509';
import { fixture } from '../../../support/fixtures';
import { bulkCertificates } from '../../../support/bulk-certificates';

/** Inside every openssl-set certificate's validity (2025-06-01 … 2027-06-01). */
const time = new Date('2026-01-01T00:00:00Z');
const set = (family: string, name: string) => fixture('openssl-set', family, `${name}.der`);
const junk = Uint8Array.of(0x30, 0x03, 1, 2);

async function poolOf(entries: Record<string, Uint8Array>): Promise<ChainPool> {
  const pool = new ChainPool();
  for (const [key, der] of Object.entries(entries)) await pool.add(key, der);
  return pool;
}

describe('ChainPool', () => {
  it.each(['rsa', 'ec'])('answers as chainStatus does over the same certificates (%s), for every subset of the chain', async (family) => {
    const all = { leaf: set(family, 'server'), ica: set(family, 'ica'), root: set(family, 'root'), client: set(family, 'client'), self: set(family, 'selfsigned'), junk };
    const names = Object.keys(all) as (keyof typeof all)[];
    for (let mask = 1; mask < 1 << names.length; mask++) {
      const chosen = names.filter((_, i) => mask & (1 << i));
      const pool = await poolOf(Object.fromEntries(chosen.map((n) => [n, all[n]])));
      for (const name of chosen) {
        const want = await chainStatus(all[name], chosen.map((n) => all[n]), { time });
        expect(await pool.status(name, { time }), `${name} among ${chosen.join(', ')}`).toEqual(want);
      }
    }
  });

  it('keeps the answer right as certificates arrive and leave', async () => {
    const pool = await poolOf({ leaf: set('ec', 'server') });
    expect((await pool.status('leaf', { time })).kind).toBe('missing-intermediate');
    await pool.add('ica', set('ec', 'ica'));
    expect((await pool.status('leaf', { time })).kind).toBe('missing-root');
    await pool.add('root', set('ec', 'root'));
    expect((await pool.status('leaf', { time })).kind).toBe('complete');
    pool.remove('ica');
    expect((await pool.status('leaf', { time })).kind).toBe('missing-intermediate');
    expect([...pool.keys()].sort()).toEqual(['leaf', 'root']);
    pool.remove('leaf');
    pool.remove('leaf');
    expect(pool.size).toBe(1);
  });

  it('a status depends on the certificates that may issue it, transitively, and on nothing else', async () => {
    const pool = await poolOf({ leaf: set('ec', 'server'), client: set('ec', 'client'), self: set('ec', 'selfsigned') });
    const at = time.getTime();
    expect(pool.dependencies('leaf', at).inputs).toEqual([]);
    await pool.add('root', set('ec', 'root'));
    // The root cannot issue the leaf directly (its issuer is the intermediate): nothing changes.
    expect(pool.dependencies('leaf', at).inputs).toEqual([]);
    await pool.add('ica', set('ec', 'ica'));
    expect(pool.dependencies('leaf', at).inputs).toEqual(['ica', 'root']);
    expect(pool.dependencies('client', at).inputs).toEqual(['ica', 'root']);
    expect(pool.dependencies('ica', at).inputs).toEqual(['root']);
    expect(pool.dependencies('root', at).inputs).toEqual([]);
    // Another leaf, or the self-signed certificate, never changes the leaf's answer.
    expect(pool.dependencies('leaf', at).inputs).not.toContain('client');
    expect(pool.dependencies('self', at).inputs).toEqual([]);
  });

  it('a status holds between the validity edges of its chain, to the second', async () => {
    const pool = await poolOf({ leaf: set('ec', 'server'), ica: set('ec', 'ica'), root: set('ec', 'root') });
    const leaf = parseCertificate(set('ec', 'server'));
    const edges = [set('ec', 'server'), set('ec', 'ica'), set('ec', 'root')].flatMap((der) => {
      const c = parseCertificate(der);
      return [c.notBefore.seconds * 1000, (c.notAfter.seconds + 1) * 1000];
    });
    const { validFrom, validUntil } = pool.dependencies('leaf', time.getTime());
    expect(validFrom).toBe(Math.max(...edges.filter((e) => e <= time.getTime())));
    expect(validUntil).toBe(Math.min(...edges.filter((e) => e > time.getTime())));
    // The answer is the same anywhere inside the span and changes just past it.
    const inside = await pool.status('leaf', { time: new Date(validUntil - 1) });
    expect(inside).toEqual(await pool.status('leaf', { time: new Date(validFrom) }));
    if (validUntil === (leaf.notAfter.seconds + 1) * 1000) expect((await pool.status('leaf', { time: new Date(validUntil) })).kind).toBe('expired');
    else expect(await pool.status('leaf', { time: new Date(validUntil) })).not.toEqual(inside);
  });

  it('bytes that are no certificate are untrusted at any time and depend on nothing', async () => {
    const pool = await poolOf({ junk, root: set('ec', 'root') });
    expect(pool.dependencies('junk', 0)).toEqual({ inputs: [], validFrom: -Infinity, validUntil: Infinity });
    expect((await pool.status('junk')).kind).toBe('untrusted');
  });

  it('judges five thousand leaves of one root, each against the pool kept once', async () => {
    const { root, leaves } = bulkCertificates(5000);
    const pool = new ChainPool();
    await pool.add('root', root);
    for (const [i, der] of leaves.entries()) await pool.add(`leaf-${i}`, der);
    const kinds = new Map<string, number>();
    for (const key of pool.keys()) {
      const kind = (await pool.status(key)).kind;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    expect(Object.fromEntries(kinds)).toEqual({ complete: 5001 });
    expect(pool.dependencies('leaf-42', Date.now()).inputs).toEqual(['root']);
  });
});

describe('CertificatePool', () => {
  it('removes by DER and is seen without one certificate, sharing its indexes', () => {
    const root = parseCertificate(set('ec', 'root'));
    const ica = parseCertificate(set('ec', 'ica'));
    const leaf = parseCertificate(set('ec', 'server'));
    const pool = new CertificatePool([root, ica]);
    const view = pool.without(ica);
    expect(view.has(ica)).toBe(false);
    expect(view.has(root)).toBe(true);
    expect(view.issuersOf(leaf)).toEqual([]);
    expect(pool.issuersOf(leaf)).toEqual([ica]);
    expect(() => view.add(leaf)).toThrow(TypeError);
    expect(pool.remove(parseCertificate(set('ec', 'ica')))).toBe(true);
    expect(pool.remove(ica)).toBe(false);
    expect(pool.all()).toEqual([root]);
    pool.add(ica);
    expect(view.all()).toEqual([root]);
    expect(pool.all()).toEqual([root, ica]);
  });
});
