import { describe, expect, it } from 'vitest';
import { DEFAULT_LEAD_TIMES, checkedLeadTimes, leadDays, planExpiry, renewalChangesRoot, type ExpiryStage, type LeadTimes } from '../../../src/core/appliance/expiry-plan';
import { DAY } from './lifecycle-support';

const notBefore = Date.UTC(2026, 0, 1);
const notAfter = Date.UTC(2026, 11, 31);
const lead: LeadTimes = { caTurnaroundDays: 5, clientBuildDays: 10, marginDays: 7 };

describe('lead time', () => {
  it.each([
    { name: 'same root: CA + 48 h + margin', rootChanges: false, want: 5 + 2 + 7 },
    { name: 'root changes: plus the client-software build', rootChanges: true, want: 5 + 10 + 2 + 7 },
  ])('$name', ({ rootChanges, want }) => expect(leadDays(lead, rootChanges)).toBe(want));

  it('the defaults are the documented ones', () => expect(DEFAULT_LEAD_TIMES).toEqual({ caTurnaroundDays: 5, clientBuildDays: 10, marginDays: 7 }));
});

describe('act-by and stage at the edges', () => {
  const total = 24; // root changes
  const actBy = notAfter - total * DAY;
  const latestStart = notAfter - (total - 7) * DAY;
  const table: { name: string; now: number; rootChanges?: boolean; want: ExpiryStage }[] = [
    { name: 'before validity', now: notBefore - 1, want: 'not-yet-valid' },
    { name: 'at notBefore', now: notBefore, want: 'planned' },
    { name: 'one ms before act-by', now: actBy - 1, want: 'planned' },
    { name: 'at act-by', now: actBy, want: 'act-now' },
    { name: 'one ms before the margin is used up', now: latestStart - 1, want: 'act-now' },
    { name: 'margin used up', now: latestStart, want: 'late' },
    { name: 'at expiry (still valid, RFC 5280 §4.1.2.5)', now: notAfter, want: 'late' },
    { name: 'one ms after expiry', now: notAfter + 1, want: 'expired' },
    { name: 'same root: the shorter lead time is still planned here', now: actBy, rootChanges: false, want: 'planned' },
  ];
  for (const row of table) {
    it(row.name, () => {
      const plan = planExpiry({ notBefore, notAfter }, lead, row.rootChanges ?? true, row.now);
      expect(plan.stage).toBe(row.want);
      expect(plan.actBy).toBe(notAfter - leadDays(lead, row.rootChanges ?? true) * DAY);
      expect(plan.leadDays).toBe(leadDays(lead, row.rootChanges ?? true));
    });
  }

  it('a lead time longer than the lifetime puts act-by before issuance: act now from day one', () => {
    const short = { notBefore, notAfter: notBefore + 10 * DAY };
    expect(planExpiry(short, lead, true, notBefore).stage).toBe('late');
    expect(planExpiry(short, { caTurnaroundDays: 0, clientBuildDays: 0, marginDays: 9 }, true, notBefore).stage).toBe('act-now');
  });

  it('zero lead times: act-by is 48 h before expiry (the guide\'s wait never goes)', () => {
    expect(planExpiry({ notBefore, notAfter }, { caTurnaroundDays: 0, clientBuildDays: 0, marginDays: 0 }, true, notBefore).actBy).toBe(notAfter - 2 * DAY);
  });
});

describe('checkedLeadTimes', () => {
  it.each([
    { name: 'negative', input: { ...lead, marginDays: -1 }, field: 'Margin' },
    { name: 'fraction', input: { ...lead, caTurnaroundDays: 1.5 }, field: 'CA turnaround' },
    { name: 'over a year', input: { ...lead, clientBuildDays: 366 }, field: 'Client-software build' },
    { name: 'not a number', input: { ...lead, clientBuildDays: Number.NaN }, field: 'Client-software build' },
  ])('$name is refused', ({ input, field }) => {
    expect(() => checkedLeadTimes(input)).toThrow(expect.objectContaining({ code: 'invalid-lead-time', message: expect.stringContaining(field) }));
  });
  it('keeps only the three fields', () => expect(checkedLeadTimes({ ...lead, extra: 1 } as LeadTimes)).toEqual(lead));
  it('accepts 0 and 365', () => expect(checkedLeadTimes({ caTurnaroundDays: 0, clientBuildDays: 365, marginDays: 0 })).toEqual({ caTurnaroundDays: 0, clientBuildDays: 365, marginDays: 0 }));
});

describe('does the renewal change the root?', () => {
  it.each([
    { name: 'CA-signed, root built in', input: { selfIssued: false, rootSha256: 'r', clientSoftwareRoots: ['r'] }, want: false },
    { name: 'CA-signed, root not built in', input: { selfIssued: false, rootSha256: 'r', clientSoftwareRoots: ['x'] }, want: true },
    { name: 'chain without a root', input: { selfIssued: false, rootSha256: undefined, clientSoftwareRoots: ['r'] }, want: true },
    { name: 'self-signed, even when built in', input: { selfIssued: true, rootSha256: 'r', clientSoftwareRoots: ['r'] }, want: true },
  ])('$name', ({ input, want }) => expect(renewalChangesRoot(input)).toBe(want));
});
