import { describe, expect, it } from 'vitest';
import { daysLeft, expiryWord, statusWords } from '../../../src/ui/state/status-words';

const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 26, 12);

describe('expiry words', () => {
  it.each([
    { name: 'a year left', notAfter: now + 365 * DAY, want: { text: 'Expires in 365 days', tone: 'ok' } },
    { name: '30 days left is still green', notAfter: now + 30 * DAY, want: { text: 'Expires in 30 days', tone: 'ok' } },
    { name: 'under 30 days is amber', notAfter: now + 29 * DAY + 1, want: { text: 'Expires in 29 days', tone: 'warn' } },
    { name: '7 days is amber', notAfter: now + 7 * DAY, want: { text: 'Expires in 7 days', tone: 'warn' } },
    { name: 'under 7 days is red', notAfter: now + 6 * DAY + 1, want: { text: 'Expires in 6 days', tone: 'bad' } },
    { name: 'one day, singular', notAfter: now + DAY + 1, want: { text: 'Expires in 1 day', tone: 'bad' } },
    { name: 'hours left', notAfter: now + 3_600_000, want: { text: 'Expires in 0 days', tone: 'bad' } },
    { name: 'expired', notAfter: now - 1, want: { text: 'Expired', tone: 'bad' } },
  ])('$name', ({ notAfter, want }) => {
    expect(expiryWord(notAfter, now - 400 * DAY, now)).toEqual(want);
  });

  it('a certificate not valid yet says so in red', () => {
    expect(expiryWord(now + 400 * DAY, now + DAY, now)).toEqual({ text: 'Not yet valid', tone: 'bad' });
  });

  it('days are whole days rounded down', () => {
    expect(daysLeft(now + 2 * DAY - 1, now)).toBe(1);
    expect(daysLeft(now - 1, now)).toBe(-1);
  });
});

describe('status words under a certificate name', () => {
  const base = { notBefore: now - DAY, notAfter: now + 100 * DAY, now, selfSigned: false, factoryDefault: false };
  it.each([
    { name: 'complete chain', input: { ...base, chain: 'complete' as const }, want: ['Chain complete', 'Expires in 100 days'] },
    { name: 'missing intermediate', input: { ...base, chain: 'missing-intermediate' as const }, want: ['Missing intermediate certificate', 'Expires in 100 days'] },
    { name: 'missing root', input: { ...base, chain: 'missing-root' as const }, want: ['Missing root certificate', 'Expires in 100 days'] },
    { name: 'self-signed', input: { ...base, chain: 'complete' as const, selfSigned: true }, want: ['Self-signed', 'Expires in 100 days'] },
    { name: 'factory default', input: { ...base, chain: 'complete' as const, selfSigned: true, factoryDefault: true }, want: ['Factory default', 'Self-signed', 'Expires in 100 days'] },
    { name: 'expired and complete', input: { ...base, chain: 'complete' as const, notAfter: now - DAY }, want: ['Chain complete', 'Expired'] },
  ])('$name', ({ input, want }) => {
    expect(statusWords(input).map((word) => word.text)).toEqual(want);
  });

  it('every word has a tone, so an icon shape goes with the colour', () => {
    for (const word of statusWords({ ...base, chain: 'missing-root' })) expect(['ok', 'warn', 'bad', 'info']).toContain(word.tone);
  });
});
