/** Precached responses without Vary (src/pwa/vary.ts), on real Request/Response objects. */
import { describe, expect, it } from 'vitest';
import { dropVary, withoutVary, type VaryCache } from '../../../src/pwa/vary';

/** A Cache holding real responses, matched by URL as Cache Storage matches a Vary-less entry. */
function memoryCache(entries: [string, Response][]): VaryCache & { entries: Map<string, Response> } {
  const map = new Map(entries);
  return {
    entries: map,
    keys: async () => [...map.keys()].map((url) => new Request(url)),
    match: async (request: RequestInfo | URL) => map.get(new Request(request).url)?.clone(),
    put: async (request: RequestInfo | URL, response: Response) => void map.set(new Request(request).url, response),
  } as VaryCache & { entries: Map<string, Response> };
}

describe('precached responses without Vary', () => {
  it('keeps the body, status and every other header', async () => {
    const response = new Response('export const x = 1;', { status: 200, headers: { 'content-type': 'text/javascript', vary: 'Origin', etag: 'W/"1"' } });
    const kept = withoutVary(response);
    expect(kept.headers.has('vary')).toBe(false);
    expect(kept.headers.get('content-type')).toBe('text/javascript');
    expect(kept.headers.get('etag')).toBe('W/"1"');
    expect(kept.status).toBe(200);
    expect(await kept.text()).toBe('export const x = 1;');
  });

  it('returns a response without Vary as it is', () => {
    const response = new Response('x', { headers: { 'content-type': 'text/css' } });
    expect(withoutVary(response)).toBe(response);
  });

  it('rewrites the entries an earlier version kept with Vary, and only those', async () => {
    const plain = new Response('b', { headers: { 'content-type': 'text/css' } });
    const cache = memoryCache([
      ['https://certdesk.example/assets/a-1234abcd.js', new Response('a', { headers: { vary: 'Origin', 'content-type': 'text/javascript' } })],
      ['https://certdesk.example/assets/b-1234abcd.css', plain],
    ]);
    await dropVary(cache);
    const a = cache.entries.get('https://certdesk.example/assets/a-1234abcd.js')!;
    expect(a.headers.has('vary')).toBe(false);
    expect(await a.text()).toBe('a');
    expect(cache.entries.get('https://certdesk.example/assets/b-1234abcd.css')).toBe(plain);
  });
});
