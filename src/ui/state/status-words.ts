/**
 * The status words shown under a certificate's name (the vocabulary's words), each with a tone
 * and an icon shape so that status is never colour alone.
 */
export type Tone = 'ok' | 'warn' | 'bad' | 'info';

export interface StatusWord {
  text: string;
  tone: Tone;
}

export const toneIcon: Record<Tone, string> = { ok: '✓', warn: '▲', bad: '✕', info: '●' };
export const toneLabel: Record<Tone, string> = { ok: 'OK', warn: 'Warning', bad: 'Problem', info: 'Note' };

const DAY = 86_400_000;

/** Whole days from `now` until `notAfter`, rounded down; negative once expired. */
export function daysLeft(notAfter: number, now: number): number {
  return Math.floor((notAfter - now) / DAY);
}

/** "Expired" in red; "Expires in N days" amber under 30 days and red under 7. */
export function expiryWord(notAfter: number, notBefore: number, now: number): StatusWord {
  if (now > notAfter) return { text: 'Expired', tone: 'bad' };
  if (now < notBefore) return { text: 'Not yet valid', tone: 'bad' };
  const days = daysLeft(notAfter, now);
  const text = days === 1 ? 'Expires in 1 day' : `Expires in ${days} days`;
  return { text, tone: days < 7 ? 'bad' : days < 30 ? 'warn' : 'ok' };
}

export type ChainWord = 'complete' | 'missing-intermediate' | 'missing-root' | 'untrusted' | 'not-applicable';

export function statusWords(input: {
  chain: ChainWord;
  selfSigned: boolean;
  factoryDefault: boolean;
  notBefore: number;
  notAfter: number;
  now: number;
}): StatusWord[] {
  const words: StatusWord[] = [];
  if (input.factoryDefault) words.push({ text: 'Factory default', tone: 'warn' });
  if (input.selfSigned) words.push({ text: 'Self-signed', tone: 'warn' });
  else if (input.chain === 'complete') words.push({ text: 'Chain complete', tone: 'ok' });
  else if (input.chain === 'missing-intermediate') words.push({ text: 'Missing intermediate certificate', tone: 'bad' });
  else if (input.chain === 'missing-root') words.push({ text: 'Missing root certificate', tone: 'bad' });
  else if (input.chain === 'untrusted') words.push({ text: 'Chain not valid', tone: 'bad' });
  words.push(expiryWord(input.notAfter, input.notBefore, input.now));
  return words;
}
