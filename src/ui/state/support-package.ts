/**
 * Building the support package from any page (Basics, the guided root change): the Status >
 * Basics picture drawn from the same model the Basics page shows, the package made and checked
 * by the store, then downloaded.
 */
import type { ApplianceView, SupportPackage } from '../../store/workspace';
import { basicsModel, drawBasicsPicture, type BasicsModel } from './basics-picture';
import { download } from './files';
import { workspace } from './workspace.svelte';

/** Builds the support package of `certId` and downloads it; undefined when it failed (the alert says why). */
export async function buildSupportPackage(view: ApplianceView, certId: string, model?: BasicsModel): Promise<SupportPackage | undefined> {
  const snapshot = model ?? basicsModel(view, workspace.chains, Date.now());
  return workspace.run(
    'Building the support package…',
    async (store, signal) => {
      const now = Date.now();
      const picture = await drawBasicsPicture(snapshot, now);
      const made = await store.supportPackage(certId, { picture, now, signal });
      download(made.name, made.bytes, 'application/zip');
      return made;
    },
    { cancellable: true },
  );
}
