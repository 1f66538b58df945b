/**
 * Hash routing: works from the service worker's cache with no server, and every view has a URL
 * an admin can bookmark. `#/certificates/edit/ID` → page "certificates", path ["edit", "ID"].
 * Unknown hashes fall back to the Certificates page.
 */
export const pages = [
  { id: 'certificates', label: 'Certificates', title: 'Certificates' },
  { id: 'basics', label: 'Basics', title: 'Basics' },
  { id: 'appliances', label: 'Appliances', title: 'Appliances' },
] as const;

export type PageId = (typeof pages)[number]['id'];

function parse(hash: string): { page: PageId; path: string[] } {
  const [id = '', ...path] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const page = pages.find((candidate) => candidate.id === id)?.id ?? 'certificates';
  return { page, path: page === id ? path.filter(Boolean) : [] };
}

class Router {
  #route = $state(parse(location.hash));
  readonly current = $derived(this.#route.page);
  readonly path = $derived(this.#route.path);

  constructor() {
    addEventListener('hashchange', () => {
      this.#route = parse(location.hash);
    });
  }

  href(id: PageId, ...path: string[]): string {
    return `#/${[id, ...path].map(encodeURIComponent).join('/')}`;
  }

  go(id: PageId, ...path: string[]): void {
    location.hash = this.href(id, ...path);
  }
}

export const router = new Router();
