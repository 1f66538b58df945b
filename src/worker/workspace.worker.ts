/// <reference lib="webworker" />
/**
 * The workspace worker: the background work over every stored record (src/store/
 * background-work.ts) — keeping the chain statuses, building the safety copy — off the page's
 * thread. It opens the database itself (the same schema and migrations as the page) and keeps
 * what it parsed for the life of the page: each certificate is parsed once, each appliance's
 * pool updated as certificates arrive and leave. The rules its chain statuses carry are this
 * script's own URL, which changes with any change of the code that computes them (the build
 * names each file by a hash of its content and of what it imports).
 */
import { answerWorkspaceRequest } from './workspace-jobs';
import type { WorkspaceRequest } from './workspace-protocol';

declare const self: DedicatedWorkerGlobalScope;

const rules = new URL(import.meta.url).pathname;

self.onmessage = (event: MessageEvent<WorkspaceRequest>) => answerWorkspaceRequest(event.data, rules, (reply) => self.postMessage(reply));
