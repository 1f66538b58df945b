import { describe, expect, it } from 'vitest';
import type { ExpiryStage } from '../../../src/store/workspace';
import { actByWord, daysLeft, expiryWord, statusWords } from '../../../src/ui/state/status-words';

const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 26, 12);

describe('expiry words follow the plan, not a flat 30 days', () => {
  it.each([
    { name: 'planned, a year left, is green', stage: 'planned', notAfter: now + 365 * DAY, want: { text: 'Expires in 365 days', tone: 'ok' } },
    { name: 'planned with 10 days left is still green (short lead time)', stage: 'planned', notAfter: now + 10 * DAY, want: { text: 'Expires in 10 days', tone: 'ok' } },
    { name: 'act-by reached with 60 days left is amber (long lead time)', stage: 'act-now', notAfter: now + 60 * DAY, want: { text: 'Expires in 60 days', tone: 'warn' } },
    { name: 'late is red', stage: 'late', notAfter: now + 20 * DAY, want: { text: 'Expires in 20 days', tone: 'bad' } },
    { name: 'one day, singular', stage: 'late', notAfter: now + DAY + 1, want: { text: 'Expires in 1 day', tone: 'bad' } },
    { name: 'hours left', stage: 'late', notAfter: now + 3_600_000, want: { text: 'Expires in 0 days', tone: 'bad' } },
    { name: 'expired', stage: 'expired', notAfter: now - 1, want: { text: 'Expired', tone: 'bad' } },
    { name: 'not yet valid', stage: 'not-yet-valid', notAfter: now + 400 * DAY, want: { text: 'Not yet valid', tone: 'bad' } },
  ] satisfies { name: string; stage: ExpiryStage; notAfter: number; want: object }[])('$name', ({ stage, notAfter, want }) => {
    expect(expiryWord({ stage }, notAfter, now)).toEqual(want);
  });

  it('the act-by word: a note while planned, amber when due, red when late, none once expired', () => {
    const actBy = Date.UTC(2027, 2, 12);
    expect(actByWord({ stage: 'planned', actBy })).toEqual({ text: expect.stringMatching(/^Act by .*2027/), tone: 'info' });
    expect(actByWord({ stage: 'act-now', actBy })?.tone).toBe('warn');
    expect(actByWord({ stage: 'late', actBy })?.tone).toBe('bad');
    expect(actByWord({ stage: 'expired', actBy })).toBeUndefined();
  });

  it('days are whole days rounded down', () => {
    expect(daysLeft(now + 2 * DAY - 1, now)).toBe(1);
    expect(daysLeft(now - 1, now)).toBe(-1);
  });
});

describe('status words under a certificate name', () => {
  const plan = { stage: 'planned' as const, actBy: now + 80 * DAY };
  const base = { notBefore: now - DAY, notAfter: now + 100 * DAY, now, selfSigned: false, factoryDefault: false, plan };
  it.each([
    { name: 'complete chain', input: { ...base, chain: 'complete' as const }, want: ['Chain complete', 'Expires in 100 days'] },
    { name: 'missing intermediate', input: { ...base, chain: 'missing-intermediate' as const }, want: ['Missing intermediate certificate', 'Expires in 100 days'] },
    { name: 'missing root', input: { ...base, chain: 'missing-root' as const }, want: ['Missing root certificate', 'Expires in 100 days'] },
    { name: 'self-signed', input: { ...base, chain: 'complete' as const, selfSigned: true }, want: ['Self-signed', 'Expires in 100 days'] },
    { name: 'factory default', input: { ...base, chain: 'complete' as const, selfSigned: true, factoryDefault: true }, want: ['Factory default', 'Self-signed', 'Expires in 100 days'] },
    { name: 'expired and complete', input: { ...base, chain: 'complete' as const, notAfter: now - DAY, plan: { ...plan, stage: 'expired' as const } }, want: ['Chain complete', 'Expired'] },
    {
      name: 'a renewal not assigned yet: act-by, Renews NAME, Not assigned',
      input: { ...base, chain: 'complete' as const, showActBy: true, renews: 'Support 2025', notAssigned: true },
      want: ['Chain complete', 'Expires in 100 days', expect.stringMatching(/^Act by /), 'Renews Support 2025', 'Not assigned'],
    },
    { name: 'replaced', input: { ...base, chain: 'complete' as const, replaced: true }, want: ['Replaced', 'Chain complete', 'Expires in 100 days'] },
  ])('$name', ({ input, want }) => {
    expect(statusWords(input).map((word) => word.text)).toEqual(want);
  });

  it('every word has a tone, so an icon shape goes with the colour', () => {
    for (const word of statusWords({ ...base, chain: 'missing-root', showActBy: true, notAssigned: true, renews: 'x', replaced: true })) {
      expect(['ok', 'warn', 'bad', 'info']).toContain(word.tone);
    }
  });
});
