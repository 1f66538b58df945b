/**
 * What the admin has answered on a page that assigns addresses (Edit Certificate Configuration,
 * Replace): the same rules the store applies (core/appliance/readiness.ts `accepted`), so the
 * button is enabled exactly when the store will go on.
 */
import { CLIENT_SOFTWARE_GATE, accepted } from '../../core/appliance/readiness';
import type { ClientSoftwareOverride, ReadinessProblem } from '../../store/workspace';

export interface Answers {
  /** "I understand … assign anyway" / "I accept these warnings". */
  accepted: boolean;
  override: ClientSoftwareOverride;
}

/** The override is complete: the appliance's exact name typed and a reason given (the store checks the same). */
export function overrideComplete(override: ClientSoftwareOverride, applianceName: string): boolean {
  return override.applianceName.trim() === applianceName && override.reason.trim().length >= 3;
}

/** Problems of the client-software gate (shown as the guided sequence, passed only by the override). */
export function gateProblems(problems: readonly ReadinessProblem[]): ReadinessProblem[] {
  return problems.filter((p) => CLIENT_SOFTWARE_GATE.has(p.code));
}

/** Whether the problems (recomputed with the downtime answer) let the action go on. */
export function canProceed(problems: readonly ReadinessProblem[], answers: Answers, applianceName: string): boolean {
  const acceptance = {
    warningsAccepted: answers.accepted,
    blockingAccepted: answers.accepted,
    clientSoftwareOverridden: overrideComplete(answers.override, applianceName),
  };
  return problems.every((p) => accepted(p, acceptance));
}

/** What the store's options should carry for these answers (the override only when complete). */
export function assignOptions(answers: Answers, downtimeConfirmed: boolean, applianceName: string) {
  return {
    downtimeConfirmed,
    warningsAccepted: answers.accepted,
    blockingAccepted: answers.accepted,
    ...(overrideComplete(answers.override, applianceName) ? { clientSoftwareOverride: { ...answers.override } } : {}),
  };
}
