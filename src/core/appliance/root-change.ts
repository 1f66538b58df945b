/**
 * Changing CA without cutting clients off: the guide's re-key warning ("If this CA is changed
 * without preparing the clients beforehand, then it is possible to permanently lose connectivity
 * to the clients") and its "Update the Bomgar Appliance" steps, as a sequence whose state is
 * derived from what the admin recorded on the appliance:
 *
 *   1. package — build the support package with the new chain (the vendor needs the root);
 *   2. request — record the software-update request sent to the vendor with it;
 *   3. install — record the installation of the build the vendor sent;
 *   4. wait    — "wait 24-48 hours … for your Bomgar client software (especially Jump Clients)
 *                to update themselves".
 *
 * Until every step is done, assigning a certificate with that root is refused unless the admin
 * overrides it deliberately (readiness.ts).
 */
import type { ClientSoftwareBuild } from './appliance';
import { SOFTWARE_UPDATE_WAIT_HOURS } from './appliance';

export type RootChangeStepId = 'package' | 'request' | 'install' | 'wait';

/** `done`; `current`: the next thing to do; `waiting`: the 24 h have not passed; `todo`: after the current one. */
export type RootChangeStepState = 'done' | 'current' | 'waiting' | 'todo';

export interface RootChangeStep {
  id: RootChangeStepId;
  state: RootChangeStepState;
  /** When the step was done (package built, request sent, build installed). */
  at?: number;
  /** For `wait`: the earliest moment (24 h) and the advised one (48 h) after the installation. */
  minimumUntil?: number;
  advisedUntil?: number;
}

export interface RootChange {
  rootSha256: string;
  /** The root is built into the installed client software. */
  installed: boolean;
  /** Every step is done: the certificate may be assigned. */
  complete: boolean;
  steps: RootChangeStep[];
}

const HOUR = 3_600_000;

/**
 * The sequence for bringing `rootSha256` into the client software of `build`, at `now`. A root
 * the build had before any installation was recorded (the factory default, or roots built in
 * before tracking) counts as installed long ago: nothing to wait for.
 */
export function rootChange(build: ClientSoftwareBuild, rootSha256: string, now: number): RootChange {
  const installed = build.roots.includes(rootSha256);
  const installedAt = installed ? build.rootsInstalledAt?.[rootSha256] : undefined;
  const packaged = installed || (build.pendingRoots ?? []).includes(rootSha256);
  const packageAt = packaged && !installed ? build.packageBuiltAt : undefined;
  // The request counts when it was made with (after) the package that carries this root. Dates
  // are entered to the minute, so the comparison is by minute.
  const minute = (ms: number) => Math.floor(ms / 60_000);
  const requested =
    installed ||
    (packaged && build.updateRequestedAt !== undefined && (build.packageBuiltAt === undefined || minute(build.updateRequestedAt) >= minute(build.packageBuiltAt)));
  const minimumUntil = installedAt === undefined ? undefined : installedAt + SOFTWARE_UPDATE_WAIT_HOURS.minimum * HOUR;
  const advisedUntil = installedAt === undefined ? undefined : installedAt + SOFTWARE_UPDATE_WAIT_HOURS.advised * HOUR;
  const waited = installed && (minimumUntil === undefined || now >= minimumUntil);

  const done: Record<RootChangeStepId, boolean> = { package: packaged, request: requested, install: installed, wait: waited };
  const order: RootChangeStepId[] = ['package', 'request', 'install', 'wait'];
  const firstOpen = order.find((id) => !done[id]);
  const steps = order.map((id): RootChangeStep => {
    const state: RootChangeStepState = done[id] ? 'done' : id !== firstOpen ? 'todo' : id === 'wait' ? 'waiting' : 'current';
    const step: RootChangeStep = { id, state };
    if (id === 'package' && packageAt !== undefined) step.at = packageAt;
    if (id === 'request' && requested && !installed && build.updateRequestedAt !== undefined) step.at = build.updateRequestedAt;
    if (id === 'install' && installedAt !== undefined) step.at = installedAt;
    if (id === 'wait' && minimumUntil !== undefined && advisedUntil !== undefined) {
      step.minimumUntil = minimumUntil;
      step.advisedUntil = advisedUntil;
    }
    return step;
  });
  return { rootSha256, installed, complete: firstOpen === undefined, steps };
}
