/**
 * Whether a name from a certificate can be shown as it is: subject and issuer attribute values,
 * common names, dNSName entries, friendly names from PKCS#12 bags, file names from archives.
 * Whoever made the certificate chose every code point in it, so a name can be built to look
 * like another one on screen:
 *
 * - Bidirectional controls (U+202A–202E, U+2066–2069, U+200E/200F, U+061C) reorder what is
 *   shown: "\u202Etset.elpmaxe.ecnailppa" displays as "appliance.example.test" (UAX #9 §2).
 * - Invisible and zero-width characters (Default_Ignorable_Code_Point: U+200B–200D, U+2060,
 *   U+FEFF, soft hyphen, variation selectors, tag characters; and every other format (Cf),
 *   control (Cc), line (Zl) and paragraph (Zp) separator) make two different names look equal.
 * - Mixed-script labels: UTS #39 §5.1 resolves each label's script set from the Script_Extensions
 *   of its characters; an empty set means the label mixes scripts ("аpple" with a Cyrillic а).
 *   §5.2's Highly Restrictive level still allows Latin with Han + Hiragana + Katakana (Japanese),
 *   Han + Bopomofo (Chinese) or Han + Hangul (Korean), as Chromium's IDN display policy does
 *   (components/url_formatter/spoof_checks/idn_spoof_checker.cc: USPOOF_HIGHLY_RESTRICTIVE).
 * - Whole-script confusables: a label entirely in one non-Latin script whose letters all have a
 *   Latin look-alike ("асе" in Cyrillic). Chromium blocks these with a short per-script list of
 *   look-alike letters (kWholeScriptConfusables), unless the top-level domain is in that script
 *   or is one of the script's ccTLDs; the same lists are used here.
 * - A-labels (`xn--…`, RFC 5890 §2.3.2.1) are decoded and their U-label checked as above.
 *
 * The answer is a verdict, never a refusal: the certificate is what it is; the admin is shown
 * the name with its hidden characters made visible (⟨U+202E⟩), a warning in words, and the exact
 * characters (`raw`) on request. Scripts are read with `\p{Script_Extensions=…}` (the engine's own
 * Unicode tables), so no character table is shipped beyond the look-alike lists.
 */
import { decodeALabel, isValidALabel } from './idn';

/** What is wrong with a name; `message` says it in the admin's words. */
export type NameWarningCode =
  | 'bidi-control'
  | 'invisible-character'
  | 'control-character'
  | 'unusual-space'
  | 'unassigned-character'
  | 'mixed-script'
  | 'whole-script-confusable'
  | 'invalid-a-label';

export interface NameWarning {
  code: NameWarningCode;
  message: string;
}

/** A name made safe to show. */
export interface DisplayName {
  /** What to display: the name, with hidden characters shown as ⟨U+XXXX⟩. */
  text: string;
  /** The exact characters: non-ASCII and non-printable as \uXXXX escapes (an A-label is ASCII already). */
  raw: string;
  /** Empty when the name can be shown as it is. */
  warnings: NameWarning[];
}

/** Bidirectional formatting characters (UAX #9 §2.1–2.5: embeddings, overrides, isolates, marks). */
const BIDI_CONTROL: Record<number, string> = {
  0x061c: 'Arabic letter mark',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
};

const INVISIBLE_NAMES: Record<number, string> = {
  0x00ad: 'soft hyphen',
  0x034f: 'combining grapheme joiner',
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x2060: 'word joiner',
  0xfeff: 'zero-width no-break space',
};

const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/u;
const CONTROL = /[\p{Cc}\p{Zl}\p{Zp}]/u;
const UNUSUAL_SPACE = /\p{Zs}/u;
const UNASSIGNED = /[\p{Cn}\p{Co}\p{Cs}]/u;
/** Printable ASCII: shown as it is, never escaped. */
const PLAIN = /^[\x20-\x7e]*$/;

function isHidden(char: string, codePoint: number): boolean {
  return BIDI_CONTROL[codePoint] !== undefined || INVISIBLE.test(char) || CONTROL.test(char) || UNUSUAL_SPACE.test(char) || UNASSIGNED.test(char);
}

/**
 * The Script property values of Unicode 16 (UAX #24), as `\p{Script_Extensions=…}` names them.
 * Only names: the engine's regular expressions hold the character tables.
 */
const SCRIPT_CODES =
  'Adlm Aghb Ahom Arab Armi Armn Avst Bali Bamu Bass Batk Beng Bhks Bopo Brah Brai Bugi Buhd Cakm Cans Cari Cham Cher Chrs Copt Cpmn Cprt Cyrl Deva Diak Dogr Dsrt Dupl Egyp Elba Elym Ethi Gara Geor Glag Gong Gonm Goth Gran Grek Gujr Gukh Guru Hang Hani Hano Hatr Hebr Hira Hluw Hmng Hmnp Hung Ital Java Kali Kana Kawi Khar Khmr Khoj Kits Knda Krai Kthi Lana Laoo Latn Lepc Limb Lina Linb Lisu Lyci Lydi Mahj Maka Mand Mani Marc Medf Mend Merc Mero Mlym Modi Mong Mroo Mtei Mult Mymr Nagm Nand Narb Nbat Newa Nkoo Nshu Ogam Olck Onao Orkh Orya Osge Osma Ougr Palm Pauc Perm Phag Phli Phlp Phnx Plrd Prti Rjng Rohg Runr Samr Sarb Saur Sgnw Shaw Shrd Sidd Sind Sinh Sogd Sogo Sora Soyo Sund Sunu Sylo Syrc Tagb Takr Tale Talu Taml Tang Tavt Telu Tfng Tglg Thaa Thai Tibt Tirh Tnsa Todr Toto Tutg Ugar Vaii Vith Wara Wcho Xpeo Xsux Yezi Yiii Zanb'.split(' ');

/** English names of the scripts a warning is most likely to name; others are named by code. */
const SCRIPT_NAMES: Record<string, string> = {
  Arab: 'Arabic',
  Armn: 'Armenian',
  Beng: 'Bengali',
  Bopo: 'Bopomofo',
  Cher: 'Cherokee',
  Copt: 'Coptic',
  Cyrl: 'Cyrillic',
  Deva: 'Devanagari',
  Ethi: 'Ethiopic',
  Geor: 'Georgian',
  Grek: 'Greek',
  Hang: 'Hangul',
  Hani: 'Han',
  Hebr: 'Hebrew',
  Hira: 'Hiragana',
  Kana: 'Katakana',
  Latn: 'Latin',
  Lisu: 'Lisu',
  Thai: 'Thai',
};

let scriptTests: { code: string; test: RegExp }[] | undefined;
const scriptCache = new Map<number, readonly string[]>();

/**
 * The scripts a code point is used with (its Script_Extensions), or [] for Common and Inherited
 * characters (digits, punctuation, combining marks), which UTS #39 §5.1 treats as fitting any script.
 */
function scriptsOf(codePoint: number): readonly string[] {
  const cached = scriptCache.get(codePoint);
  if (cached) return cached;
  scriptTests ??= SCRIPT_CODES.flatMap((code) => {
    try {
      return [{ code, test: new RegExp(`^\\p{Script_Extensions=${code}}$`, 'u') }];
    } catch {
      return []; // a script newer than this engine's Unicode version
    }
  });
  const char = String.fromCodePoint(codePoint);
  const scripts = scriptTests.filter((s) => s.test.test(char)).map((s) => s.code);
  scriptCache.set(codePoint, scripts);
  return scripts;
}

/**
 * UTS #39 §5.1 "augmented" script sets: Han is also Japanese (Jpan), Chinese (Hanb) and Korean
 * (Kore); Hiragana and Katakana are Jpan, Hangul is Kore, Bopomofo is Hanb.
 */
function augmented(scripts: readonly string[]): Set<string> {
  const out = new Set(scripts);
  if (out.has('Hani')) for (const s of ['Hanb', 'Jpan', 'Kore']) out.add(s);
  if (out.has('Hira') || out.has('Kana')) out.add('Jpan');
  if (out.has('Hang')) out.add('Kore');
  if (out.has('Bopo')) out.add('Hanb');
  return out;
}

/** The resolved script set of `text` (UTS #39 §5.1); undefined stands for "any script" (ALL). */
function resolvedScripts(text: string): Set<string> | undefined {
  let resolved: Set<string> | undefined;
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    // Hidden characters are reported on their own; their script (U+061C is Arabic) is beside the point.
    if (isHidden(char, codePoint)) continue;
    const scripts = scriptsOf(codePoint);
    if (scripts.length === 0 || scripts.includes('Zyyy') || scripts.includes('Zinh')) continue;
    const set = augmented(scripts);
    resolved = resolved ? new Set([...resolved].filter((s) => set.has(s))) : set;
  }
  return resolved;
}

/** The scripts of the letters in `text`, in order of appearance, by name. */
function scriptNamesIn(text: string): string[] {
  const names: string[] = [];
  for (const char of text) {
    const script = scriptsOf(char.codePointAt(0)!)[0];
    if (!script) continue;
    const name = SCRIPT_NAMES[script] ?? script;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * Latin look-alike letters per script: Chromium's kWholeScriptConfusables (idn_spoof_checker.cc)
 * for Armenian, Cyrillic, Ethiopic, Georgian, Greek and Hebrew, with the ccTLDs where a label in
 * that script is expected; Cherokee from Unicode's confusables.txt (UTS #39 §4), where its
 * letters map to Latin capitals (Ꭺ → A, Ꭼ → E …). Chromium shows no Cherokee label as Unicode.
 */
const LATIN_LOOKALIKES: Record<string, { letters: string; tlds: readonly string[] }> = {
  Armn: { letters: 'ագզէլհյոսւօՙ', tlds: ['am', 'xn--y9a3aq'] },
  Cyrl: { letters: 'аысԁеԍһіюкјӏорԗԛѕԝхуъьҽпгѵѡ', tlds: ['bg', 'by', 'kz', 'ru', 'su', 'ua', 'uz', 'xn--p1acf', 'xn--p1ai'] },
  Ethi: { letters: 'ሀሠሰስበነተከዐዕዘጠፐꬅ', tlds: ['er', 'et'] },
  Geor: { letters: 'იოყძხჽჿ', tlds: ['ge', 'xn--node'] },
  Grek: { letters: 'αικνρυωηοτ', tlds: ['gr', 'xn--qxam'] },
  Hebr: { letters: 'דוחיןסװײ׳ﬦ', tlds: ['il'] },
  Cher: { letters: 'ᎠᎡᎢᎩᎪᎫᎬᏃᏇᏋᏍᏀᏂᏃᏎᏏᏒᏔᏕᏙᏚᏞᏟᏢᏦᏴ', tlds: [] },
};

/** The script whose letters `label` is made of only, if all of them have Latin look-alikes. */
function wholeScriptConfusable(label: string, resolved: Set<string> | undefined): string | undefined {
  if (!resolved) return undefined;
  for (const [script, { letters }] of Object.entries(LATIN_LOOKALIKES)) {
    if (!resolved.has(script)) continue;
    let any = false;
    for (const char of label) {
      if (!/\p{L}/u.test(char)) continue;
      any = true;
      const folded = script === 'Cher' ? char.toUpperCase() : char.toLowerCase();
      if (!letters.includes(folded)) return undefined;
    }
    if (any) return script;
  }
  return undefined;
}

function hex(codePoint: number): string {
  return codePoint.toString(16).toUpperCase().padStart(4, '0');
}

/** `\uXXXX` (or `\u{XXXXX}`) for everything outside printable ASCII; a backslash as `\\`. */
function escaped(text: string): string {
  let out = '';
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (char === '\\') out += '\\\\';
    else if (cp >= 0x20 && cp <= 0x7e) out += char;
    else out += cp > 0xffff ? `\\u{${hex(cp)}}` : `\\u${hex(cp)}`;
  }
  return out;
}

/** A host name as far as display cares: dot-separated labels, no spaces, no "=" of a DN. */
function looksLikeHostname(text: string): boolean {
  return text.includes('.') && !/[\s=,/@:]/u.test(text);
}

/** Labels of a host name; words of other text (hyphens and underscores stay inside a word). */
function tokensOf(text: string, hostname: boolean): string[] {
  return text.split(hostname ? '.' : /[\s.,;:=+/\\@()"'<>[\]{}|*#&?!]+/u).filter((t) => t !== '');
}

class Warnings {
  readonly list: NameWarning[] = [];
  add(code: NameWarningCode, message: string): void {
    if (!this.list.some((w) => w.code === code && w.message === message)) this.list.push({ code, message });
  }
}

function invisibleName(cp: number): string {
  if (INVISIBLE_NAMES[cp]) return INVISIBLE_NAMES[cp];
  if ((cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef) || (cp >= 0x180b && cp <= 0x180f)) return 'variation selector';
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'tag character';
  return 'format character';
}

/** Per-character findings; returns the text with hidden characters made visible. */
function checkCharacters(text: string, warnings: Warnings, prefix: string): string {
  let shown = '';
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (cp >= 0x20 && cp <= 0x7e) {
      shown += char;
      continue;
    }
    const code = `U+${hex(cp)}`;
    if (BIDI_CONTROL[cp]) {
      warnings.add('bidi-control', `${prefix}Hidden direction control (${BIDI_CONTROL[cp]}, ${code}): the name may be shown in another order than it is written.`);
    } else if (INVISIBLE.test(char)) {
      warnings.add('invisible-character', `${prefix}Invisible character (${invisibleName(cp)}, ${code}): two names that look the same can differ.`);
    } else if (CONTROL.test(char)) {
      warnings.add('control-character', `${prefix}Control character (${code}) in the name.`);
    } else if (UNUSUAL_SPACE.test(char)) {
      warnings.add('unusual-space', `${prefix}Unusual space (${code}) that looks like an ordinary one.`);
    } else if (UNASSIGNED.test(char)) {
      warnings.add('unassigned-character', `${prefix}Unassigned, private-use or broken character (${code}) that may not be shown at all.`);
    } else {
      shown += char;
      continue;
    }
    shown += `⟨${code}⟩`;
  }
  return shown;
}

/** Script findings for one label or word. */
function checkScripts(token: string, tld: string | undefined, warnings: Warnings, prefix: string): void {
  if (PLAIN.test(token)) return;
  // Quoted in a message, the label itself must not carry hidden characters to the screen.
  const shown = checkCharacters(token, new Warnings(), '');
  const resolved = resolvedScripts(token);
  if (resolved && resolved.size === 0) {
    // UTS #39 §5.2 Highly Restrictive: Latin may join one CJK writing system.
    const withoutLatin = resolvedScripts([...token].filter((c) => !scriptsOf(c.codePointAt(0)!).includes('Latn')).join(''));
    const cjk = withoutLatin && ['Jpan', 'Hanb', 'Kore'].some((s) => withoutLatin.has(s));
    if (!cjk) {
      warnings.add('mixed-script', `${prefix}"${shown}" mixes ${joinNames(scriptNamesIn(token))} letters, which is how look-alike names are made (UTS #39).`);
    }
    return;
  }
  const script = wholeScriptConfusable(token, resolved);
  if (!script) return;
  const allowed = LATIN_LOOKALIKES[script]!.tlds;
  if (tld !== undefined && (allowed.includes(tld.toLowerCase()) || resolvedScripts(tld)?.has(script))) return;
  const name = SCRIPT_NAMES[script] ?? script;
  warnings.add('whole-script-confusable', `${prefix}"${shown}" is written only with ${name} letters that look like Latin ones, so it can pass for a Latin name.`);
}

function joinNames(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? 'different') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}

/**
 * The verdict on showing `value` (a name taken from a certificate, a request or a file): the
 * text to display, its exact characters, and what makes it unsafe to show as it is.
 */
export function displayName(value: string): DisplayName {
  const warnings = new Warnings();
  const text = checkCharacters(value, warnings, '');
  const hostname = looksLikeHostname(value);
  const tokens = tokensOf(value, hostname);
  const last = hostname ? tokens.at(-1) : undefined;
  const tld = last?.toLowerCase().startsWith('xn--') ? (decodeALabel(last) ?? last) : last;
  for (const token of tokens) {
    checkScripts(token, tld, warnings, '');
    const aLabel = token.toLowerCase();
    if (aLabel.startsWith('xn--')) {
      const unicode = decodeALabel(aLabel);
      if (unicode === undefined || !isValidALabel(aLabel)) {
        const stands = unicode === undefined ? 'it does not decode' : `it decodes to "${escaped(unicode)}"`;
        warnings.add('invalid-a-label', `"${escaped(token)}" is not a valid A-label (RFC 5891 §5.4): ${stands}.`);
      }
      if (unicode !== undefined) {
        const prefix = `The A-label "${aLabel}" stands for "${escaped(unicode)}": `;
        checkCharacters(unicode, warnings, prefix);
        checkScripts(unicode, tld, warnings, prefix);
      }
    }
  }
  return { text, raw: PLAIN.test(value) ? value : escaped(value), warnings: warnings.list };
}
