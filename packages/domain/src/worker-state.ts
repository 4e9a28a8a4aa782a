import type { WorkerState } from "@omniglass/contracts";

/** A worker whose last beat is older than this many intervals is stale. */
export const STALE_AFTER_INTERVALS = 3;

/**
 * What an operator should believe about a worker: what it last said of itself, unless it has
 * been silent too long. A worker that said it stopped stays stopped however old the beat.
 */
export function deriveWorkerState(
  worker: { lifecycle: "running" | "stopping" | "stopped"; lastSeenAt: Date; intervalMs: number },
  now: Date,
): WorkerState {
  if (worker.lifecycle === "stopped") return "stopped";
  const silentMs = now.getTime() - worker.lastSeenAt.getTime();
  return silentMs > worker.intervalMs * STALE_AFTER_INTERVALS ? "stale" : "running";
}
