/**
 * Words for an appliance's stored facts, shared by the Appliances and Basics pages and the
 * Status > Basics picture, so what the page shows and what the picture shows cannot drift.
 */
import type { Appliance, ApplianceRole } from '../../core/appliance/appliance';
import { SOFTWARE_UPDATE_WAIT_HOURS } from '../../core/appliance/appliance';
import type { StatusWord } from './status-words';

export const roleLabel: Record<ApplianceRole, string> = {
  primary: 'Primary',
  backup: 'Backup',
  'atlas-node': 'Atlas traffic node',
};

const HOUR = 3_600_000;

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export function formatDateTime(ms: number): string {
  return dateTimeFormat.format(new Date(ms));
}

/** The value a datetime-local input needs for `ms` in local time ("2026-11-26T14:05"). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Milliseconds from a datetime-local value, or undefined when it is not a date. */
export function fromLocalInput(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return undefined;
  const ms = new Date(text).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The guide's 24–48 h wait after a client-software update ("so Jump Clients update
 * themselves"): where the appliance stands now, as a status word.
 */
export function updateWait(appliance: Appliance, now: number): StatusWord | undefined {
  const build = appliance.clientSoftware;
  if (build.updateInstalledAt === undefined) {
    if (build.updateRequestedAt === undefined) return undefined;
    return { text: 'Software update requested, not installed yet', tone: 'warn' };
  }
  const minimum = build.updateInstalledAt + SOFTWARE_UPDATE_WAIT_HOURS.minimum * HOUR;
  const advised = build.updateInstalledAt + SOFTWARE_UPDATE_WAIT_HOURS.advised * HOUR;
  if (now < minimum) {
    return { text: `Wait 24–48 h after the update: not before ${formatDateTime(minimum)}, better ${formatDateTime(advised)}`, tone: 'bad' };
  }
  if (now < advised) return { text: `24 h passed; the guide advises 48 h (${formatDateTime(advised)})`, tone: 'warn' };
  return { text: '24–48 h wait after the update has passed', tone: 'ok' };
}

/** "1.2 MB" */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
