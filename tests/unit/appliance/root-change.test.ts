import { describe, expect, it } from 'vitest';
import type { ClientSoftwareBuild } from '../../../src/core/appliance/appliance';
import { withSoftwareUpdate, withSupportPackage } from '../../../src/core/appliance/appliance';
import { rootChange } from '../../../src/core/appliance/root-change';
import { HOUR, applianceWith } from './lifecycle-support';

const NOW = Date.UTC(2026, 5, 1, 12);
const R = 'a'.repeat(64);
const OLD = 'f'.repeat(64);
const states = (build: ClientSoftwareBuild, now = NOW) => rootChange(build, R, now).steps.map((s) => s.state);

describe('the guided root change: state of each step', () => {
  const table: { name: string; build: ClientSoftwareBuild; now?: number; want: string[]; complete: boolean }[] = [
    { name: 'nothing done', build: { roots: [OLD] }, want: ['current', 'todo', 'todo', 'todo'], complete: false },
    { name: 'a request recorded before any package does not count', build: { roots: [OLD], updateRequestedAt: NOW - HOUR }, want: ['current', 'todo', 'todo', 'todo'], complete: false },
    { name: 'package built', build: { roots: [OLD], packageBuiltAt: NOW - HOUR, pendingRoots: [R] }, want: ['done', 'current', 'todo', 'todo'], complete: false },
    {
      name: 'request older than the package does not count',
      build: { roots: [OLD], packageBuiltAt: NOW - HOUR, pendingRoots: [R], updateRequestedAt: NOW - 2 * HOUR },
      want: ['done', 'current', 'todo', 'todo'],
      complete: false,
    },
    {
      name: 'request in the same minute as the package counts (dates are entered to the minute)',
      build: { roots: [OLD], packageBuiltAt: Date.UTC(2026, 5, 1, 11, 0, 42), pendingRoots: [R], updateRequestedAt: Date.UTC(2026, 5, 1, 11, 0) },
      want: ['done', 'done', 'current', 'todo'],
      complete: false,
    },
    {
      name: 'a package for another root is not this one',
      build: { roots: [OLD], packageBuiltAt: NOW - HOUR, pendingRoots: ['b'.repeat(64)], updateRequestedAt: NOW },
      want: ['current', 'todo', 'todo', 'todo'],
      complete: false,
    },
    {
      name: 'installed 23 h 59 min ago: waiting',
      build: { roots: [OLD, R], updateInstalledAt: NOW - 24 * HOUR + 60_000, rootsInstalledAt: { [R]: NOW - 24 * HOUR + 60_000 } },
      want: ['done', 'done', 'done', 'waiting'],
      complete: false,
    },
    { name: 'installed exactly 24 h ago: complete', build: { roots: [OLD, R], rootsInstalledAt: { [R]: NOW - 24 * HOUR } }, want: ['done', 'done', 'done', 'done'], complete: true },
    { name: 'built in before installations were recorded: complete', build: { roots: [OLD, R] }, want: ['done', 'done', 'done', 'done'], complete: true },
  ];
  for (const row of table) {
    it(row.name, () => {
      expect(states(row.build, row.now)).toEqual(row.want);
      expect(rootChange(row.build, R, row.now ?? NOW).complete).toBe(row.complete);
    });
  }

  it('the wait step carries its 24 h and 48 h moments', () => {
    const installed = NOW - 2 * HOUR;
    const wait = rootChange({ roots: [OLD, R], rootsInstalledAt: { [R]: installed } }, R, NOW).steps[3]!;
    expect(wait).toEqual({ id: 'wait', state: 'waiting', minimumUntil: installed + 24 * HOUR, advisedUntil: installed + 48 * HOUR });
  });

  it('walking the steps through the appliance records: package → request → install → wait', () => {
    let a = applianceWith();
    a = withSupportPackage(a, R, NOW);
    expect(a.clientSoftware.pendingRoots).toEqual([R]);
    expect(withSupportPackage(a, OLD, NOW).clientSoftware.pendingRoots).toEqual([R]); // a root already built in is not pending
    a = withSoftwareUpdate(a, { requestedAt: NOW + HOUR });
    expect(states(a.clientSoftware, NOW + HOUR)).toEqual(['done', 'done', 'current', 'todo']);
    // Installing without naming certificates brings the packaged root in.
    a = withSoftwareUpdate(a, { installedAt: NOW + 2 * HOUR });
    expect(a.clientSoftware.roots).toContain(R);
    expect(a.clientSoftware.pendingRoots).toBeUndefined();
    expect(a.clientSoftware.rootsInstalledAt).toEqual({ [R]: NOW + 2 * HOUR });
    expect(states(a.clientSoftware, NOW + 3 * HOUR)).toEqual(['done', 'done', 'done', 'waiting']);
    expect(states(a.clientSoftware, NOW + 26 * HOUR)).toEqual(['done', 'done', 'done', 'done']);
    // A later installation does not restart the wait of a root already in.
    a = withSoftwareUpdate(a, { installedAt: NOW + 30 * HOUR });
    expect(a.clientSoftware.rootsInstalledAt).toEqual({ [R]: NOW + 2 * HOUR });
  });
});
