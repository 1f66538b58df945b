import { beforeAll, describe, expect, it } from 'vitest';
import { isPublicSuffix, publicSuffixCheck } from '../../../../src/core/pki/names/public-suffix-list';
import { loadPublicSuffixCheck, publicSuffixCheckFor } from '../../../../src/core/pki/names/public-suffix';
import { buildAndValidate } from '../../../../src/core/pki/validation/path-validation';
import { chainStatus } from '../../../../src/core/pki/validation/chain-status';
import { makeCert, now, type Made } from '../chain-fixtures';

/** Chromium's rule (net/cert/x509_certificate.cc): the ICANN section only. */
const icannOnly = publicSuffixCheck({ privateSuffixes: false });

describe('public suffixes from tldts’s Public Suffix List', () => {
  it.each([
    { name: 'com', want: true, icann: true },
    { name: 'co.uk', want: true, icann: true },
    { name: 'CO.UK', want: true, icann: true },
    { name: 'co.uk.', want: true, icann: true },
    { name: 'example.co.uk', want: false, icann: false },
    { name: 'example.com', want: false, icann: false },
    // The PRIVATE section: counted by default, not by Chromium's rule.
    { name: 'github.io', want: true, icann: false },
    { name: 's3.amazonaws.com', want: true, icann: false },
    { name: 'example.github.io', want: false, icann: false },
    // Wildcard rules and their exceptions (*.ck !www.ck, *.kawasaki.jp !city.kawasaki.jp).
    { name: 'foo.ck', want: true, icann: true },
    { name: 'www.ck', want: false, icann: false },
    { name: 'foo.kawasaki.jp', want: true, icann: true },
    { name: 'city.kawasaki.jp', want: false, icann: false },
    // IDN suffixes, in the A-label form certificates carry.
    { name: 'xn--p1ai', want: true, icann: true }, // рф
    { name: 'xn--fiqs8s', want: true, icann: true }, // 中国
    { name: 'xn--55qx5d.cn', want: true, icann: true }, // 公司.cn
    { name: 'xn--4pvxs.jp', want: true, icann: true }, // 栃木.jp
    { name: 'xn--lesund-hua.no', want: true, icann: true }, // ålesund.no
    { name: 'xn--80aswg.xn--p1ai', want: false, icann: false }, // сайт.рф, a registered name
    // Names the list does not know end in an implicit one-label suffix (its "*" rule).
    { name: 'corp', want: true, icann: true },
    { name: 'example.corp', want: false, icann: false },
    { name: 'example.test', want: false, icann: false },
    { name: '', want: true, icann: true },
  ])('$name: public suffix $want (ICANN section only: $icann)', ({ name, want, icann }) => {
    expect(isPublicSuffix(name)).toBe(want);
    expect(icannOnly(name)).toBe(icann);
  });

  it('is loaded on first need, and kept', async () => {
    const first = await loadPublicSuffixCheck();
    expect(first).toBe(isPublicSuffix);
    expect(await loadPublicSuffixCheck()).toBe(first);
  });

  it('is loaded for matching only when a presented name is a wildcard', async () => {
    const plain = { dnsNames: ['www.example.com'], ipAddresses: ['192.0.2.1'] };
    expect(await publicSuffixCheckFor(plain)).toBeUndefined();
    expect(await publicSuffixCheckFor(plain, { dnsNames: ['*.example.com'], ipAddresses: [] })).toBe(isPublicSuffix);
  });
});

describe('wildcard certificates over public suffixes (CABF BR §3.2.2.6)', () => {
  let root: Made;
  let ica: Made;
  beforeAll(async () => {
    root = await makeCert({ subject: 'CN=Suffix Test Root' });
    ica = await makeCert({ subject: 'CN=Suffix Test Intermediate', issuer: root });
  });
  const leafFor = (san: string) => makeCert({ subject: 'O=Suffix Test Leaf', issuer: ica, san: [`dns:${san}`] });

  it.each([
    { san: '*.com', hostname: 'example.com', error: 'malformed-dns-name' },
    { san: '*.co.uk', hostname: 'example.co.uk', error: 'wildcard-over-public-suffix' },
    { san: '*.CO.UK', hostname: 'example.co.uk', error: 'wildcard-over-public-suffix' },
    { san: '*.example.co.uk', hostname: 'www.example.co.uk' },
    { san: '*.github.io', hostname: 'example.github.io', error: 'wildcard-over-public-suffix' },
    { san: '*.s3.amazonaws.com', hostname: 'bucket.s3.amazonaws.com', error: 'wildcard-over-public-suffix' },
    { san: '*.example.github.io', hostname: 'www.example.github.io' },
    { san: '*.foo.ck', hostname: 'bar.foo.ck', error: 'wildcard-over-public-suffix' },
    { san: '*.www.ck', hostname: 'a.www.ck' },
    { san: '*.xn--55qx5d.cn', hostname: 'example.xn--55qx5d.cn', error: 'wildcard-over-public-suffix' }, // *.公司.cn
    { san: '*.xn--4pvxs.jp', hostname: 'example.xn--4pvxs.jp', error: 'wildcard-over-public-suffix' }, // *.栃木.jp
    { san: '*.xn--80aswg.xn--p1ai', hostname: 'www.xn--80aswg.xn--p1ai' }, // *.сайт.рф
    { san: '*.xn--80aswg.xn--p1ai', hostname: 'www.сайт.рф' }, // the same, asked for by its U-label name
    { san: '*.mgmt.example.test', hostname: 'node7.mgmt.example.test' },
  ])('$san for $hostname: $error', async ({ san, hostname, error }) => {
    const leaf = await leafFor(san);
    const result = await buildAndValidate(leaf.der, { roots: [root.der], intermediates: [ica.der] }, { time: now, hostname });
    if (!error) {
      expect(result).toEqual({ ok: true, path: [leaf.der, ica.der, root.der] });
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // A wildcard clients refuse covers no name either.
    expect(result.problems.map((p) => p.code).sort()).toEqual([error, 'hostname-mismatch'].sort());
    const problem = result.problems.find((p) => p.code === error)!;
    expect(problem.message).toContain(`“${san}”`);
    expect(problem.certificate?.index).toBe(0);
  });

  it('a caller’s own check replaces the default (Chromium’s ICANN-only rule accepts *.github.io)', async () => {
    const pool = { roots: [root.der], intermediates: [ica.der] };
    const github = await leafFor('*.github.io');
    expect(await buildAndValidate(github.der, pool, { time: now, hostname: 'example.github.io', isPublicSuffix: icannOnly })).toMatchObject({ ok: true });
    const couk = await leafFor('*.co.uk');
    const refused = await buildAndValidate(couk.der, pool, { time: now, isPublicSuffix: icannOnly });
    expect(refused.ok ? [] : refused.problems.map((p) => p.code)).toEqual(['wildcard-over-public-suffix']);
  });

  it('chain status, called as the app calls it, refuses *.co.uk and completes *.example.co.uk', async () => {
    const couk = await leafFor('*.co.uk');
    const status = await chainStatus(couk.der, [ica.der, root.der], { time: now, builtInRoots: [] });
    expect(status.kind).toBe('untrusted');
    expect(status.kind === 'untrusted' ? status.problems.map((p) => p.code) : []).toEqual(['wildcard-over-public-suffix']);
    const own = await leafFor('*.example.co.uk');
    expect(await chainStatus(own.der, [ica.der, root.der], { time: now, builtInRoots: [], hostname: 'www.example.co.uk' })).toEqual({
      kind: 'complete',
      path: [own.der, ica.der, root.der],
    });
  });
});
