import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  encodeSubjectAltName,
  subjectAltNamesFor,
  validateDnsName,
  validateSubject,
  validateSubjectAltName,
} from '../../../../src/core/pki/names/subject-input';
import { describeGeneralName } from '../../../../src/core/pki/names/general-name';

describe('validateSubjectAltName', () => {
  const ok: { input: string; want: { type: 'dns' | 'ip'; value: string } }[] = [
    { input: 'appliance.example.test', want: { type: 'dns', value: 'appliance.example.test' } },
    { input: 'Appliance.Example.TEST.', want: { type: 'dns', value: 'appliance.example.test' } },
    { input: '  support.example.com  ', want: { type: 'dns', value: 'support.example.com' } },
    { input: '*.mgmt.example.test', want: { type: 'dns', value: '*.mgmt.example.test' } },
    { input: 'appliance', want: { type: 'dns', value: 'appliance' } },
    { input: 'bücher.example', want: { type: 'dns', value: 'xn--bcher-kva.example' } },
    { input: 'xn--bcher-kva.example', want: { type: 'dns', value: 'xn--bcher-kva.example' } },
    { input: '*.müller.example', want: { type: 'dns', value: '*.xn--mller-kva.example' } },
    { input: '192.0.2.10', want: { type: 'ip', value: '192.0.2.10' } },
    { input: '0.0.0.0', want: { type: 'ip', value: '0.0.0.0' } },
    { input: '2001:DB8:0:0:0:0:0:10', want: { type: 'ip', value: '2001:db8::10' } },
    { input: '[2001:db8::10]', want: { type: 'ip', value: '2001:db8::10' } },
    { input: '2001:db8:0:0:1:0:0:1', want: { type: 'ip', value: '2001:db8::1:0:0:1' } },
    { input: '2001:0db8:0000:0001:0001:0001:0001:0001', want: { type: 'ip', value: '2001:db8:0:1:1:1:1:1' } },
    { input: '::1', want: { type: 'ip', value: '::1' } },
    { input: '::', want: { type: 'ip', value: '::' } },
    { input: '::ffff:192.0.2.1', want: { type: 'ip', value: '::ffff:c000:201' } },
    { input: 'a'.repeat(63) + '.example', want: { type: 'dns', value: 'a'.repeat(63) + '.example' } },
    // UTS #46 maps capital sharp s to "ss" (the old NFKC + toLowerCase approximation gave xn--zca).
    { input: 'ẞ.example', want: { type: 'dns', value: 'ss.example' } },
    { input: 'XN--BCHER-KVA.Example', want: { type: 'dns', value: 'xn--bcher-kva.example' } },
    { input: '*。bücher。example', want: { type: 'dns', value: '*.xn--bcher-kva.example' } },
    { input: '::FFFF:192.0.2.1', want: { type: 'ip', value: '::ffff:c000:201' } },
  ];
  for (const c of ok) {
    it(`accepts ${JSON.stringify(c.input)}`, () => {
      expect(validateSubjectAltName(c.input)).toEqual({ ok: true, value: c.want });
    });
  }

  const bad: { input: string; code: string }[] = [
    { input: '', code: 'san-empty' },
    { input: 'two words', code: 'san-whitespace' },
    { input: 'a*.example.com', code: 'wildcard-position' },
    { input: 'www.*.example.com', code: 'wildcard-position' },
    { input: '*.*.example.com', code: 'wildcard-position' },
    { input: '*.com', code: 'wildcard-too-broad' },
    { input: 'a'.repeat(64) + '.example', code: 'label-too-long' },
    { input: ('a'.repeat(60) + '.').repeat(5) + 'com', code: 'hostname-too-long' },
    { input: 'under_score.example', code: 'invalid-hostname' },
    { input: '-lead.example', code: 'invalid-hostname' },
    { input: 'trail-.example', code: 'invalid-hostname' },
    { input: 'a..b', code: 'empty-label' },
    { input: 'xn--a.example', code: 'invalid-punycode' },
    { input: 'xn--abc-.example', code: 'invalid-hostname' },
    { input: 'xn--zz9999.example', code: 'invalid-punycode' },
    { input: '192.0.2', code: 'invalid-ipv4' },
    { input: '192.0.2.256', code: 'invalid-ipv4' },
    { input: '192.0.2.1.5', code: 'invalid-ipv4' },
    { input: '192.000.2.1', code: 'ipv4-leading-zero' },
    { input: '2001:db8::1::2', code: 'invalid-ipv6' },
    { input: '2001:db8:0:0:0:0:0:0:1', code: 'invalid-ipv6' },
    { input: 'fe80::1%eth0', code: 'invalid-ipv6' },
    { input: '12345::', code: 'invalid-ipv6' },
    { input: 'host.123', code: 'invalid-hostname' },
    // The WHATWG URL parser reads a host ending in 0x… as an IPv4 address too.
    { input: 'host.0x1f', code: 'invalid-hostname' },
    { input: '💩.example', code: 'invalid-punycode' },
    { input: 'xn--ls8h.example', code: 'invalid-punycode' },
    { input: 'xn--bcher-2pa.example', code: 'invalid-punycode' }, // "bÜcher": UTS #46 maps Ü to ü
    { input: 'bü%63her.example', code: 'invalid-hostname' },
    { input: '*.bücher', code: 'wildcard-too-broad' },
    { input: 'b*.bücher.example', code: 'wildcard-position' },
  ];
  for (const c of bad) {
    it(`refuses ${JSON.stringify(c.input)} with ${c.code}`, () => {
      const result = validateSubjectAltName(c.input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.problems[0]!.code).toBe(c.code);
        expect(result.problems[0]!.message.length).toBeGreaterThan(10);
        expect(result.problems[0]!.message).not.toContain('\n');
      }
    });
  }
});

describe('encodeSubjectAltName', async () => {
  const { AsnConvert } = await import('@peculiar/asn1-schema');
  const { parseGeneralName } = await import('../../../../src/core/pki/x509');
  const { readDer } = await import('../../../../src/core/pki/asn1');
  it.each(['192.0.2.10', '2001:db8::10', '::ffff:c000:201', '::', 'xn--bcher-kva.example', '*.mgmt.example.test'])(
    'writes %s so that it reads back the same',
    (text) => {
      const san = validateSubjectAltName(text);
      if (!san.ok) throw new Error(san.problems[0]!.message);
      const again = parseGeneralName(readDer(new Uint8Array(AsnConvert.serialize(encodeSubjectAltName(san.value)))));
      expect(describeGeneralName(again)).toEqual(san.value);
    },
  );
});

describe('validateSubject', () => {
  it('normalises and drops empty fields', () => {
    expect(validateSubject({ C: 'de', O: ' Acme ', OU: '', CN: 'appliance.example.test' })).toEqual({
      ok: true,
      value: { C: 'DE', O: 'Acme', CN: 'appliance.example.test' },
    });
  });
  const bad: { subject: Parameters<typeof validateSubject>[0]; field: string; code: string }[] = [
    { subject: { C: 'Germany' }, field: 'C', code: 'country-not-two-letters' },
    { subject: { C: 'D1' }, field: 'C', code: 'country-not-two-letters' },
    { subject: { CN: 'x'.repeat(65) }, field: 'CN', code: 'field-too-long' },
    { subject: { O: 'a'.repeat(65) }, field: 'O', code: 'field-too-long' },
    { subject: { L: 'line\nbreak' }, field: 'L', code: 'control-character' },
    { subject: { CN: 'nul\u0000inside' }, field: 'CN', code: 'control-character' },
    { subject: {}, field: 'CN', code: 'subject-empty' },
    { subject: { CN: '   ' }, field: 'CN', code: 'subject-empty' },
  ];
  for (const c of bad) {
    it(`refuses ${JSON.stringify(c.subject)}`, () => {
      const result = validateSubject(c.subject);
      expect(result).toMatchObject({ ok: false, problems: [{ field: c.field, code: c.code }] });
    });
  }
  it('accepts fields exactly at the RFC 5280 upper bounds', () => {
    expect(validateSubject({ CN: 'x'.repeat(64), ST: 's'.repeat(128), L: 'l'.repeat(128), O: 'o'.repeat(64), OU: 'u'.repeat(64) }).ok).toBe(true);
  });
});

describe('subjectAltNamesFor', () => {
  it('puts a hostname CN first and removes duplicates', () => {
    expect(subjectAltNamesFor({ CN: 'Appliance.Example.Test' }, ['192.0.2.10', 'appliance.example.test', '192.0.2.10'])).toEqual({
      ok: true,
      value: [
        { type: 'dns', value: 'appliance.example.test' },
        { type: 'ip', value: '192.0.2.10' },
      ],
    });
  });
  it('puts a single-label CN first only when it is the site hostname', () => {
    expect(subjectAltNamesFor({ CN: 'appliance' }, ['a.example'], 'appliance')).toMatchObject({ ok: true, value: [{ value: 'appliance' }, { value: 'a.example' }] });
    expect(subjectAltNamesFor({ CN: 'appliance' }, ['a.example'])).toMatchObject({ ok: true, value: [{ value: 'a.example' }] });
  });
  it('leaves a descriptive CN out of the SANs', () => {
    expect(subjectAltNamesFor({ CN: 'Support Appliance' }, ['a.example'])).toEqual({ ok: true, value: [{ type: 'dns', value: 'a.example' }] });
  });
  it('needs at least one SAN', () => {
    expect(subjectAltNamesFor({ CN: 'Support Appliance' }, [])).toMatchObject({ ok: false, problems: [{ code: 'no-subject-alt-names' }] });
  });
  it('reports every bad entry with its index', () => {
    const result = subjectAltNamesFor({}, ['ok.example', 'bad_name', '300.1.1.1']);
    expect(result).toMatchObject({ ok: false, problems: [{ field: 'subjectAltNames[1]' }, { field: 'subjectAltNames[2]' }] });
  });
});

describe('validateDnsName', () => {
  it('converts IDN to punycode (RFC 5891)', () => {
    expect(validateDnsName('münchen.example')).toEqual({ ok: true, value: 'xn--mnchen-3ya.example' });
  });

  // Regression: upper-case IDN was encoded first and lower-cased after, giving another A-label.
  const idn = ['BÜCHER.example', 'bücher.example', 'ÄÖÜ.de', 'Ｅｘａｍｐｌｅ.com', 'straße.de', '日本語.jp', 'МОСКВА.рф', 'Παράδειγμα.δοκιμή', 'café.EXAMPLE'];
  for (const host of idn) {
    it(`${host} maps as a browser does (WHATWG URL)`, () => {
      expect(validateDnsName(host)).toEqual({ ok: true, value: new URL(`http://${host}/`).hostname });
    });
  }
});

describe('properties', () => {
  it('IPv6 text is canonical as WHATWG URL serialises it (RFC 5952), for any address', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (groups) => {
        const text = groups.map((g) => g.toString(16)).join(':');
        const parsed = validateSubjectAltName(text);
        expect(parsed).toEqual({ ok: true, value: { type: 'ip', value: new URL(`http://[${text}]/`).hostname.slice(1, -1) } });
        expect(validateSubjectAltName(parsed.ok ? parsed.value.value : '')).toEqual(parsed);
      }),
    );
  });
  it('IPv4 addresses round-trip', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(validateSubjectAltName(ip)).toEqual({ ok: true, value: { type: 'ip', value: ip } });
      }),
    );
  });
  it('any LDH hostname validates to its lower-case form', () => {
    fc.assert(
      fc.property(fc.domain(), (host) => {
        const result = validateDnsName(host);
        if (/^[0-9]+$/.test(host.split('.').pop()!)) expect(result.ok).toBe(false);
        else expect(result).toEqual({ ok: true, value: host.toLowerCase() });
      }),
    );
  });
});
