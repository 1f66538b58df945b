import { describe, expect, test } from 'vitest';
import { fixture, fixtureText } from '../../support/fixtures';
import { incoming, looksLikeCertificateText, readFiles } from '../../../src/ui/state/incoming-files.svelte';

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('looksLikeCertificateText: whether a paste onto the page starts an import', () => {
  test.each([
    { name: 'a PEM chain', text: fixtureText('openssl-set', 'ec', 'ca-bundle.pem'), want: true },
    { name: 'a PEM private key', text: fixtureText('openssl-set', 'ec', 'server.pkcs8.pem'), want: true },
    { name: 'PEM inside an e-mail with text around it', text: `Hello,\n\nhere it is:\n${fixtureText('openssl-set', 'rsa', 'server.pem')}\nRegards`, want: true },
    { name: 'PEM whose dashes a word processor replaced (decoding explains it)', text: fixtureText('openssl-set', 'ec', 'root.pem').replaceAll('-----', '–––––'), want: true },
    { name: 'bare base64 of a DER certificate', text: base64(fixture('openssl-set', 'rsa', 'root.der')), want: true },
    { name: 'bare base64 wrapped at 64 columns', text: base64(fixture('openssl-set', 'ec', 'server.der')).replace(/(.{64})/g, '$1\n'), want: true },
    { name: 'bare base64 of a PKCS#12', text: base64(fixture('openssl-set', 'ec', 'server-default.p12')), want: true },
    { name: 'a word', text: 'hello', want: false },
    { name: 'a URL', text: 'https://ca.example.test/download/cert.pem', want: false },
    { name: 'base64 that is not DER (no leading SEQUENCE)', text: base64(new TextEncoder().encode('just some words that are long enough to pass the length rule!')), want: false },
    { name: 'a short base64-looking word starting with M', text: 'MIIBAgIDBA', want: false },
  ])('$name → $want', ({ text, want }) => {
    expect(looksLikeCertificateText(text)).toBe(want);
  });
});

describe('the incoming queue', () => {
  test('batches are taken oldest first; an empty batch is not queued', () => {
    const file = { name: 'a.pem', bytes: new Uint8Array([1]) };
    incoming.deliver({ source: 'opened', files: [file] });
    incoming.deliver({ source: 'dropped', files: [] });
    incoming.deliver({ source: 'shared', files: [file, file] });
    expect(incoming.take()?.source).toBe('opened');
    expect(incoming.take()?.files).toHaveLength(2);
    expect(incoming.take()).toBeUndefined();
  });
});

describe('readFiles', () => {
  test('reads hundreds of files, a few hundred per read, each with its own bytes in order', async () => {
    const files = Array.from({ length: 450 }, (_, i) => new File([`file ${i} `.repeat(i % 7)], `f${i}.pem`));
    const read = await readFiles(files);
    expect(read.map((f) => f.name)).toEqual(files.map((f) => f.name));
    expect(read.map((f) => new TextDecoder().decode(f.bytes))).toEqual(files.map((_, i) => `file ${i} `.repeat(i % 7)));
    expect(read.some((f) => f.bytes.length === 0)).toBe(true);
  });
});
