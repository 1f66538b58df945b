/**
 * Hash routing: works from the service worker's cache with no server, and every page has a
 * URL an admin can bookmark. Unknown hashes fall back to the Certificates page.
 */
export const pages = [
  { id: 'certificates', label: 'Certificates', title: 'Certificates' },
  { id: 'basics', label: 'Basics', title: 'Basics' },
  { id: 'appliances', label: 'Appliances', title: 'Appliances' },
] as const;

export type PageId = (typeof pages)[number]['id'];

function pageFromHash(hash: string): PageId {
  const id = hash.replace(/^#\/?/, '').split('/')[0];
  return pages.find((page) => page.id === id)?.id ?? 'certificates';
}

class Router {
  current = $state<PageId>(pageFromHash(location.hash));

  constructor() {
    addEventListener('hashchange', () => {
      this.current = pageFromHash(location.hash);
    });
  }

  href(id: PageId): string {
    return `#/${id}`;
  }
}

export const router = new Router();
