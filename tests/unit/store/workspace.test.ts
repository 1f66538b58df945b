import { describe, expect, it } from 'vitest';
import { freshWorkspace, snapshot } from './support';

describe('ensureWorkspace', () => {
  it('creates one default appliance with its factory default certificate, once', async () => {
    const { ws } = await freshWorkspace();
    const view = await ws.ensureWorkspace();
    expect(view.appliances).toHaveLength(1);
    const [a] = view.appliances;
    expect(a!.certificates).toHaveLength(1);
    expect(a!.certificates[0]).toMatchObject({ factoryDefault: true, friendlyName: 'Factory default', privateKey: 'available', kind: 'server' });
    expect(a!.appliance.clientSoftware.roots).toEqual([a!.certificates[0]!.sha256]);
    const before = await snapshot(ws);
    await ws.ensureWorkspace();
    expect(await snapshot(ws)).toEqual(before);
    ws.close();
  });
});
