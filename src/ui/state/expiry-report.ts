/**
 * The expiry report of every appliance — certificates, IP addresses, act-by dates and status
 * words — as the printable page shows it, as CSV (RFC 4180) and as an iCalendar file (RFC 5545).
 * One set of rows feeds all three, so they cannot disagree.
 */
import type { ExpiryEntry } from '../../core/appliance/expiry-calendar';
import { expiryCalendar } from '../../core/appliance/expiry-calendar';
import { toCsv } from '../../core/formats/csv';
import type { ApplianceView, CertificateView, ListedChainStatuses, WorkspaceView } from '../../store/workspace';
import { roleLabel } from './appliance-words';
import { issuedTo, wordsFor } from './certificate-status';
import type { StatusWord } from './status-words';

export interface ReportRow {
  appliance: ApplianceView;
  certificate: CertificateView;
  words: StatusWord[];
}

const kindOrder = { server: 0, intermediate: 1, root: 2 } as const;

/** Every certificate of every appliance, each appliance's by kind then act-by date. `chains`: full statuses where known. */
export function reportRows(view: WorkspaceView, chains: ListedChainStatuses): ReportRow[] {
  return view.appliances.flatMap((appliance) =>
    [...appliance.certificates]
      .sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind] || a.plan.actBy - b.plan.actBy || a.friendlyName.localeCompare(b.friendlyName))
      .map((certificate) => ({ appliance, certificate, words: wordsFor(certificate, chains.get(certificate.id), view.now, appliance.certificates) })),
  );
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The report as CSV, one line per certificate of each appliance. */
export function reportCsv(rows: readonly ReportRow[]): string {
  return toCsv(
    ['Appliance', 'Role', 'Certificate', 'Kind', 'Issued to', 'Issued by', 'Subject Alternative Names', 'IP addresses', 'Valid from', 'Expires', 'Act by', 'Lead time (days)', 'Status'],
    rows.map(({ appliance, certificate: c, words }) => [
      appliance.appliance.name,
      roleLabel[appliance.appliance.role],
      c.friendlyName,
      c.kind,
      issuedTo(c),
      c.facts.issuer,
      [...c.facts.dnsNames, ...c.facts.ipAddresses].join(' '),
      c.assignedIps.join(' '),
      isoDay(c.facts.notBefore),
      isoDay(c.facts.notAfter),
      isoDay(c.plan.actBy),
      c.plan.leadDays,
      words.map((w) => w.text).join('; '),
    ]),
  );
}

/** The iCalendar file: one event per certificate not replaced, stamped `now`. */
export function reportCalendar(rows: readonly ReportRow[], now: number): string {
  const entries: ExpiryEntry[] = rows
    .filter((row) => row.certificate.replacedBy === undefined)
    .map(({ appliance, certificate: c }) => ({
      applianceId: appliance.appliance.id,
      applianceName: appliance.appliance.name,
      sha256: c.sha256,
      friendlyName: c.friendlyName,
      issuer: c.facts.issuer,
      notAfter: c.facts.notAfter,
      plan: c.plan,
      ips: c.assignedIps,
    }));
  return expiryCalendar(entries, now);
}
