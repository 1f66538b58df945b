/**
 * The workspace's action modules, each loaded on first use. A start needs only the read model;
 * the certificate model, signatures, key generation and the ASN.1 writer arrive when an action
 * first needs them (the service worker has every chunk precached, so this works offline), and
 * the first page's JavaScript stays small.
 */
import type { BackgroundWork, BackgroundWorkOptions } from './background-work';
import type { CertdeskDatabase } from './schema';

export const actions = {
  appliances: () => import('./appliances'),
  assignment: () => import('./assignment'),
  backup: () => import('./backup'),
  certificates: () => import('./certificates'),
  details: () => import('./certificate-details'),
  events: () => import('./events'),
  exporting: () => import('./export'),
  factory: () => import('./appliance-factory'),
  internalCa: () => import('./internal-ca'),
  replacement: () => import('./replacement'),
  replication: () => import('./replication'),
  softwareUpdate: () => import('./software-update'),
  support: () => import('./support-package'),
};

/** In-process background work (background-work.ts), its code loaded on the first job. */
export function lazyBackgroundWork(db: CertdeskDatabase, options: BackgroundWorkOptions): BackgroundWork {
  let work: Promise<BackgroundWork> | undefined;
  const loaded = () => (work ??= import('./background-work').then((m) => m.inProcessBackgroundWork(db, options)));
  return {
    rules: options.rules,
    syncChainStatuses: async (applianceIds, now) => (await loaded()).syncChainStatuses(applianceIds, now),
    safetyCopy: async (counts, takenAt) => (await loaded()).safetyCopy(counts, takenAt),
  };
}
