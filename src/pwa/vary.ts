/**
 * Precached responses are kept without `Vary`: they are the build's own files, the same bytes for
 * every request, and a `Vary: Origin` from the server would make the module scripts' requests
 * (which carry an Origin) miss them where Cache Storage answers directly (the service worker's
 * static route for /assets/).
 */

/** The response without its Vary header (the same response when it has none). */
export function withoutVary(response: Response): Response {
  if (!response.headers.has('vary')) return response;
  const headers = new Headers(response.headers);
  headers.delete('vary');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** The part of a Cache that `dropVary` uses. */
export type VaryCache = Pick<Cache, 'keys' | 'match' | 'put'>;

/** Rewrites every entry of `cache` kept with a Vary header (as an earlier version kept them). */
export async function dropVary(cache: VaryCache): Promise<void> {
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (response?.headers.has('vary')) await cache.put(request, withoutVary(response));
  }
}
