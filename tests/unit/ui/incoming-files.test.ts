import { describe, expect, test, vi } from 'vitest';
import { fixture, fixtureText } from '../../support/fixtures';
import { incoming, looksLikeCertificateText, readInOrder, type ImportItem } from '../../../src/ui/state/incoming-files.svelte';
import { collect } from '../../support/collect';

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

describe('readInOrder', () => {
  test('reads hundreds of files, a few hundred per read, each with its own bytes in order', async () => {
    const files = Array.from({ length: 450 }, (_, i) => new File([`file ${i} `.repeat(i % 7)], `f${i}.pem`));
    const read = await collect(readInOrder(files));
    expect(read.map((f) => f.name)).toEqual(files.map((f) => f.name));
    expect(read.map((f) => new TextDecoder().decode(f.bytes))).toEqual(files.map((_, i) => `file ${i} `.repeat(i % 7)));
    expect(read.some((f) => f.bytes.length === 0)).toBe(true);
  });

  test('files already in memory (pasted text) keep their place among the files read', async () => {
    const pasted = { name: 'Pasted text', bytes: new TextEncoder().encode('pasted') };
    const items: ImportItem[] = [new File(['a'], 'a.pem'), pasted, new File(['b'], 'b.pem'), new File(['c'], 'c.pem')];
    const read = await collect(readInOrder(items));
    expect(read.map((f) => f.name)).toEqual(['a.pem', 'Pasted text', 'b.pem', 'c.pem']);
    expect(read[1]).toBe(pasted);
    expect(read.map((f) => new TextDecoder().decode(f.bytes))).toEqual(['a', 'pasted', 'b', 'c']);
  });

  test('the next two parts are being read while the first is worked on, and no more', async () => {
    const RealBlob = Blob;
    const partsRead: number[] = [];
    vi.stubGlobal(
      'Blob',
      class extends RealBlob {
        constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
          super(parts, options);
          partsRead.push(parts?.length ?? 0);
        }
      },
    );
    try {
      const files = Array.from({ length: 1000 }, (_, i) => new File([`${i}`], `f${i}.pem`));
      const reader = readInOrder(files);
      expect((await reader.next()).value?.name).toBe('f0.pem');
      expect(partsRead).toEqual([200, 200, 200]);
      for (let i = 1; i <= 200; i++) await reader.next();
      expect(partsRead).toEqual([200, 200, 200, 200]);
      expect((await collect(reader)).map((f) => f.name)).toEqual(files.slice(201).map((f) => f.name));
      expect(partsRead).toEqual([200, 200, 200, 200, 200]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
