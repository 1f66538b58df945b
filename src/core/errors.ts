/**
 * The one error type that crosses the core's boundary. `code` is stable (tests and the UI
 * switch on it); `message` is written for the admin: what was wrong and what to do next.
 * Library errors are translated into this at the boundary, never shown raw.
 */
export class CertdeskError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CertdeskError';
    this.code = code;
  }
}

/** A problem found by a check that is allowed to fail (import, validation, readiness). */
export interface Problem {
  code: string;
  message: string;
}

/** Cancellation is only ever an AbortError; catch blocks let it pass. */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason instanceof DOMException && signal.reason.name === 'AbortError'
      ? signal.reason
      : new DOMException('The operation was cancelled.', 'AbortError');
  }
}
