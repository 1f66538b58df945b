/**
 * The public-suffix check wildcard matching needs (CA/B Forum BR §3.2.2.6: no wildcard directly
 * over a public suffix such as `*.co.uk`), loaded on first need. The list and tldts are ~48 KB
 * gzipped, more than the rest of validation, so the browser fetches that chunk
 * (public-suffix-list.ts) only when a wildcard name has to be checked, and then keeps it.
 */
import type * as PublicSuffixList from './public-suffix-list';
import { CertdeskError } from '../../errors';
import type { PublicSuffixCheck } from './hostname';
import { hasWildcard, type PresentedNames } from './match';

export type { PublicSuffixCheck };

let list: Promise<typeof PublicSuffixList> | undefined;

/**
 * The default check: both sections of the Public Suffix List (public-suffix-list.ts says why).
 * A chunk that fails to load (e.g. a tab left open across an update) is retried next time.
 * @throws CertdeskError 'public-suffix-list-unavailable'
 */
export async function loadPublicSuffixCheck(): Promise<PublicSuffixCheck> {
  list ??= import('./public-suffix-list');
  try {
    return (await list).isPublicSuffix;
  } catch (error) {
    list = undefined;
    throw new CertdeskError('public-suffix-list-unavailable', 'The Public Suffix List needed to check wildcard names could not be loaded. Reload Certdesk and try again.', { cause: error });
  }
}

/**
 * Tells Internal Names (CABF BR §1.6.1: not under an ICANN top-level domain), from the same
 * lazily loaded list. @throws CertdeskError 'public-suffix-list-unavailable'
 */
export async function loadInternalNameCheck(): Promise<(name: string) => boolean> {
  await loadPublicSuffixCheck();
  return (await list!).isInternalName;
}

/**
 * The check to match `names` with (match.ts coversName): loaded when one of them is a wildcard,
 * undefined otherwise, because only wildcards consult it.
 */
export async function publicSuffixCheckFor(...names: PresentedNames[]): Promise<PublicSuffixCheck | undefined> {
  return names.some(hasWildcard) ? loadPublicSuffixCheck() : undefined;
}
