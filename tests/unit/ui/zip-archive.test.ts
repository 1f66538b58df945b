import { describe, expect, test } from 'vitest';
import { fixture } from '../../support/fixtures';
import { makeZip } from '../../support/zip';
import { collect } from '../../support/collect';
import { MAX_ZIP_ENTRIES, expandZipArchives as expandAsGenerator, isZip } from '../../../src/ui/state/zip-archive';
import type { ChosenFile } from '../../../src/ui/state/files';
import { limits } from '../../../src/core/pki/limits';

const pem = fixture('openssl-set', 'ec', 'ca-bundle.pem');
const der = fixture('openssl-set', 'ec', 'server.der');
const p12 = fixture('openssl-set', 'ec', 'server-default.p12');

const expandZipArchives = (files: ChosenFile[], signal?: AbortSignal) => collect(expandAsGenerator(files, signal));

describe('expandZipArchives', () => {
  test('a CA reply as .zip becomes its files, byte for byte, named inside the archive', async () => {
    const zip = makeZip([
      { name: 'reply/ca-bundle.pem', bytes: pem },
      { name: 'reply/server.der', bytes: der, deflate: false },
      { name: 'reply/server.p12', bytes: p12 },
    ]);
    const out = await expandZipArchives([{ name: 'reply.zip', bytes: zip }]);
    expect(out.map((file) => file.name)).toEqual(['reply.zip/reply/ca-bundle.pem', 'reply.zip/reply/server.der', 'reply.zip/reply/server.p12']);
    expect(out.map((file) => Buffer.from(file.bytes).equals(Buffer.from([pem, der, p12][out.indexOf(file)]!)))).toEqual([true, true, true]);
  });

  test('files that are not archives pass through untouched, in order around an archive', async () => {
    const plain = { name: 'server.der', bytes: der };
    const out = await expandZipArchives([plain, { name: 'chain.zip', bytes: makeZip([{ name: 'ca.pem', bytes: pem }]) }, { name: 'x.pem', bytes: pem }]);
    expect(out[0]).toBe(plain);
    expect(out.map((file) => file.name)).toEqual(['server.der', 'chain.zip/ca.pem', 'x.pem']);
  });

  test('folders, macOS resource forks and hidden files are left out', async () => {
    const zip = makeZip([
      { name: 'reply/', bytes: new Uint8Array(), deflate: false },
      { name: '__MACOSX/reply/._server.der', bytes: new Uint8Array([0, 5, 22, 7]) },
      { name: 'reply/.DS_Store', bytes: new Uint8Array([1]) },
      { name: 'reply/server.der', bytes: der },
    ]);
    expect((await expandZipArchives([{ name: 'r.zip', bytes: zip }])).map((file) => file.name)).toEqual(['r.zip/reply/server.der']);
  });

  test.each([
    { name: 'an archive with no files', bytes: makeZip([]), code: 'zip-empty' },
    { name: 'an archive with only a folder', bytes: makeZip([{ name: 'reply/', bytes: new Uint8Array(), deflate: false }]), code: 'zip-empty' },
    {
      name: `more than ${MAX_ZIP_ENTRIES} files`,
      bytes: makeZip(Array.from({ length: MAX_ZIP_ENTRIES + 1 }, (_, i) => ({ name: `${i}.pem`, bytes: pem }))),
      code: 'zip-too-many-files',
    },
    { name: 'a truncated archive', bytes: makeZip([{ name: 'server.der', bytes: der }]).subarray(0, 200), code: 'zip-unreadable' },
  ])('$name is refused with $code', async ({ bytes, code }) => {
    await expect(expandZipArchives([{ name: 'bad.zip', bytes }])).rejects.toMatchObject({ name: 'CertdeskError', code });
  });

  test('exactly the limit of files is accepted', async () => {
    const zip = makeZip(Array.from({ length: MAX_ZIP_ENTRIES }, (_, i) => ({ name: `${i}.der`, bytes: der })));
    expect(await expandZipArchives([{ name: 'many.zip', bytes: zip }])).toHaveLength(MAX_ZIP_ENTRIES);
  });

  test('an entry whose headers understate its size stops at the limit instead of filling memory (zip bomb)', async () => {
    const bomb = makeZip([{ name: 'server.der', bytes: new Uint8Array(limits.maxFileBytes + 1), declaredSize: 650 }]);
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expect(expandZipArchives([{ name: 'bomb.zip', bytes: bomb }])).rejects.toMatchObject({ code: 'zip-too-large' });
  });

  test('the limit is on the whole archive: entries that fit one by one but not together are refused', async () => {
    const half = new Uint8Array(limits.maxFileBytes / 2 + 1);
    const zip = makeZip([{ name: 'a.der', bytes: half }, { name: 'b.der', bytes: half }]);
    await expect(expandZipArchives([{ name: 'big.zip', bytes: zip }])).rejects.toMatchObject({ code: 'zip-too-large' });
    expect(await expandZipArchives([{ name: 'one.zip', bytes: makeZip([{ name: 'a.der', bytes: half }]) }])).toHaveLength(1);
  });

  test('recognised by content, not by name', () => {
    expect(isZip(makeZip([{ name: 'a', bytes: der }]))).toBe(true);
    expect(isZip(makeZip([]))).toBe(true);
    expect(isZip(der)).toBe(false);
    expect(isZip(pem)).toBe(false);
    expect(isZip(p12)).toBe(false);
    expect(isZip(new Uint8Array([0x50, 0x4b]))).toBe(false);
  });

  test('files are expanded as they come: an archive is opened before the files after it are asked for', async () => {
    const asked: string[] = [];
    async function* chosen() {
      for (const file of [{ name: 'chain.zip', bytes: makeZip([{ name: 'ca.pem', bytes: pem }]) }, { name: 'x.pem', bytes: pem }]) {
        asked.push(file.name);
        yield file;
      }
    }
    const files = expandAsGenerator(chosen());
    expect((await files.next()).value?.name).toBe('chain.zip/ca.pem');
    expect(asked).toEqual(['chain.zip']);
    expect((await collect(files)).map((file) => file.name)).toEqual(['x.pem']);
  });

  test('cancelling stops before the next entry with an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(expandZipArchives([{ name: 'r.zip', bytes: makeZip([{ name: 'a.der', bytes: der }]) }], controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
