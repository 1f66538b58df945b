/**
 * Answers of reads started by an effect (a preview, a path, a check) arrive in any order; only
 * the latest call's answer may land, or a slow old answer would overwrite a newer one.
 *
 *   const load = latestOnly();
 *   $effect(() => load(workspace.certificationPath(id), (value) => (links = value), () => (links = [])));
 */
export function latestOnly(): <T>(pending: Promise<T>, apply: (value: T) => void, fail?: (error: unknown) => void) => void {
  let latest = 0;
  return (pending, apply, fail) => {
    const call = ++latest;
    pending.then(
      (value) => {
        if (call === latest) apply(value);
      },
      (error: unknown) => {
        if (call === latest) fail?.(error);
      },
    );
  };
}
