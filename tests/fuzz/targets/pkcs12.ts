/**
 * `importPkcs12` with the right password and with a wrong one (or none), then the certificate model
 * and the key reader on what it holds (as import goes on), on mutated PKCS#12 files
 * (the project's 1-iteration corpus and the third-party fixtures) — half of them mutated inside
 * with the MAC made valid again (mutate/pkcs12.ts); a sample of executions is
 * compared with `openssl pkcs12 -legacy -nodes` (MAC, every bag decrypted, keys and certificates read).
 */
import { importPkcs12 } from '../../../src/core/pki/pkcs12';
import { publicKeyFromPrivateKey } from '../../../src/core/pki/keys';
import { readCertificate } from '../../../src/core/pki/x509';
import { fixturePkcs12, ownCorpus } from '../corpus';
import { PKCS12_MORE_CAPABLE, PKCS12_STRICTER, PKCS12_STRICTER_DETAIL } from '../differences';
import { opensslPkcs12 } from '../oracles';
import { mutatePkcs12Sealed } from '../mutate/pkcs12';
import { mutatedInput, type Comparison, type Target } from '../target';

/** One execution in this many is also opened by the OpenSSL CLI (a spawn costs ~10 ms). */
export const PKCS12_ORACLE_EVERY = 97;

export const pkcs12: Target = {
  name: 'pkcs12',
  description: `importPkcs12 with the right and a wrong password; 1 in ${PKCS12_ORACLE_EVERY} against openssl pkcs12 -legacy -nodes`,
  timeoutMs: 10_000,
  corpus: () => [...ownCorpus(/^p12-/), ...fixturePkcs12()],
  input(rng, corpus) {
    const own = corpus.filter((e) => e.name.startsWith('corpus/'));
    const pick = (r: typeof rng) => (r.chance(0.6) ? r.pick(own) : r.pick(corpus));
    let input = mutatedInput(rng, corpus, pick);
    // Half the time: a mutation that keeps the MAC valid, so that it reaches the bags and keys.
    if (rng.chance(0.5)) {
      const entry = pick(rng);
      const sealed = mutatePkcs12Sealed(rng, entry.bytes, entry.password ?? null, () => rng.pick(own).bytes);
      if (sealed) input = { entry, bytes: sealed, password: entry.password ?? null, variant: 'MAC kept valid' };
    }
    if (rng.chance(0.3)) {
      input.password = rng.pick(['wrong', '', null, 'fuzz ', 'FUZZ']);
      input.variant = `${input.variant ? `${input.variant}, ` : ''}wrong password`;
    } else input.variant ??= 'right password';
    return input;
  },
  async run({ bytes, password }) {
    const contents = await importPkcs12(bytes, password ?? null);
    // What import does next with the bags (decode.ts), as `openssl pkcs12 -nodes` reads keys and certificates too.
    for (const bag of contents.certificates) readCertificate(bag.value);
    for (const bag of contents.keys) await publicKeyFromPrivateKey(bag.value);
    return contents;
  },
  compare({ bytes, password }, outcome, index): Comparison | undefined {
    if (index % PKCS12_ORACLE_EVERY !== 0) return undefined;
    const theirs = opensslPkcs12(bytes, password ?? null);
    if (outcome.verdict === 'accepted') {
      if (theirs.ok) return { class: 'both open', finding: false };
      const known = PKCS12_MORE_CAPABLE.find((d) => d.message.test(theirs.error));
      return known ? { class: `deliberate: ${known.why}`, finding: false } : { class: `Certdesk opens, OpenSSL refuses: ${theirs.error.slice(0, 140)}`, finding: true };
    }
    if (!theirs.ok) return { class: 'both refuse', finding: false };
    const why = PKCS12_STRICTER[outcome.code] ?? PKCS12_STRICTER_DETAIL.find((d) => d.message.test(outcome.message))?.why;
    return why ? { class: `deliberate: ${why}`, finding: false } : { class: `Certdesk refuses (${outcome.code}), OpenSSL opens: ${outcome.message.slice(0, 140)}`, finding: true };
  },
};
