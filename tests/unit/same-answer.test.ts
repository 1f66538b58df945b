/**
 * One file, one answer: the CLI (`certdesk inspect`), import (the workspace's importFiles, which
 * decodes in the PKI worker and reads each certificate's facts) and the viewer (the workspace's
 * describeCertificate) read through the same functions — decodeInput, then the certificate model
 * by readCertificate — so a file refused on one path is refused on every path with the same code,
 * and one read on one path is read on all. Every hostile file class of RELIABILITY.md, issue 12
 * and the fuzz campaign (tests/support/hostile-inputs.ts) goes through all three.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inspect } from '../../src/cli/inspect';
import type { Workspace } from '../../src/store/workspace';
import type { CertdeskKey } from '../../src/core/pki/keys';
import { codeOf } from '../support/errors';
import { hostileClasses } from '../support/hostile-inputs';
import { freshWorkspace } from './store/support';

/** Codes of certificate reading: what the viewer, given the same DER, must answer too. */
const CERTIFICATE_CODES = new Set([
  'empty-file',
  'file-too-large',
  'invalid-encoding',
  'not-der',
  'trailing-bytes',
  'asn1-too-deep',
  'asn1-too-many-elements',
  'asn1-oid-too-long',
  'malformed-certificate',
  'public-key-not-certificate',
  'crl-not-certificate',
]);

// A workspace per class: after the 10,000-certificate class, one shared workspace made every
// later class list 10,000 stored certificates.
let ws: Workspace<CertdeskKey>;
let applianceId: string;
beforeEach(async () => {
  ({ ws } = await freshWorkspace());
  applianceId = (await ws.ensureWorkspace()).appliances[0]!.appliance.id;
});
afterEach(() => ws.close());

describe('CLI, import and viewer give one file the same answer', () => {
  const files = hostileClasses.filter((c) => c.file);
  it.each(files.map((c) => [c.name, c] as const))('%s', { timeout: 120_000 }, async (_name, hostile) => {
    const bytes = hostile.file!();
    const password = hostile.password ?? undefined;
    const cli = await codeOf(inspect(bytes, password === undefined ? {} : { password }));
    const summary = await ws.importFiles(applianceId, [{ name: 'hostile.crt', bytes, ...(password === undefined ? {} : { password }) }]);
    const outcome = summary.files[0]!;
    const imported = outcome.rejected?.code ?? 'resolved';
    expect({ cli, import: imported }).toEqual({ cli: hostile.want === 'accepted' ? 'resolved' : hostile.want, import: hostile.want === 'accepted' ? 'resolved' : hostile.want });
    // The viewer is given what a viewer can be given: the DER of a certificate file, or what import stored.
    if (CERTIFICATE_CODES.has(cli) && bytes[0] === 0x30) expect(await codeOf(ws.describeCertificate(bytes))).toBe(cli);
    const stored = (await ws.listWorkspace()).appliances.flatMap((a) => a.certificates).filter((c) => [...outcome.added, ...outcome.linked, ...outcome.alreadyPresent].includes(c.id));
    for (const der of await ws.certificateDers(stored.map((c) => c.id))) expect(await codeOf(ws.describeCertificate(der))).toBe('resolved');
  });
});
