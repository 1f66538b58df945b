import { describe, expect, it } from 'vitest';
import { passphraseStrength } from '../../../src/ui/state/export';

describe('passphrase strength', () => {
  it.each([
    { passphrase: 'aaaaaaaaaaaa', label: 'Weak' },
    { passphrase: 'password', label: 'Weak' },
    { passphrase: 'Summer26', label: 'Fair' },
    { passphrase: 'correct horse battery staple', label: 'Very strong' },
  ])('$passphrase is $label', ({ passphrase, label }) => {
    expect(passphraseStrength(passphrase).label).toBe(label);
  });

  it('grows with length and with kinds of characters', () => {
    expect(passphraseStrength('abcdefgh').bits).toBeLessThan(passphraseStrength('abcdefghij').bits);
    expect(passphraseStrength('abcdefgh').bits).toBeLessThan(passphraseStrength('abcDef1!').bits);
  });
});
