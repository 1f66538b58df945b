import { describe, expect, it } from 'vitest';
import {
  dnsNameMatches,
  formatIpAddress,
  isValidDnsName,
  isValidPresentedDnsName,
  matchesHostname,
  parseIpAddress,
  sanCoversName,
} from '../../../src/core/pki/hostname';
import type { GeneralName } from '../../../src/core/pki/names/general-name';
import { isPublicSuffix } from '../../../src/core/pki/public-suffix';
import { fixture } from '../../support/fixtures';
import { makeCert } from './chain-fixtures';

const dns = (value: string): GeneralName => ({ kind: 'dns', value });
const ip = (text: string): GeneralName => ({ kind: 'ip', bytes: parseIpAddress(text)! });

describe('sanCoversName (RFC 6125 §6.4)', () => {
  it.each([
    { name: 'exact DNS name', sans: [dns('appliance.example.test')], host: 'appliance.example.test', want: true },
    { name: 'case is ignored', sans: [dns('Appliance.Example.TEST')], host: 'appliance.example.test', want: true },
    { name: 'trailing dot on the reference', sans: [dns('appliance.example.test')], host: 'appliance.example.test.', want: true },
    { name: 'wildcard covers one label', sans: [dns('*.mgmt.example.test')], host: 'node1.mgmt.example.test', want: true },
    { name: 'wildcard does not cover the bare domain', sans: [dns('*.mgmt.example.test')], host: 'mgmt.example.test', want: false },
    { name: 'wildcard does not cover two labels', sans: [dns('*.mgmt.example.test')], host: 'a.node1.mgmt.example.test', want: false },
    { name: 'partial-label wildcard never matches', sans: [dns('node*.mgmt.example.test')], host: 'node1.mgmt.example.test', want: false },
    { name: 'wildcard not left-most never matches', sans: [dns('node1.*.example.test')], host: 'node1.mgmt.example.test', want: false },
    { name: 'wildcard inside an A-label never matches', sans: [dns('xn--*-1b3c148a.example.com')], host: 'xn--bliss-1b3c148a.example.com', want: false },
    { name: 'wildcard over a single label is refused', sans: [dns('*.test')], host: 'example.test', want: false },
    { name: 'bare * is refused', sans: [dns('*')], host: 'example', want: false },
    { name: 'wildcard never covers an IP', sans: [dns('*.2.0.192')], host: '192.0.2.10', want: false },
    { name: 'DNS SAN spelling an IP does not cover the IP', sans: [dns('192.0.2.10')], host: '192.0.2.10', want: false },
    { name: 'IPv4 SAN covers the IP', sans: [ip('192.0.2.10')], host: '192.0.2.10', want: true },
    { name: 'IPv4 SAN, other IP', sans: [ip('192.0.2.10')], host: '192.0.2.11', want: false },
    { name: 'IPv6 SAN covers its compressed form', sans: [ip('2001:db8:0:0:0:0:0:10')], host: '2001:db8::10', want: true },
    { name: 'IPv6 in brackets', sans: [ip('2001:db8::10')], host: '[2001:db8::10]', want: true },
    { name: 'IP SAN does not cover a DNS name', sans: [ip('192.0.2.10')], host: 'appliance.example.test', want: false },
    { name: 'underscore in the reference', sans: [dns('foo_bar.example.com')], host: 'foo_bar.example.com', want: false },
    { name: 'single-label host (appliance)', sans: [dns('appliance')], host: 'appliance', want: true },
    { name: 'a Unicode host name matches its A-label SAN', sans: [dns('xn--bcher-kva.example')], host: 'bücher.example', want: true },
    { name: 'a Unicode host name, other A-label', sans: [dns('xn--bcher-kva.example')], host: 'bucher.example', want: false },
  ])('$name', ({ sans, host, want }) => {
    expect(sanCoversName(sans, host)).toBe(want);
  });
});

describe('name syntax', () => {
  it.each([
    ['appliance.example.test', true],
    ['a-b.example.test', true],
    ['-ab.example.test', false],
    ['ab-.example.test', false],
    ['foo_bar.example.com', false],
    ['.example.com', false],
    ['example..com', false],
    ['a'.repeat(64) + '.com', false],
    ['a'.repeat(63) + '.com', true],
    ['', false],
  ])('isValidDnsName(%j) is %s', (name, want) => expect(isValidDnsName(name)).toBe(want));

  it.each([
    ['*.example.com', true],
    ['*.com', false],
    ['*', false],
    ['f*.example.com', false],
    ['*.*.example.com', false],
  ])('isValidPresentedDnsName(%j) is %s', (name, want) => expect(isValidPresentedDnsName(name)).toBe(want));

  it.each([
    ['*.co.uk', false],
    ['*.CO.UK', false],
    ['*.s3.amazonaws.com', false],
    ['*.example.co.uk', true],
    ['*.foo.ck', false], // under the list's wildcard rule *.ck
    ['*.www.ck', true], // its exception !www.ck
    ['*.example.test', true],
  ])('isValidPresentedDnsName(%j, Public Suffix List) is %s (CABF BR §3.2.2.6)', (name, want) => {
    expect(isValidPresentedDnsName(name, isPublicSuffix)).toBe(want);
  });

  it.each([
    ['192.0.2.10', [192, 0, 2, 10]],
    ['::1', [...new Array(15).fill(0), 1]],
    ['2001:db8::10', [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 0x10]],
    ['::ffff:192.0.2.1', [...new Array(10).fill(0), 0xff, 0xff, 192, 0, 2, 1]],
  ])('parseIpAddress(%j)', (text, want) => {
    expect([...parseIpAddress(text)!]).toEqual(want);
  });

  it.each(['256.0.0.1', '192.0.2', '01.2.3.4', '1:2:3:4:5:6:7:8:9', '1::2::3', 'example.com', '192.0.2.0/24'])('parseIpAddress(%j) is undefined', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });

  it.each(['192.0.2.10', '2001:db8::10', '::1', '1:2:3:4:5:6:7:8', '2001:db8:0:1::'])('formatIpAddress round-trips %s', (text) => {
    expect(formatIpAddress(parseIpAddress(text)!)).toBe(text);
  });

  it('dnsNameMatches compares presented against reference', () => {
    expect(dnsNameMatches('*.example.com', 'www.example.com')).toBe(true);
    expect(dnsNameMatches('*.example.com', 'example.com')).toBe(false);
  });
});

describe('matchesHostname on certificates', () => {
  it.each(['rsa', 'ec'])('openssl-set %s server certificate', (family) => {
    const der = fixture('openssl-set', family, 'server.der');
    for (const name of ['appliance.example.test', 'node7.mgmt.example.test', 'appliance', '192.0.2.10', '2001:db8::10']) expect(matchesHostname(der, name)).toBe(true);
    for (const name of ['other.example.test', 'mgmt.example.test', 'a.b.mgmt.example.test', '192.0.2.11', 'example.test']) expect(matchesHostname(der, name)).toBe(false);
  });

  it('ignores the CN when SANs exist, uses it when there are none', async () => {
    const withSan = await makeCert({ subject: 'CN=cn.example.test', san: ['dns:san.example.test'] });
    expect(matchesHostname(withSan.der, 'cn.example.test')).toBe(false);
    expect(matchesHostname(withSan.der, 'san.example.test')).toBe(true);
    const noSan = await makeCert({ subject: 'CN=cn.example.test', san: null });
    expect(matchesHostname(noSan.der, 'cn.example.test')).toBe(true);
    expect(matchesHostname(noSan.der, '192.0.2.1')).toBe(false);
  });

  it('is false for bytes that are not a certificate', () => {
    expect(matchesHostname(new Uint8Array([1, 2, 3]), 'example.com')).toBe(false);
  });
});
