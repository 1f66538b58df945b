import { describe, expect, it } from 'vitest';
import { ruleFor } from '../../../src/core/pki/validation/rules';
import { withRule } from '../../../src/core/pki/validation/problem';
import { sourcesText, weightText, whoRefuses } from '../../../src/ui/state/rule-findings';

/** The viewer's words for who enforces a rule, from the rule table's own data. */
const finding = (code: string) => withRule({ code, message: 'm' });

describe('who enforces a rule, as the viewer says it', () => {
  it.each([
    ['critical-extended-key-usage', 'Browsers accept this, but pyca/cryptography (and the clients built on it) will not.'],
    ['intermediate-any-extended-key-usage', 'Browsers accept this, but rustls-webpki and OpenSSL (and the clients built on them) will not.'],
    ['leaf-without-extended-key-usage', 'Refused by Safari; other browsers and TLS libraries accept it.'],
    ['expired', 'Refused by Chrome and by strict TLS libraries (rustls-webpki, Go crypto/x509, pyca/cryptography and OpenSSL).'],
    ['non-critical-name-constraints', 'Required by RFC 5280; no client we checked refuses it.'],
    ['zero-serial-number', 'Required by RFC 5280 and the CA/Browser Forum Baseline Requirements; no client we checked refuses it.'],
  ])('%s', (code, sentence) => {
    expect(whoRefuses(ruleFor(code).enforcedBy)).toBe(sentence);
  });

  it('cites every source of the rule, once', () => {
    expect(sourcesText(finding('non-critical-basic-constraints'))).toBe('RFC 5280 §4.2.1.9 · CABF BR §7.1.2.6.1');
    expect(sourcesText(finding('validity-over-825-days'))).toBe('Apple HT210176 (iOS 13)');
    expect(sourcesText(finding('ca-key-usage-bits'))).toBe('CABF BR §7.1.2.10.7');
  });

  it('weighs a finding by where it is shown', () => {
    expect(weightText(finding('expired'), 'verdict')).toBe('Refused');
    expect(weightText(finding('internal-name'), 'lint')).toBe('A public CA must refuse this');
    expect(weightText(finding('missing-certificate-policies'), 'lint')).toBe('Note');
  });
});
