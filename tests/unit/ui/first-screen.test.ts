import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateView } from '../../../src/store/workspace';
import { certificateRows } from '../../../src/ui/state/certificate-list';
import { FIRST_SCREEN_MAX_CHARS, firstScreenText, parseFirstScreen, shownRow, type FirstScreen } from '../../../src/ui/state/first-screen';
import { DAY, certificateView, loadFacts } from '../appliance/lifecycle-support';

let views: CertificateView[];
let now: number;

beforeAll(async () => {
  const facts = await loadFacts();
  now = facts.server.notBefore + DAY;
  views = [
    certificateView('In use', facts.server, now, { assignedIps: ['192.0.2.10'] }),
    certificateView('Renewal', { ...facts.server, sha256: 'r'.repeat(64), notAfter: facts.server.notAfter + DAY }, now, { renews: 'In use' }),
    certificateView('Intermediate', facts.ica, now, { privateKey: 'missing' }),
  ];
});

function screen(over: Partial<FirstScreen> = {}): FirstScreen {
  return {
    format: 'certdesk-first-screen',
    version: 1,
    applianceId: 'appliance-1',
    sort: 'kind',
    total: 120,
    rows: certificateRows(views, new Map(), now).map(shownRow),
    timelineHeight: 412,
    ...over,
  };
}

/** The kept text with `change` made to its parsed JSON (made when the test runs). */
function edited(change: (value: Record<string, unknown>) => void): () => string {
  return () => {
    const value = JSON.parse(firstScreenText(screen())!) as Record<string, unknown>;
    change(value);
    return JSON.stringify(value);
  };
}

describe('the first screen kept for the next start', () => {
  it('keeps what each row shows, read from the rows as the list works them out, and reads it back as written', () => {
    const rows = certificateRows(views, new Map(), now);
    const shown = rows.map(shownRow);
    // The row's getters (words, next step, the renewal it offers) become plain data.
    expect(shown.map((row) => Object.keys(row).sort())).toEqual(rows.map((row) => ['certificate', 'words', ...(['advice', 'next', 'builtInRootSha256', 'renewsInUse'] as const).filter((key) => row[key] !== undefined)].sort()));
    expect(shown[1]!.renewsInUse).toEqual({ id: 'In use', friendlyName: 'In use' });
    expect(shown.map((row) => row.words)).toEqual(rows.map((row) => row.words));
    const text = firstScreenText(screen())!;
    expect(parseFirstScreen(text)).toEqual(JSON.parse(text));
    expect(parseFirstScreen(text)!.rows.map((row) => row.certificate.id)).toEqual(['In use', 'Renewal', 'Intermediate']);
  });

  it('keeps nothing too long to leave the safety copy its room, and reads none back', () => {
    const long = screen({ rows: screen().rows.map((row) => ({ ...row, certificate: { ...row.certificate, friendlyName: 'x'.repeat(FIRST_SCREEN_MAX_CHARS / 3) } })) });
    expect(firstScreenText(long)).toBeUndefined();
    expect(parseFirstScreen(JSON.stringify(long))).toBeUndefined();
  });

  it.each([
    ['nothing kept', () => null],
    ['not JSON', () => '{"format":"certdesk-first-screen",'],
    ['another format', edited((v) => (v.format = 'certdesk-safety-copy'))],
    ['a later version', edited((v) => (v.version = 2))],
    ['an unknown sort', edited((v) => (v.sort = 'colour'))],
    ['no rows', edited((v) => (v.rows = []))],
    ['fewer certificates than rows', edited((v) => (v.total = 2))],
    ['a count that is not a whole number', edited((v) => (v.total = 1.5))],
    ['no timeline height', edited((v) => delete v.timelineHeight)],
    ['a negative timeline height', edited((v) => (v.timelineHeight = -1))],
    ['a row without its certificate', edited((v) => delete (v.rows as Record<string, unknown>[])[1]!.certificate)],
    ['a row whose words are not words', edited((v) => ((v.rows as Record<string, unknown>[])[0]!.words = [{ text: 1 }]))],
    ['a certificate of an unknown kind', edited((v) => (((v.rows as Record<string, Record<string, unknown>>[])[2]!.certificate!.kind = 'leaf')))],
    ['a certificate without its expiry', edited((v) => delete ((v.rows as Record<string, Record<string, Record<string, unknown>>>[])[0]!.certificate!.facts!.notAfter))],
    ['a renewal offered without its name', edited((v) => delete ((v.rows as Record<string, Record<string, unknown>>[])[1]!.renewsInUse!.friendlyName))],
    ['a next step that is not text', edited((v) => ((v.rows as Record<string, unknown>[])[0]!.next = 7))],
    ['an array', () => '[]'],
  ])('reads back nothing from %s (storage edited or damaged)', (_, text) => {
    expect(parseFirstScreen(text())).toBeUndefined();
  });

  it('reads back a screen edited only where the page does not look', () => {
    expect(parseFirstScreen(edited((v) => (v.total = 5000))())!.total).toBe(5000);
    expect(parseFirstScreen(edited((v) => (v.sort = 'expiry'))())!.sort).toBe('expiry');
  });
});
