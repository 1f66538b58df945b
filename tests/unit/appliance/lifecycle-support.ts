/** Facts of real certificates (openssl-set, EC) and variations of them for the lifecycle rules' tables. */
import { fixture } from '../../support/fixtures';
import type { CertificateFacts } from '../../../src/core/appliance/certificate-facts';
import { readCertificateFacts } from '../../../src/core/appliance/certificate-facts';
import type { Appliance } from '../../../src/core/appliance/appliance';
import { createAppliance } from '../../../src/core/appliance/appliance';
import type { CertificateEntry } from '../../../src/core/appliance/certificate-entry';
import { certificateKind } from '../../../src/core/appliance/certificate-entry';
import { DEFAULT_LEAD_TIMES, planExpiry } from '../../../src/core/appliance/expiry-plan';
import type { CertificateView } from '../../../src/store/workspace';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export type FactName = 'root' | 'ica' | 'server' | 'selfsigned';

export async function loadFacts(): Promise<Record<FactName, CertificateFacts>> {
  const ec = (name: string) => fixture('openssl-set', 'ec', name);
  return {
    root: await readCertificateFacts(ec('root.der')),
    ica: await readCertificateFacts(ec('ica.der')),
    server: await readCertificateFacts(ec('server.der')),
    selfsigned: await readCertificateFacts(ec('selfsigned.der')),
  };
}

/** A certificate entry of `facts` (changed by `over`) on appliance a1. */
export function certificate(id: string, facts: CertificateFacts, over: Partial<CertificateEntry> = {}): CertificateEntry {
  return { id, applianceId: 'a1', sha256: facts.sha256, friendlyName: id, der: new Uint8Array(), facts, factoryDefault: false, source: 'imported', importedAt: 0, ...over };
}

/**
 * A certificate as the list sees it (the store's view) of `facts` on appliance a1, valid, with its
 * chain complete and its key here, planned at `now` with the default lead times; `over` changes any of it.
 */
export function certificateView(id: string, facts: CertificateFacts, now: number, over: Partial<CertificateView> = {}): CertificateView {
  const view: CertificateView = {
    id,
    applianceId: 'a1',
    sha256: facts.sha256,
    friendlyName: id,
    facts,
    factoryDefault: false,
    source: 'imported',
    importedAt: 0,
    kind: certificateKind(facts),
    validity: 'valid',
    chain: 'complete',
    privateKey: 'available',
    plan: planExpiry(facts, DEFAULT_LEAD_TIMES, false, now),
    assignedIps: [],
  };
  // Assigned, not spread: objects of one shape, as the store makes them (a spread object is
  // slower to read, which the list benchmark would measure instead of the list).
  return Object.assign(view, over);
}

export function applianceWith(over: Partial<Appliance> = {}): Appliance {
  return {
    ...createAppliance(
      {
        name: 'Primary',
        role: 'primary',
        hostname: 'appliance',
        siteHostname: 'appliance.example.test',
        ipAddresses: [
          { ip: '192.0.2.10', dnsName: 'appliance.example.test' },
          { ip: '192.0.2.11', dnsName: 'node7.mgmt.example.test' },
          { ip: '192.0.2.12', dnsName: 'other.example.net' },
        ],
      },
      { id: 'a1', now: 0, factoryRootSha256: 'f'.repeat(64) },
    ),
    ...over,
  };
}
