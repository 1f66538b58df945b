import { beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../support/fixtures';
import { generateKey, importPrivateKey } from '../../../src/core/pki/keys';
import type { CertdeskKey } from '../../../src/core/pki/keys';
import { decodeInput } from '../../../src/core/pki/decode';
import { readCertificateFacts } from '../../../src/core/appliance/certificate-facts';
import type { IncomingCertificate, ImportContext } from '../../../src/core/appliance/import-plan';
import { FILES_LOGGED_ONE_BY_ONE, planImport } from '../../../src/core/appliance/import-plan';
import { bulkCertificates } from '../../support/bulk-certificates';
import type { RequestEntry } from '../../../src/core/appliance/certificate-entry';

const ec = (name: string) => fixture('openssl-set', 'ec', name);
let server: IncomingCertificate;
let root: IncomingCertificate;
let serverKey: CertdeskKey;

beforeAll(async () => {
  server = { der: ec('server.der'), facts: await readCertificateFacts(ec('server.der')) };
  root = { der: ec('root.der'), facts: await readCertificateFacts(ec('root.der')) };
  const decoded = await decodeInput(ec('server.pkcs8.der'));
  serverKey = await importPrivateKey(decoded.privateKeys[0]!.pkcs8, { exportable: false });
});

function context(over: Partial<ImportContext<CertdeskKey>> = {}): ImportContext<CertdeskKey> {
  let n = 0;
  return { applianceId: 'a1', now: 5, certificates: [], keys: [], requests: [], newId: () => `id${++n}`, ...over };
}

describe('planImport', () => {
  it('a key and its certificate in one file link, and the request made with that key is fulfilled', () => {
    const request: RequestEntry = { id: 'r1', applianceId: 'a1', keyId: 'k1', friendlyName: 'R', subject: {}, subjectAltNames: [], der: new Uint8Array(), createdAt: 1 };
    // The stored request's key is the same key, stored earlier as k1.
    const plan = planImport(context({ keys: [{ id: 'k1', applianceId: 'a1', friendlyName: 'K', createdAt: 1, key: serverKey }], requests: [request] }), [
      { file: 'reply.pem', certificates: [server, root], keys: [] },
    ]);
    expect(plan.summary).toMatchObject({ added: 1, linked: 1, alreadyPresent: 0, rejected: 0 });
    expect(plan.certificates.find((c) => c.sha256 === server.facts.sha256)!.keyId).toBe('k1');
    expect(plan.requests).toEqual([{ ...request, fulfilledBy: `a1:${server.facts.sha256}` }]);
    expect(plan.events.map((e) => e.kind)).toEqual(['request-fulfilled', 'certificate-imported']);
  });

  it(`one event per file up to ${FILES_LOGGED_ONE_BY_ONE} files; past that, one event counts the certificates of all files and names the first three`, async () => {
    const { root: rootDer, leaves } = bulkCertificates(FILES_LOGGED_ONE_BY_ONE + 1);
    const certificates = await Promise.all([rootDer, ...leaves].map(async (der) => ({ der, facts: await readCertificateFacts(der) })));
    const oneEach = (count: number) => certificates.slice(0, count).map((certificate, i) => ({ file: `cert-${i}.pem`, certificates: [certificate], keys: [] }));

    const few = planImport(context(), oneEach(FILES_LOGGED_ONE_BY_ONE));
    expect(few.events.map((e) => e.message)).toEqual(oneEach(FILES_LOGGED_ONE_BY_ONE).map((f) => `Imported 1 certificate from ${f.file}.`));

    // Every file's certificate is still stored and reported per file; only the log is one line.
    const many = [...oneEach(FILES_LOGGED_ONE_BY_ONE + 2), { file: 'again.pem', certificates: [certificates[0]!], keys: [] }];
    const plan = planImport(context(), many);
    expect(plan.certificates).toHaveLength(FILES_LOGGED_ONE_BY_ONE + 2);
    expect(plan.summary.files.map((f) => f.added.length)).toEqual([...Array(FILES_LOGGED_ONE_BY_ONE + 2).fill(1), 0]);
    expect(plan.events.map((e) => [e.kind, e.message])).toEqual([
      ['certificate-imported', `Imported ${FILES_LOGGED_ONE_BY_ONE + 2} certificates from ${FILES_LOGGED_ONE_BY_ONE + 2} files (cert-0.pem, cert-1.pem, cert-2.pem, and ${FILES_LOGGED_ONE_BY_ONE - 1} more).`],
    ]);
  });

  it('the same certificate twice in one import is stored once and reported already present the second time', () => {
    const plan = planImport(context(), [
      { file: 'a.pem', certificates: [root], keys: [] },
      { file: 'b.pem', certificates: [root, root], keys: [] },
    ]);
    expect(plan.certificates).toHaveLength(1);
    expect(plan.summary.files.map((f) => [f.added.length, f.alreadyPresent.length])).toEqual([
      [1, 0],
      [0, 2],
    ]);
  });

  it('a new key links stored certificates that were waiting for it; a second copy of the key is already present', async () => {
    const stored = { id: `a1:${server.facts.sha256}`, applianceId: 'a1', sha256: server.facts.sha256, friendlyName: 'S', der: server.der, facts: server.facts, factoryDefault: false, source: 'imported' as const, importedAt: 1 };
    const plan = planImport(context({ certificates: [stored] }), [
      { file: 'key.pem', certificates: [], keys: [{ key: serverKey }] },
      { file: 'key-again.pem', certificates: [], keys: [{ key: serverKey }] },
    ]);
    expect(plan.keys).toHaveLength(1);
    expect(plan.certificates).toEqual([{ ...stored, keyId: plan.keys[0]!.id }]);
    expect(plan.summary.files[0]!.linked).toEqual([stored.id]);
    expect(plan.summary.files[1]!.keysAlreadyPresent).toEqual([plan.keys[0]!.id]);
    const other = await generateKey('ECDSA-P256', { exportable: false });
    expect(planImport(context({ certificates: [stored] }), [{ file: 'other.pem', certificates: [], keys: [{ key: other }] }]).summary.linked).toBe(0);
  });

  it('a rejected file contributes nothing but its reason', () => {
    const plan = planImport(context(), [{ file: 'x.crt', certificates: [root], keys: [], rejected: { code: 'html-not-certificate', message: 'm' } }]);
    expect(plan.certificates).toEqual([]);
    expect(plan.summary).toMatchObject({ rejected: 1, added: 0 });
  });

  it.each([
    { name: 'a new root not in the client software is named for the support-package prompt', roots: [] as string[], want: true },
    { name: 'a root the client software has is not', roots: ['ROOT'], want: false },
  ])('$name; IP SANs of a server certificate are warned', ({ roots, want }) => {
    const plan = planImport(context({ clientSoftwareRoots: roots.map((r) => (r === 'ROOT' ? root.facts.sha256 : r)) }), [
      { file: 'chain.pem', certificates: [server, root], keys: [] },
    ]);
    expect(plan.summary.newRoots).toEqual(want ? [`a1:${root.facts.sha256}`] : []);
    expect(plan.summary.files[0]!.warnings.map((w) => w.code)).toEqual(['ip-address-san']);
    expect(plan.summary.files[0]!.warnings[0]!.message).toContain('192.0.2.10, 2001:db8::10');
  });

  it('certificates from the built-in store are recorded as coming from there', () => {
    const plan = planImport(context(), [{ file: 'Built-in root store', certificates: [root], keys: [], source: 'built-in-store' }]);
    expect(plan.certificates[0]!.source).toBe('built-in-store');
    expect(plan.summary.files[0]!.warnings).toEqual([]);
  });
});
