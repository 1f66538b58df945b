/**
 * The appliance as the guide's /appliance interface knows it (Status > Basics, Security >
 * Certificates): name, role, hostnames, IP addresses with the DNS A-record that points at each,
 * production flag, and the client-software build (which roots the vendor built into the clients).
 */
import { CertdeskError } from '../errors';
import { parseHostname } from '../pki/names/hostname';
import { canonicalIpAddress } from '../pki/names/ip';
import type { LeadTimes } from './expiry-plan';

/** Failover pair members or an Atlas traffic node. */
export type ApplianceRole = 'primary' | 'backup' | 'atlas-node';
export const APPLIANCE_ROLES: readonly ApplianceRole[] = ['primary', 'backup', 'atlas-node'];

/** An IP address of the appliance and the DNS name whose A-record points at it. */
export interface IpAddress {
  ip: string;
  dnsName: string;
}

/**
 * The client software the vendor built for this appliance. The guide: "Bomgar Technical Support
 * builds your root certificate into your software", so clients only trust roots listed here.
 */
export interface ClientSoftwareBuild {
  /** SHA-256 fingerprints (hex) of the root or self-signed certificates built in. */
  roots: string[];
  /** When the admin asked the vendor for a new build (ms since epoch). */
  updateRequestedAt?: number;
  /** When the new build was installed on the appliance (ms since epoch). */
  updateInstalledAt?: number;
  /** When the last support package was built (ms since epoch): the guided root change's first step. */
  packageBuiltAt?: number;
  /** Roots sent to the vendor in a support package and not yet in an installed build. */
  pendingRoots?: string[];
  /** When each root came into the client software by a recorded installation (ms since epoch). */
  rootsInstalledAt?: Record<string, number>;
}

/** One appliance: stored facts only. */
export interface Appliance {
  id: string;
  name: string;
  role: ApplianceRole;
  /** The appliance's own hostname, e.g. support1.example.com. */
  hostname: string;
  /** The site hostname clients connect to, e.g. support.example.com. */
  siteHostname: string;
  ipAddresses: IpAddress[];
  inProduction: boolean;
  clientSoftware: ClientSoftwareBuild;
  /** Lead times for expiry planning (expiry-plan.ts); absent: DEFAULT_LEAD_TIMES. */
  leadTimes?: LeadTimes;
  createdAt: number;
}

/** What the admin types to add an appliance. */
export interface ApplianceInput {
  name: string;
  role: ApplianceRole;
  hostname: string;
  siteHostname: string;
  ipAddresses?: IpAddress[];
  inProduction?: boolean;
}

/** The appliance a fresh workspace starts with; the admin edits it to match theirs. */
export const DEFAULT_APPLIANCE: ApplianceInput = {
  name: 'My appliance',
  role: 'primary',
  hostname: 'appliance.example.com',
  siteHostname: 'support.example.com',
};

/**
 * A hostname as the admin typed it, in the form certificates and comparisons use (names/
 * hostname.ts, kind `reference`: A-labels, lower case, no trailing dot), or CertdeskError
 * 'invalid-hostname'.
 */
export function checkedHostname(text: string, what = 'hostname'): string {
  const host = parseHostname(text.trim());
  if (!host.ok) {
    throw new CertdeskError(
      'invalid-hostname',
      `"${text}" is not a valid ${what}. Use letters, digits, hyphens and dots, e.g. support.example.com.`,
    );
  }
  return host.value;
}

/** An IP address as the admin typed it, in canonical text (names/ip.ts), or CertdeskError 'invalid-ip-address'. */
export function checkedIpAddress(text: string): string {
  const ip = canonicalIpAddress(text.trim());
  if (ip === undefined) {
    throw new CertdeskError(
      'invalid-ip-address',
      `"${text}" is not an IP address. Enter an IPv4 address such as 192.0.2.10 or an IPv6 address.`,
    );
  }
  return ip;
}

/** Checks and normalises an IP address entry. */
export function normaliseIpAddress(entry: IpAddress): IpAddress {
  return { ip: checkedIpAddress(entry.ip), dnsName: checkedHostname(entry.dnsName, 'DNS name') };
}

/**
 * A new appliance from the admin's input. `factoryRootSha256` is its factory default
 * certificate: the shipped client software trusts it, so it starts the build's root list.
 */
export function createAppliance(
  input: ApplianceInput,
  options: { id: string; now: number; factoryRootSha256: string },
): Appliance {
  const name = input.name.trim();
  if (name === '') {
    throw new CertdeskError('invalid-appliance', 'Give the appliance a name, e.g. "Primary appliance".');
  }
  if (!APPLIANCE_ROLES.includes(input.role)) {
    throw new CertdeskError('invalid-appliance', 'Choose the role: primary, backup or Atlas node.');
  }
  const ipAddresses: IpAddress[] = [];
  for (const entry of input.ipAddresses ?? []) {
    const ip = normaliseIpAddress(entry);
    if (ipAddresses.some((e) => e.ip === ip.ip)) throw duplicateIp(ip.ip);
    ipAddresses.push(ip);
  }
  return {
    id: options.id,
    name,
    role: input.role,
    hostname: checkedHostname(input.hostname),
    siteHostname: checkedHostname(input.siteHostname, 'site hostname'),
    ipAddresses,
    inProduction: input.inProduction ?? false,
    clientSoftware: { roots: [options.factoryRootSha256] },
    createdAt: options.now,
  };
}

function duplicateIp(ip: string): CertdeskError {
  return new CertdeskError('ip-already-present', `The appliance already has the IP address ${ip}.`);
}

/** The appliance with one more IP address (the caller serves it with the factory default). */
export function withIpAddress(appliance: Appliance, entry: IpAddress): Appliance {
  const ip = normaliseIpAddress(entry);
  if (appliance.ipAddresses.some((e) => e.ip === ip.ip)) throw duplicateIp(ip.ip);
  return { ...appliance, ipAddresses: [...appliance.ipAddresses, ip] };
}

/** What the admin records about a client-software update from the vendor. */
export interface SoftwareUpdate {
  requestedAt?: number;
  /** Installing a build adds the roots it was built with (the certificates sent to the vendor). */
  installedAt?: number;
  roots?: string[];
}

/**
 * The appliance after a software update was requested and/or installed. An installed build
 * carries the roots named in `roots` and every root of a support package built before it
 * (`pendingRoots`): that package is what the vendor built from.
 */
export function withSoftwareUpdate(appliance: Appliance, update: SoftwareUpdate): Appliance {
  if (update.roots?.length && update.installedAt === undefined) {
    throw new CertdeskError(
      'update-not-installed',
      'Roots are only in the client software once the new build is installed. Enter the installation date.',
    );
  }
  const build: ClientSoftwareBuild = { ...appliance.clientSoftware };
  if (update.requestedAt !== undefined) build.updateRequestedAt = update.requestedAt;
  if (update.installedAt !== undefined) {
    build.updateInstalledAt = update.installedAt;
    const added = [...new Set([...(update.roots ?? []), ...(build.pendingRoots ?? [])])].filter((root) => !build.roots.includes(root));
    build.roots = [...build.roots, ...added];
    if (added.length) {
      build.rootsInstalledAt = { ...build.rootsInstalledAt };
      for (const root of added) build.rootsInstalledAt[root] = update.installedAt;
    }
    delete build.pendingRoots;
  }
  return { ...appliance, clientSoftware: build };
}

/**
 * The appliance after a support package with the chain ending in `rootSha256` was built at
 * `at`: the guide's "send … the certificate files for your certificate chain" to the vendor.
 * A root already built in is not pending.
 */
export function withSupportPackage(appliance: Appliance, rootSha256: string | undefined, at: number): Appliance {
  const build: ClientSoftwareBuild = { ...appliance.clientSoftware, packageBuiltAt: at };
  if (rootSha256 !== undefined && !build.roots.includes(rootSha256)) {
    build.pendingRoots = [...new Set([...(build.pendingRoots ?? []), rootSha256])];
  }
  return { ...appliance, clientSoftware: build };
}

/** Hours the guide advises waiting after a software update: "24-48 hours", so Jump Clients update. */
export const SOFTWARE_UPDATE_WAIT_HOURS = { minimum: 24, advised: 48 } as const;
