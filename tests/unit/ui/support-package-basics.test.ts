/**
 * The data the Status > Basics picture in the support package is drawn from (the page shows the
 * same model): real certificates from openssl-set, an appliance with IPs and a software update.
 */
import { describe, expect, test } from 'vitest';
import type { Appliance } from '../../../src/core/appliance/appliance';
import { certificateKind, chainShape, validityAt } from '../../../src/core/appliance/certificate-entry';
import { readCertificateFacts } from '../../../src/core/appliance/certificate-facts';
import { DEFAULT_LEAD_TIMES, planExpiry } from '../../../src/core/appliance/expiry-plan';
import type { ApplianceView, CertificateView } from '../../../src/store/workspace';
import { basicsLines, basicsModel } from '../../../src/ui/state/basics-picture';
import { formatBytes, fromLocalInput, toLocalInput, updateWait } from '../../../src/ui/state/appliance-words';
import { fixture } from '../../support/fixtures';

const HOUR = 3_600_000;

async function certificates(now: number): Promise<CertificateView[]> {
  const files = [
    { name: 'support.example.test 2026', file: 'server.der', key: true, ips: ['192.0.2.10'] },
    { name: 'Test Intermediate', file: 'ica.der', key: false, ips: [] },
    { name: 'Test Root', file: 'root.der', key: false, ips: [] },
  ];
  const facts = await Promise.all(files.map((f) => readCertificateFacts(fixture('openssl-set', 'rsa', f.file))));
  return files.map((f, i): CertificateView => {
    const view: CertificateView = {
      id: `a1:${facts[i]!.sha256}`,
      applianceId: 'a1',
      sha256: facts[i]!.sha256,
      friendlyName: f.name,
      facts: facts[i]!,
      factoryDefault: false,
      source: 'imported',
      importedAt: now,
      kind: certificateKind(facts[i]!),
      validity: validityAt(facts[i]!, now),
      chain: chainShape(facts[i]!, facts).shape,
      privateKey: f.key ? 'available' : 'missing',
      plan: planExpiry(facts[i]!, DEFAULT_LEAD_TIMES, false, now),
      assignedIps: f.ips,
    };
    if (f.key) {
      view.keyId = 'k1';
      view.keyExportable = true;
    }
    return view;
  });
}

function appliance(roots: string[], update: Partial<Appliance['clientSoftware']> = {}): Appliance {
  return {
    id: 'a1',
    name: 'Primary Berlin',
    role: 'primary',
    hostname: 'support1.example.test',
    siteHostname: 'support.example.test',
    ipAddresses: [{ ip: '192.0.2.10', dnsName: 'appliance.example.test' }],
    inProduction: true,
    clientSoftware: { roots, ...update },
    createdAt: 0,
  };
}

describe('basicsModel / basicsLines', () => {
  test('names the appliance, its IPs with the serving certificate, the build and every certificate with its status words', async () => {
    const now = Date.UTC(2026, 10, 26, 12);
    const certs = await certificates(now);
    const root = certs[2]!;
    const view: ApplianceView = {
      appliance: appliance([root.sha256], { updateRequestedAt: now - 72 * HOUR, updateInstalledAt: now - 2 * HOUR }),
      leadTimes: DEFAULT_LEAD_TIMES,
      certificates: certs,
      requests: [],
      keys: [],
      ips: [{ ip: '192.0.2.10', dnsName: 'appliance.example.test', certificateId: certs[0]!.id, certificateName: certs[0]!.friendlyName }],
    };
    const lines = basicsLines(basicsModel(view, new Map(), now)).map((l) => l.text);
    expect(lines[0]).toBe('Status > Basics: Primary Berlin');
    expect(lines).toEqual(
      expect.arrayContaining([
        'Appliance',
        'Appliance name: Primary Berlin',
        'Role: Primary',
        'Hostname: support1.example.test',
        'Site hostname: support.example.test',
        'In production: Yes',
        'IP addresses',
        'Client software',
        'Roots built in: Test Root',
        'Certificates',
      ]),
    );
    const text = lines.join('\n');
    expect(text).toMatch(/^192\.0\.2\.10 \(appliance\.example\.test\): support\.example\.test 2026, expires /m);
    expect(text).toMatch(/^support\.example\.test 2026: issued to appliance\.example\.test, expires /m);
    expect(text).toMatch(/^Test Intermediate: Intermediate certificate, issued to /m);
    expect(text).toMatch(/^Test Root: Root certificate, issued to /m);
    expect(text).toMatch(/✓ Chain complete/);
    // Installed two hours ago: the 24–48 h wait is still running, shown with its icon.
    expect(text).toMatch(/✕ Wait 24–48 h after the update: not before /);
    // Nothing of a key: the model has no key material to draw.
    expect(text).not.toMatch(/PRIVATE KEY|BEGIN/);
  });

  test('an appliance with nothing recorded says so', async () => {
    const view: ApplianceView = { appliance: { ...appliance(['ab'.repeat(32)]), ipAddresses: [] }, leadTimes: DEFAULT_LEAD_TIMES, certificates: [], requests: [], keys: [], ips: [] };
    const text = basicsLines(basicsModel(view, new Map(), 0)).map((l) => l.text).join('\n');
    expect(text).toContain('No IP addresses recorded yet.');
    expect(text).toContain('No certificates.');
    expect(text).toContain('Update requested: Not recorded');
    expect(text).toContain(`Roots built in: SHA-256 ${'ab'.repeat(8)}…`);
  });
});

describe('updateWait (the guide: wait 24–48 hours after a software update)', () => {
  const installed = Date.UTC(2026, 10, 1, 9);
  const cases: { name: string; update: Partial<Appliance['clientSoftware']>; now: number; want: { tone: string; text: RegExp } | undefined }[] = [
    { name: 'nothing recorded', update: {}, now: installed, want: undefined },
    { name: 'requested only', update: { updateRequestedAt: installed }, now: installed, want: { tone: 'warn', text: /requested, not installed yet/ } },
    { name: 'installed 23 h 59 min ago', update: { updateInstalledAt: installed }, now: installed + 24 * HOUR - 60_000, want: { tone: 'bad', text: /^Wait 24–48 h/ } },
    { name: 'installed exactly 24 h ago', update: { updateInstalledAt: installed }, now: installed + 24 * HOUR, want: { tone: 'warn', text: /24 h passed; the guide advises 48 h/ } },
    { name: 'installed 47 h ago', update: { updateInstalledAt: installed }, now: installed + 47 * HOUR, want: { tone: 'warn', text: /24 h passed/ } },
    { name: 'installed 48 h ago', update: { updateInstalledAt: installed }, now: installed + 48 * HOUR, want: { tone: 'ok', text: /wait after the update has passed/ } },
  ];
  test.each(cases)('$name', ({ update, now, want }) => {
    const word = updateWait(appliance([], update), now);
    if (want === undefined) {
      expect(word).toBeUndefined();
    } else {
      expect(word?.tone).toBe(want.tone);
      expect(word?.text).toMatch(want.text);
    }
  });
});

describe('appliance words', () => {
  test('datetime-local values round-trip in local time; junk is refused', () => {
    const ms = new Date(2026, 10, 26, 14, 5).getTime();
    expect(toLocalInput(ms)).toBe('2026-11-26T14:05');
    expect(fromLocalInput('2026-11-26T14:05')).toBe(ms);
    expect(fromLocalInput('')).toBeUndefined();
    expect(fromLocalInput('26.11.2026')).toBeUndefined();
  });

  test.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KB'],
    [2.1 * 1024 * 1024, '2.1 MB'],
    [10 * 1024 ** 3, '10 GB'],
  ])('formatBytes(%d) is %s', (bytes, want) => {
    expect(formatBytes(bytes)).toBe(want);
  });
});
