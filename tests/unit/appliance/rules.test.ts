import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fixture } from '../../support/fixtures';
import type { CertificateFacts } from '../../../src/core/appliance/certificate-facts';
import { readCertificateFacts } from '../../../src/core/appliance/certificate-facts';
import type { Appliance } from '../../../src/core/appliance/appliance';
import { createAppliance, withIpAddress, withSoftwareUpdate } from '../../../src/core/appliance/appliance';
import type { CertificateEntry } from '../../../src/core/appliance/certificate-entry';
import { certificateId } from '../../../src/core/appliance/certificate-entry';
import type { ReadinessInput } from '../../../src/core/appliance/readiness';
import { assertAssignable, readiness, type Acceptance } from '../../../src/core/appliance/readiness';
import { planAssignment } from '../../../src/core/appliance/ip-assignment';
import type { IpAssignment } from '../../../src/core/appliance/ip-assignment';
import { compareFailover } from '../../../src/core/appliance/failover';
import { atlasCoverage } from '../../../src/core/appliance/atlas';
import { isPublicSuffix } from '../../../src/core/pki/names/public-suffix-list';

const ec = (name: string) => fixture('openssl-set', 'ec', name);
const NOW = Date.UTC(2026, 0, 15);
const HOUR = 3_600_000;

let facts: Record<'root' | 'ica' | 'server' | 'selfsigned', CertificateFacts>;
beforeAll(async () => {
  facts = {
    root: await readCertificateFacts(ec('root.der')),
    ica: await readCertificateFacts(ec('ica.der')),
    server: await readCertificateFacts(ec('server.der')),
    selfsigned: await readCertificateFacts(ec('selfsigned.der')),
  };
});

function appliance(over: Partial<Appliance> = {}, id = 'a1'): Appliance {
  const base = createAppliance(
    {
      name: 'Primary',
      role: 'primary',
      hostname: 'appliance.example.test',
      siteHostname: 'appliance.example.test',
      ipAddresses: [
        { ip: '192.0.2.10', dnsName: 'appliance.example.test' },
        { ip: '192.0.2.11', dnsName: 'remote.other.test' },
      ],
    },
    { id, now: 0, factoryRootSha256: 'f'.repeat(64) },
  );
  return { ...base, ...over };
}

function entry(name: keyof typeof facts, applianceId = 'a1', over: Partial<CertificateEntry> = {}): CertificateEntry {
  const f = facts[name];
  return {
    id: certificateId(applianceId, f.sha256),
    applianceId,
    sha256: f.sha256,
    friendlyName: name,
    der: new Uint8Array(),
    facts: f,
    factoryDefault: false,
    source: 'imported',
    importedAt: 0,
    ...over,
  };
}

describe('appliance rules', () => {
  it('validates and normalises input', () => {
    const a = appliance();
    expect(a.ipAddresses[0]).toEqual({ ip: '192.0.2.10', dnsName: 'appliance.example.test' });
    expect(a.clientSoftware.roots).toEqual(['f'.repeat(64)]);
    const bad = [
      { name: '', role: 'primary', hostname: 'a.example', siteHostname: 'a.example', code: 'invalid-appliance' },
      { name: 'x', role: 'leader', hostname: 'a.example', siteHostname: 'a.example', code: 'invalid-appliance' },
      { name: 'x', role: 'primary', hostname: 'bad host', siteHostname: 'a.example', code: 'invalid-hostname' },
      { name: 'x', role: 'primary', hostname: 'a.example', siteHostname: '-a.example', code: 'invalid-hostname' },
    ];
    for (const b of bad) {
      expect(() => createAppliance(b as never, { id: 'x', now: 0, factoryRootSha256: '' })).toThrow(expect.objectContaining({ code: b.code }));
    }
    expect(() =>
      createAppliance(
        { name: 'x', role: 'backup', hostname: 'a.example', siteHostname: 'a.example', ipAddresses: [{ ip: '10.0.0.1', dnsName: 'a.example' }, { ip: '10.0.0.1', dnsName: 'b.example' }] },
        { id: 'x', now: 0, factoryRootSha256: '' },
      ),
    ).toThrow(expect.objectContaining({ code: 'ip-already-present' }));
  });

  it('keeps hostnames and IPs as the names module writes them (A-labels, RFC 5952 text)', () => {
    const a = createAppliance(
      { name: 'x', role: 'primary', hostname: 'Bücher.Example.', siteHostname: 'SUPPORT.example.com', ipAddresses: [{ ip: ' ::FFFF:192.0.2.1 ', dnsName: 'www.bücher.example' }] },
      { id: 'x', now: 0, factoryRootSha256: '' },
    );
    expect([a.hostname, a.siteHostname, a.ipAddresses]).toEqual(['xn--bcher-kva.example', 'support.example.com', [{ ip: '::ffff:c000:201', dnsName: 'www.xn--bcher-kva.example' }]]);
    for (const hostname of ['host.123', 'xn--abc.example', 'a_b.example', '*.example.com'])
      expect(() => createAppliance({ name: 'x', role: 'primary', hostname, siteHostname: 'a.example' }, { id: 'x', now: 0, factoryRootSha256: '' })).toThrow(
        expect.objectContaining({ code: 'invalid-hostname' }),
      );
  });

  it('adds IP addresses once, and refuses what is not an IP', () => {
    const a = withIpAddress(appliance(), { ip: '2001:DB8::1', dnsName: 'v6.example.test' });
    expect(a.ipAddresses.at(-1)).toEqual({ ip: '2001:db8::1', dnsName: 'v6.example.test' });
    expect(() => withIpAddress(a, { ip: '2001:db8:0::1', dnsName: 'x.example' })).toThrow(expect.objectContaining({ code: 'ip-already-present' }));
    expect(() => withIpAddress(a, { ip: 'support.example.com', dnsName: 'x.example' })).toThrow(expect.objectContaining({ code: 'invalid-ip-address' }));
  });

  it('records software updates: roots enter the build only when installed', () => {
    const a = appliance();
    const requested = withSoftwareUpdate(a, { requestedAt: 1 });
    expect(requested.clientSoftware).toEqual({ roots: ['f'.repeat(64)], updateRequestedAt: 1 });
    const installed = withSoftwareUpdate(requested, { installedAt: 2, roots: ['r1', 'f'.repeat(64)] });
    expect(installed.clientSoftware).toEqual({ roots: ['f'.repeat(64), 'r1'], updateRequestedAt: 1, updateInstalledAt: 2, rootsInstalledAt: { r1: 2 } });
    expect(() => withSoftwareUpdate(a, { roots: ['r1'] })).toThrow(expect.objectContaining({ code: 'update-not-installed' }));
  });
});

describe('IP assignment', () => {
  it('moves each IP from its old certificate and skips IPs already served by it', () => {
    const a = appliance();
    const current = [
      { applianceId: 'a1', ip: '192.0.2.10', certificateId: 'old' },
      { applianceId: 'a1', ip: '192.0.2.11', certificateId: 'new' },
    ];
    const plan = planAssignment(a, current, 'new', ['192.0.2.10', '192.0.2.11', '192.0.2.10']);
    expect(plan.moves).toEqual([{ ip: '192.0.2.10', from: 'old', to: 'new' }]);
    expect(plan.assignments).toEqual([{ applianceId: 'a1', ip: '192.0.2.10', certificateId: 'new' }]);
    expect(() => planAssignment(a, current, 'new', ['198.51.100.1'])).toThrow(expect.objectContaining({ code: 'unknown-ip-address' }));
    expect(() => planAssignment(a, current, 'new', [])).toThrow(expect.objectContaining({ code: 'no-ip-addresses' }));
  });
});

describe('IP assignment invariants (property)', () => {
  it('after any sequence of assignments, each IP is served by exactly one certificate: the last one given it', () => {
    const ips = ['192.0.2.10', '192.0.2.11', '192.0.2.12'];
    const a = appliance({ ipAddresses: ips.map((ip) => ({ ip, dnsName: 'x.example.test' })) });
    const step = fc.record({ cert: fc.constantFrom('c1', 'c2', 'c3'), ips: fc.subarray(ips, { minLength: 1 }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
        const table = new Map<string, IpAssignment>(ips.map((ip) => [ip, { applianceId: a.id, ip, certificateId: 'factory' }]));
        const expected = new Map<string, string>(ips.map((ip) => [ip, 'factory']));
        for (const s of steps) {
          const plan = planAssignment(a, [...table.values()], s.cert, s.ips);
          for (const move of plan.moves) expect(move.from).toBe(expected.get(move.ip));
          for (const x of plan.assignments) table.set(x.ip, x);
          for (const ip of s.ips) expected.set(ip, s.cert);
        }
        expect([...table.values()].map((x) => [x.ip, x.certificateId])).toEqual(ips.map((ip) => [ip, expected.get(ip)]));
      }),
      { numRuns: 200 },
    );
  });
});

describe('readiness', () => {
  const ready = (over: Partial<ReadinessInput> = {}): ReadinessInput => ({
    appliance: appliance({ clientSoftware: { roots: [facts.root.sha256] } }),
    certificate: entry('server', 'a1', { keyId: 'k' }),
    privateKeyAvailable: true,
    ips: ['192.0.2.10'],
    chain: { ok: true, rootSha256: facts.root.sha256 },
    now: NOW,
    downtimeConfirmed: false,
    ...over,
  });
  const codes = (input: ReadinessInput) => readiness(input).map((p) => [p.code, p.blocking]);

  it('a CA-signed certificate with complete chain, covered name and built-in root is ready', () => {
    expect(readiness(ready())).toEqual([]);
  });

  const table: { name: string; input: () => ReadinessInput; want: [string, boolean][] }[] = [
    { name: 'private key missing', input: () => ready({ privateKeyAvailable: false }), want: [['private-key-unavailable', true]] },
    {
      name: 'chain incomplete',
      input: () => ready({ chain: { ok: false, problems: [{ code: 'missing-issuer', message: 'x' }] } }),
      want: [['chain-invalid', true]],
    },
    {
      name: 'root not in the client software (re-key warning)',
      input: () => ready({ appliance: appliance() }),
      want: [['root-not-in-client-software', true]],
    },
    { name: 'IP DNS name not covered', input: () => ready({ ips: ['192.0.2.11'] }), want: [['name-not-covered', true]] },
    {
      name: 'an IP asked for in another spelling is the same IP (RFC 5952)',
      input: () => ready({ ips: ['2001:DB8:0:0:0:0:0:10'], appliance: appliance({ ipAddresses: [{ ip: '2001:db8::10', dnsName: 'appliance.example.test' }], clientSoftware: { roots: [facts.root.sha256] } }) }),
      want: [],
    },
    {
      name: 'a DNS name under the wildcard SAN, with the public-suffix check',
      input: () => ready({ isPublicSuffix, appliance: appliance({ ipAddresses: [{ ip: '192.0.2.10', dnsName: 'node7.mgmt.example.test' }], clientSoftware: { roots: [facts.root.sha256] } }) }),
      want: [],
    },
    {
      name: 'a DNS name under the wildcard SAN, without the check (fail closed)',
      input: () => ready({ appliance: appliance({ ipAddresses: [{ ip: '192.0.2.10', dnsName: 'node7.mgmt.example.test' }], clientSoftware: { roots: [facts.root.sha256] } }) }),
      want: [['name-not-covered', true]],
    },
    {
      name: 'software update installed 10 h ago',
      input: () => ready({ appliance: appliance({ clientSoftware: { roots: [facts.root.sha256], updateInstalledAt: NOW - 10 * HOUR } }) }),
      want: [['software-update-wait', false]],
    },
    {
      name: 'software update installed 47 h ago',
      input: () => ready({ appliance: appliance({ clientSoftware: { roots: [facts.root.sha256], updateInstalledAt: NOW - 47 * HOUR } }) }),
      want: [['software-update-wait', false]],
    },
    {
      name: 'software update installed 49 h ago',
      input: () => ready({ appliance: appliance({ clientSoftware: { roots: [facts.root.sha256], updateInstalledAt: NOW - 49 * HOUR } }) }),
      want: [],
    },
    {
      name: 'software update requested, not installed',
      input: () => ready({ appliance: appliance({ clientSoftware: { roots: [facts.root.sha256], updateRequestedAt: NOW - HOUR } }) }),
      want: [['software-update-pending', false]],
    },
    { name: 'in production, no downtime', input: () => ready({ appliance: appliance({ inProduction: true, clientSoftware: { roots: [facts.root.sha256] } }) }), want: [['downtime-not-confirmed', true]] },
    {
      name: 'in production, downtime confirmed',
      input: () => ready({ downtimeConfirmed: true, appliance: appliance({ inProduction: true, clientSoftware: { roots: [facts.root.sha256] } }) }),
      want: [],
    },
    {
      name: 'self-signed (iOS, Android, Linux refuse)',
      input: () =>
        ready({
          certificate: entry('selfsigned'),
          appliance: appliance({ siteHostname: 'selfsigned.example.test', ipAddresses: [{ ip: '192.0.2.20', dnsName: 'selfsigned.example.test' }], clientSoftware: { roots: [facts.selfsigned.sha256] } }),
          chain: { ok: true, rootSha256: facts.selfsigned.sha256 },
          ips: ['192.0.2.20'],
        }),
      want: [['self-signed', false]],
    },
    {
      name: 'the site hostname not covered, for any role (a warning)',
      input: () => ready({ appliance: appliance({ role: 'backup', siteHostname: 'support.other.test', clientSoftware: { roots: [facts.root.sha256] } }) }),
      want: [['site-hostname-not-covered', false]],
    },
    {
      name: 'root installed 10 h ago: the guided sequence still waits (blocking)',
      input: () => ready({ appliance: appliance({ clientSoftware: { roots: [facts.root.sha256], updateInstalledAt: NOW - 10 * HOUR, rootsInstalledAt: { [facts.root.sha256]: NOW - 10 * HOUR } } }) }),
      want: [['software-update-too-recent', true]],
    },
    {
      name: 'root installed 30 h ago: past the 24 h minimum, the 48 h advice is a warning',
      input: () => ready({ appliance: appliance({ clientSoftware: { roots: [facts.root.sha256], updateInstalledAt: NOW - 30 * HOUR, rootsInstalledAt: { [facts.root.sha256]: NOW - 30 * HOUR } } }) }),
      want: [['software-update-wait', false]],
    },
    {
      name: 'everything wrong at once lists every problem',
      input: () =>
        ready({
          privateKeyAvailable: false,
          appliance: appliance({ inProduction: true, clientSoftware: { roots: [], updateInstalledAt: NOW - HOUR } }),
          ips: ['192.0.2.10', '192.0.2.11'],
        }),
      want: [
        ['private-key-unavailable', true],
        ['root-not-in-client-software', true],
        ['name-not-covered', true],
        ['software-update-wait', false],
        ['downtime-not-confirmed', true],
      ],
    },
  ];
  for (const row of table) it(row.name, () => expect(codes(row.input())).toEqual(row.want));

  it('assertAssignable: blocking refuses, warnings need acceptance', () => {
    const warn = [{ code: 'self-signed', message: 'w', blocking: false }];
    const block = [{ code: 'name-not-covered', message: 'b', blocking: true }];
    expect(() => assertAssignable([])).not.toThrow();
    expect(() => assertAssignable(warn)).toThrow(expect.objectContaining({ code: 'confirmation-needed' }));
    expect(() => assertAssignable(warn, { warningsAccepted: true })).not.toThrow();
    expect(() => assertAssignable(block, { warningsAccepted: true })).toThrow(expect.objectContaining({ code: 'not-ready' }));
  });

  // Each answer passes exactly its own problems: the downtime question and the client-software
  // gate are never passed by the "assign anyway" acceptance, nor the other way round.
  const acceptanceTable: { name: string; code: string; blocking: boolean; passes: Acceptance | undefined; refusedBy: Acceptance[] }[] = [
    { name: 'a warning, by accepting warnings', code: 'self-signed', blocking: false, passes: { warningsAccepted: true }, refusedBy: [{ blockingAccepted: true }, { clientSoftwareOverridden: true }] },
    { name: 'names not covered, by accepting blocking problems', code: 'name-not-covered', blocking: true, passes: { blockingAccepted: true }, refusedBy: [{ warningsAccepted: true }, { clientSoftwareOverridden: true }] },
    { name: 'root not in the client software, only by the override', code: 'root-not-in-client-software', blocking: true, passes: { clientSoftwareOverridden: true }, refusedBy: [{ warningsAccepted: true, blockingAccepted: true }] },
    { name: 'update under 24 h old, only by the override', code: 'software-update-too-recent', blocking: true, passes: { clientSoftwareOverridden: true }, refusedBy: [{ warningsAccepted: true, blockingAccepted: true }] },
    { name: 'downtime not confirmed: never (answer the question)', code: 'downtime-not-confirmed', blocking: true, passes: undefined, refusedBy: [{ warningsAccepted: true, blockingAccepted: true, clientSoftwareOverridden: true }] },
    { name: 'private key missing: never', code: 'private-key-unavailable', blocking: true, passes: undefined, refusedBy: [{ warningsAccepted: true, blockingAccepted: true, clientSoftwareOverridden: true }] },
    { name: 'unknown IP: never', code: 'unknown-ip-address', blocking: true, passes: undefined, refusedBy: [{ warningsAccepted: true, blockingAccepted: true, clientSoftwareOverridden: true }] },
  ];
  for (const row of acceptanceTable) {
    it(`assertAssignable: ${row.name}`, () => {
      const problems = [{ code: row.code, message: 'm', blocking: row.blocking }];
      if (row.passes) expect(() => assertAssignable(problems, row.passes)).not.toThrow();
      for (const acceptance of row.refusedBy) {
        expect(() => assertAssignable(problems, acceptance)).toThrow(expect.objectContaining({ code: row.blocking ? 'not-ready' : 'confirmation-needed' }));
      }
    });
  }
});

describe('failover', () => {
  const wildcardish = () => entry('server', 'p', { keyId: 'kp' });
  const pair = (over: { backupCerts?: CertificateEntry[]; backupServes?: string[]; backupKeys?: string[]; backupHost?: string } = {}) => {
    const primary = appliance({ id: 'p', hostname: 'appliance.example.test', siteHostname: 'appliance.example.test' }, 'p');
    const backup = appliance({ id: 'b', role: 'backup', name: 'Backup', hostname: over.backupHost ?? 'appliance', siteHostname: 'appliance.example.test' }, 'b');
    const pCerts = [wildcardish(), entry('ica', 'p'), entry('root', 'p')];
    const bCerts = over.backupCerts ?? [entry('server', 'b', { keyId: 'kb' }), entry('ica', 'b'), entry('root', 'b')];
    return compareFailover(
      { appliance: primary, certificates: pCerts, assignments: [{ applianceId: 'p', ip: '192.0.2.10', certificateId: pCerts[0]!.id }], keyIds: new Set(['kp']) },
      {
        appliance: backup,
        certificates: bCerts,
        assignments: (over.backupServes ?? [certificateId('b', facts.server.sha256)]).map((id, i) => ({ applianceId: 'b', ip: `192.0.2.${20 + i}`, certificateId: id })),
        keyIds: new Set(over.backupKeys ?? ['kb']),
      },
    ).map((p) => p.code);
  };

  it('identical certificates, key and chain on both: no differences', () => expect(pair()).toEqual([]));
  it('names each difference', () => {
    expect(pair({ backupCerts: [], backupServes: [] })).toEqual(['missing-on-backup']);
    expect(pair({ backupServes: [] })).toEqual(['not-served-on-backup']);
    expect(pair({ backupKeys: [] })).toEqual(['key-missing-on-backup']);
    expect(pair({ backupCerts: [entry('server', 'b', { keyId: 'kb' }), entry('root', 'b')] })).toEqual(['chain-missing-on-backup']);
    expect(pair({ backupHost: 'backup.example.test' })).toEqual(['hostname-not-covered']);
    const factory = entry('selfsigned', 'b', { factoryDefault: true });
    expect(pair({ backupCerts: [factory], backupServes: [factory.id] })).toEqual(['factory-default-served', 'missing-on-backup']);
  });
});

describe('Atlas coverage', () => {
  it('lists the site hostname and each node name with whether the certificate covers it', () => {
    const nodes = [
      { name: 'Node 1', hostname: 'appliance', ipAddresses: [{ ip: '192.0.2.1', dnsName: 'x.mgmt.example.test' }] },
      { name: 'Node 2', hostname: 'node2.example.test', ipAddresses: [] },
    ];
    const result = atlasCoverage(facts.server, 'appliance.example.test', nodes, isPublicSuffix);
    expect(result).toEqual({
      covered: false,
      names: [
        { name: 'appliance.example.test', covered: true },
        { name: 'appliance', node: 'Node 1', covered: true },
        { name: 'x.mgmt.example.test', node: 'Node 1', covered: true },
        { name: 'node2.example.test', node: 'Node 2', covered: false },
      ],
    });
    expect(atlasCoverage(facts.server, 'appliance.example.test', nodes.slice(0, 1), isPublicSuffix).covered).toBe(true);
    // Without a public-suffix check the wildcard *.mgmt.example.test covers nothing (fail closed).
    expect(atlasCoverage(facts.server, 'appliance.example.test', nodes.slice(0, 1)).names.map((n) => n.covered)).toEqual([true, true, false]);
  });
});
