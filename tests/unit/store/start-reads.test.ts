/**
 * The start's reads (store/start-reads.ts): issued when the database opens, handed to the first
 * list and chain-status read, and never handed out once anything changed since they were issued.
 */
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../../src/store/workspace';
import type { CertdeskKey } from '../../../src/core/pki/keys';
import { StartReads } from '../../../src/store/start-reads';
import { freshWorkspace, pki } from './support';
import { DEFAULT_APPLIANCE } from '../../../src/core/appliance/appliance';

const appliance = (name: string) => ({ name, role: 'primary' as const, hostname: `${name}.example.com`, siteHostname: 'support.example.com' });

describe('StartReads', () => {
  it('hands each read out once, and none after a change', async () => {
    const reads = new StartReads<{ a: Promise<number>; b: Promise<number> }>();
    reads.issue({ a: Promise.resolve(1), b: Promise.resolve(2) });
    expect(await reads.take('a')).toBe(1);
    expect(reads.take('a')).toBeUndefined();
    reads.changed();
    expect(reads.take('b')).toBeUndefined();
  });

  it('keeps a failed read’s error for its use, not as an unhandled rejection', async () => {
    const reads = new StartReads<{ a: Promise<number> }>();
    reads.issue({ a: Promise.reject(new Error('not readable')) });
    await new Promise((resolve) => setTimeout(resolve, 0));
    await expect(reads.take('a')!).rejects.toThrow('not readable');
  });
});

describe('a start’s first view', () => {
  it('comes from the read issued on open when nothing changed, once', async () => {
    const { ws, factory, name } = await freshWorkspace();
    const [shown] = (await ws.ensureWorkspace()).appliances;
    ws.close();
    const again = await Workspace.open<CertdeskKey>({ pki, factory, name, channelName: `test:${name}` });
    // A write behind the store's back (no action, no notice) shows which read answered.
    await again.database.delete('appliances', shown!.appliance.id);
    expect((await again.listWorkspace()).appliances.map((a) => a.appliance.name)).toEqual([DEFAULT_APPLIANCE.name]);
    expect((await again.listWorkspace()).appliances).toEqual([]);
    again.close();
  });

  it('is read again when this tab changed something after open', async () => {
    const { ws, factory, name } = await freshWorkspace();
    await ws.ensureWorkspace();
    ws.close();
    const again = await Workspace.open<CertdeskKey>({ pki, factory, name, channelName: `test:${name}` });
    await again.addAppliance(appliance('second'));
    expect((await again.listWorkspace()).appliances).toHaveLength(2);
    again.close();
  });

  it('is read again when another tab changed something after open', async () => {
    const { ws: other, factory, name } = await freshWorkspace();
    await other.ensureWorkspace();
    const start = await Workspace.open<CertdeskKey>({ pki, factory, name, channelName: `test:${name}` });
    const noticed = new Promise<void>((resolve) => start.subscribe(() => resolve()));
    await other.addAppliance(appliance('from-another-tab'));
    await noticed;
    expect((await start.listWorkspace()).appliances.map((a) => a.appliance.name)).toContain('from-another-tab');
    start.close();
    other.close();
  });
});
