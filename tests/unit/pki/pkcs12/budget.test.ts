/**
 * The work budget: compressions counted from FIPS 180-4's padding rule by hand, the ceilings at
 * the limit and one past, and the refusal's words.
 */
import { describe, expect, it } from 'vitest';
import { limits } from '../../../../src/core/pki/limits';
import { WorkBudget, describeDuration, hmacWork, pbkdf2Work, pkcs12KdfWork } from '../../../../src/core/pki/pkcs12/budget';
import { hashByName } from '../../../../src/core/pki/pkcs12/hashes';

const sha1 = hashByName('SHA-1');
const sha256 = hashByName('SHA-256');
const sha512 = hashByName('SHA-512');

describe('work of each derivation, in hash compressions', () => {
  it('PKCS#12 KDF, SHA-1, 8-byte salt, 4-byte password, 20 bytes: D‖S‖P is 192 bytes (4 blocks with padding), then 1 per further iteration', () => {
    expect(pkcs12KdfWork(sha1, 8, 4, 1, 20)).toBe(4);
    expect(pkcs12KdfWork(sha1, 8, 4, 2048, 20)).toBe(4 + 2047);
  });
  it('PKCS#12 KDF, 24 bytes of SHA-1 output need two blocks, each with its own iterations', () => {
    expect(pkcs12KdfWork(sha1, 8, 4, 2048, 24)).toBe(2 * (4 + 2047));
  });
  it('PKCS#12 KDF, SHA-512: a 128-byte block counts 2; 3 × 128 bytes + padding is 4 blocks', () => {
    expect(pkcs12KdfWork(sha512, 8, 4, 100, 64)).toBe(2 * (4 + 99));
  });
  it('PKCS#12 KDF, a NULL password (0 bytes) adds no block', () => {
    expect(pkcs12KdfWork(sha1, 8, 0, 1, 20)).toBe(3);
  });
  it('PBKDF2-HMAC-SHA256, 16-byte salt, 32 bytes: 2 pads, U_1 (inner 1 + outer 1), 2 per further iteration', () => {
    expect(pbkdf2Work(sha256, 8, 16, 1, 32)).toBe(2 + 2);
    expect(pbkdf2Work(sha256, 8, 16, 100_000, 32)).toBe(2 + 2 + 2 * 99_999);
  });
  it('PBKDF2, a password longer than a block is hashed first', () => {
    expect(pbkdf2Work(sha256, 100, 16, 1, 32) - pbkdf2Work(sha256, 8, 16, 1, 32)).toBe(2);
  });
  it('PBKDF2-HMAC-SHA512: every compression counts 2', () => {
    expect(pbkdf2Work(sha512, 8, 16, 10, 64)).toBe(2 * (2 + 2 + 18));
  });
  it('HMAC over 1,000 bytes with SHA-1: inner (64 + 1,000 + 9 → 17 blocks) and outer (2 blocks)', () => {
    expect(hmacWork(sha1, 1000)).toBe(17 + 2);
  });
});

describe('WorkBudget', () => {
  it('plans and charges exactly limits.maxWorkPerFile; one more is work-limit-exceeded, before it is spent', () => {
    const budget = new WorkBudget();
    budget.plan(limits.maxWorkPerFile);
    budget.charge(limits.maxWorkPerFile - 1);
    budget.charge(1);
    expect(budget.spent).toBe(limits.maxWorkPerFile);
    expect(() => budget.charge(1)).toThrow(expect.objectContaining({ code: 'work-limit-exceeded', message: expect.stringContaining('limits.maxWorkPerFile') }));
    expect(budget.spent).toBe(limits.maxWorkPerFile);
  });
  it('shares limits.maxWorkPerImport with the files before it', () => {
    const spentBefore = limits.maxWorkPerImport - 1000;
    const budget = new WorkBudget({ importSpent: spentBefore });
    budget.charge(1000);
    expect(() => budget.charge(1)).toThrow(expect.objectContaining({ code: 'work-limit-exceeded', message: expect.stringContaining('limits.maxWorkPerImport') }));
  });
  it.each([Number.NaN, Infinity])('refuses %d units', (n) => {
    expect(() => new WorkBudget().plan(n)).toThrow(expect.objectContaining({ code: 'work-limit-exceeded' }));
  });
  it('says how much the file asks for and where Certdesk stops, in words', () => {
    expect(() => new WorkBudget().plan(144_000_000)).toThrow(
      'This file asks for about 3 minutes of key derivation (144 million hash compressions); Certdesk stops at 5 seconds (4 million, limits.maxWorkPerFile)',
    );
  });
  it.each([
    [limits.workPerSecond / 2, 'less than a second'],
    [limits.workPerSecond * 5, 'about 5 seconds'],
    [limits.workPerSecond * 600, 'about 10 minutes'],
    [limits.workPerSecond * 7200, 'about 2 hours'],
    [limits.workPerSecond * 86400 * 3, 'about 3 days'],
  ])('describeDuration(%d) = %s', (work, want) => {
    expect(describeDuration(work)).toBe(want);
  });
});
