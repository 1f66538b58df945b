/**
 * Status > Basics for one appliance: the facts the guide's screenshot shows to identify the
 * appliance being updated, as one model that both the Basics page and the picture in the
 * support package are drawn from. The picture is text drawn on a canvas (no screenshot API
 * exists for a page to capture itself), exported as PNG.
 */
import { CertdeskError } from '../../core/errors';
import type { ApplianceView, CertificateView, ListedChainStatuses } from '../../store/workspace';
import { formatDate, issuedTo, wordsFor } from './certificate-status';
import { formatDateTime, roleLabel, updateWait } from './appliance-words';
import type { StatusWord } from './status-words';
import { toneIcon } from './status-words';
import { nameDisplay, nameWarningWords } from './name-display';

/**
 * Names from certificates as the picture shows them: hidden characters made visible, and a
 * warning word with the exact characters when a name can deceive (the vendor reads it too).
 */
function safeNames(...names: string[]): { texts: string[]; words: StatusWord[] } {
  const words: StatusWord[] = [];
  const texts = names.map((name) => {
    const verdict = nameDisplay(name);
    const warning = nameWarningWords(verdict);
    const text = `${warning}: ${verdict.raw}`;
    // One word per distinct name: the status list is keyed by its words.
    if (warning && !words.some((w) => w.text === text)) words.push({ text, tone: 'warn' });
    return verdict.text;
  });
  return { texts, words };
}

export interface BasicsRow {
  label: string;
  value: string;
  words?: StatusWord[];
}

export interface BasicsSection {
  title: string;
  rows: BasicsRow[];
  /** Shown when the section has no rows. */
  empty?: string;
}

export interface BasicsModel {
  title: string;
  sections: BasicsSection[];
}

/** The model of Status > Basics for `view` at `now`. */
export function basicsModel(view: ApplianceView, chains: ListedChainStatuses, now: number): BasicsModel {
  const { appliance } = view;
  const byId = new Map(view.certificates.map((c) => [c.id, c] as const));
  const bySha = new Map(view.certificates.map((c) => [c.sha256, c] as const));
  const build = appliance.clientSoftware;
  const wait = updateWait(appliance, now);
  const servers = view.certificates.filter((c) => c.kind === 'server');
  return {
    title: `Status > Basics: ${appliance.name}`,
    sections: [
      {
        title: 'Appliance',
        rows: [
          { label: 'Appliance name', value: appliance.name },
          { label: 'Role', value: roleLabel[appliance.role] },
          { label: 'Hostname', value: appliance.hostname },
          { label: 'Site hostname', value: appliance.siteHostname },
          { label: 'In production', value: appliance.inProduction ? 'Yes' : 'No' },
        ],
      },
      {
        title: 'IP addresses',
        empty: 'No IP addresses recorded yet.',
        rows: view.ips.map((ip) => {
          const cert = ip.certificateId ? byId.get(ip.certificateId) : undefined;
          if (!cert) return { label: `${ip.ip} (${ip.dnsName})`, value: 'No certificate' };
          const { texts, words } = safeNames(cert.friendlyName);
          return {
            label: `${ip.ip} (${ip.dnsName})`,
            value: `${texts[0]}, expires ${formatDate(cert.facts.notAfter)}`,
            words: [...words, ...wordsFor(cert, chains.get(cert.id), now)],
          };
        }),
      },
      {
        title: 'Client software',
        rows: [
          {
            label: 'Roots built in',
            value: build.roots.map((sha) => (bySha.has(sha) ? nameDisplay(bySha.get(sha)!.friendlyName).text : `SHA-256 ${sha.slice(0, 16)}…`)).join(', ') || 'None',
          },
          {
            label: 'Update requested',
            value: build.updateRequestedAt === undefined ? 'Not recorded' : formatDateTime(build.updateRequestedAt),
          },
          {
            label: 'Update installed',
            value: build.updateInstalledAt === undefined ? 'Not recorded' : formatDateTime(build.updateInstalledAt),
            ...(wait ? { words: [wait] } : {}),
          },
        ],
      },
      {
        title: 'Certificates',
        empty: 'No certificates.',
        rows: [...servers, ...view.certificates.filter((c) => c.kind !== 'server')].map((cert) => certificateRow(cert, chains, now)),
      },
    ],
  };
}

function certificateRow(cert: CertificateView, chains: ListedChainStatuses, now: number): BasicsRow {
  const kind = cert.kind === 'server' ? '' : cert.kind === 'root' ? 'Root certificate, ' : 'Intermediate certificate, ';
  const { texts, words } = safeNames(cert.friendlyName, issuedTo(cert));
  return {
    label: texts[0]!,
    value: `${kind}issued to ${texts[1]!}, expires ${formatDate(cert.facts.notAfter)}`,
    words: [...words, ...wordsFor(cert, chains.get(cert.id), now)],
  };
}

export interface BasicsLine {
  text: string;
  style: 'title' | 'heading' | 'row' | 'words';
  /** For a 'words' line: the status words, drawn each in its tone's colour with its icon. */
  words?: StatusWord[];
}

/** The model as plain text lines (what the picture draws; also useful to read in tests). */
export function basicsLines(model: BasicsModel): BasicsLine[] {
  const lines: BasicsLine[] = [{ text: model.title, style: 'title' }];
  for (const section of model.sections) {
    lines.push({ text: section.title, style: 'heading' });
    if (section.rows.length === 0 && section.empty) lines.push({ text: section.empty, style: 'row' });
    for (const row of section.rows) {
      lines.push({ text: `${row.label}: ${row.value}`, style: 'row' });
      if (row.words?.length) {
        lines.push({ text: row.words.map((w) => `${toneIcon[w.tone]} ${w.text}`).join('   '), style: 'words', words: row.words });
      }
    }
  }
  return lines;
}

const WIDTH = 1000;
const MARGIN = 32;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const STYLE = {
  title: { size: 26, weight: '700', gap: 18, colour: '#1b1f24' },
  heading: { size: 19, weight: '700', gap: 14, colour: '#1d4e89' },
  row: { size: 16, weight: '400', gap: 6, colour: '#1b1f24' },
  words: { size: 15, weight: '400', gap: 4, colour: '#57606a' },
} as const;
/** The page's light-theme tone colours (app.css --ok, --warn, --bad, --muted). */
const TONE_COLOUR: Record<StatusWord['tone'], string> = { ok: '#1a7f37', warn: '#9a6700', bad: '#c62828', info: '#57606a' };

/** Breaks `text` into lines no wider than `width` at spaces (long words are cut). */
function wrap(context: CanvasRenderingContext2D, text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (context.measureText(next).width <= width || !line) {
      line = next;
    } else {
      out.push(line);
      line = word;
    }
    while (context.measureText(line).width > width && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && context.measureText(line.slice(0, cut)).width > width) cut--;
      out.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line) out.push(line);
  return out;
}

/**
 * Draws the model as a PNG picture of Status > Basics (light theme, whatever the page's theme,
 * so it reads the same in the vendor's mail). Browser only: needs a canvas.
 */
export async function drawBasicsPicture(model: BasicsModel, generatedAt: number): Promise<Uint8Array> {
  const lines = [...basicsLines(model), { text: `Drawn by Certdesk on ${formatDateTime(generatedAt)}`, style: 'words' as const }];
  const canvas = document.createElement('canvas');
  const scale = 2; // crisp on the vendor's high-density screens
  const measure = canvas.getContext('2d');
  if (!measure) throw pictureFailed();
  const laid: { text: string; style: keyof typeof STYLE; y: number; words?: StatusWord[] }[] = [];
  let y = MARGIN;
  for (const line of lines) {
    const style = STYLE[line.style];
    measure.font = `${style.weight} ${style.size}px ${FONT}`;
    y += style.gap;
    const parts = wrap(measure, line.text, WIDTH - 2 * MARGIN - (line.style === 'row' || line.style === 'words' ? 16 : 0));
    if (line.words && parts.length === 1) {
      y += style.size * 1.35;
      laid.push({ text: line.text, style: line.style, y, words: line.words });
      continue;
    }
    for (const part of parts) {
      y += style.size * 1.35;
      laid.push({ text: part, style: line.style, y });
    }
  }
  const height = Math.ceil(y + MARGIN);
  canvas.width = WIDTH * scale;
  canvas.height = height * scale;
  const context = canvas.getContext('2d')!;
  context.scale(scale, scale);
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, WIDTH, height);
  context.textBaseline = 'alphabetic';
  for (const line of laid) {
    const style = STYLE[line.style];
    context.font = `${style.weight} ${style.size}px ${FONT}`;
    context.fillStyle = style.colour;
    const indent = line.style === 'row' || line.style === 'words' ? 16 : 0;
    if (line.words) {
      // Each word in its colour and with its icon: never colour alone, in the picture too.
      let x = MARGIN + indent;
      for (const word of line.words) {
        const text = `${toneIcon[word.tone]} ${word.text}`;
        context.fillStyle = TONE_COLOUR[word.tone];
        context.fillText(text, x, line.y - style.size * 0.3);
        x += context.measureText(text).width + 24;
      }
      continue;
    }
    context.fillText(line.text, MARGIN + indent, line.y - style.size * 0.3);
    if (line.style === 'heading') {
      context.fillStyle = '#d0d7de';
      context.fillRect(MARGIN, line.y + 4, WIDTH - 2 * MARGIN, 1);
    }
  }
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw pictureFailed();
  return new Uint8Array(await blob.arrayBuffer());
}

function pictureFailed(): CertdeskError {
  return new CertdeskError(
    'picture-not-drawn',
    'This browser could not draw the picture of Status > Basics. Take a screenshot of the Basics page yourself and add it to the .zip.',
  );
}
