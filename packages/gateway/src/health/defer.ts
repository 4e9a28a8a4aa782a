import { AsyncLocalStorage } from "node:async_hooks";

const deferred = new AsyncLocalStorage<true>();

/**
 * Runs `fn` with every recomputeHealth inside it skipped: for a seed that writes a whole estate in
 * one transaction through the writers (hundreds of recomputes of the same ancestors) and is
 * followed by `unsafeRecomputeAllHealth`, which judges everything once. Never around a request.
 */
export function unsafeDeferHealth<T>(fn: () => Promise<T>): Promise<T> {
  return deferred.run(true, fn);
}

/** Whether the caller runs inside `unsafeDeferHealth`. */
export const isHealthDeferred = () => deferred.getStore() === true;
