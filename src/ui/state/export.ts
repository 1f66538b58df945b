/**
 * The Export page's passphrase meter. What a choice may hold and the file itself are the store's
 * (src/store/export.ts).
 */

/** A rough strength estimate for the passphrase meter: bits of a guessing attacker's work. */
export function passphraseStrength(passphrase: string): { bits: number; label: 'Weak' | 'Fair' | 'Strong' | 'Very strong' } {
  let pool = 0;
  if (/[a-z]/.test(passphrase)) pool += 26;
  if (/[A-Z]/.test(passphrase)) pool += 26;
  if (/[0-9]/.test(passphrase)) pool += 10;
  if (/[^A-Za-z0-9]/.test(passphrase)) pool += 33;
  const unique = new Set(passphrase).size;
  // Repeated characters add little: count length by distinct characters, up to the real length.
  const effective = Math.min(passphrase.length, unique * 2);
  const bits = Math.round(effective * Math.log2(Math.max(pool, 1)));
  const label = bits < 40 ? 'Weak' : bits < 60 ? 'Fair' : bits < 80 ? 'Strong' : 'Very strong';
  return { bits, label };
}
