import type { DependencyCheck, DependencyStatus } from "@omniglass/contracts";

/** What one process remembers of a dependency across probes: "since when" and "last seen up". */
export interface DependencyMemory {
  status: DependencyStatus | null;
  since: Date | null;
  lastUpAt: Date | null;
}

export const EMPTY_MEMORY: DependencyMemory = { status: null, since: null, lastUpAt: null };

/** Folds one probe result into the memory. Pure: the caller owns the clock and the storage. */
export function rememberProbe(
  memory: DependencyMemory,
  check: DependencyCheck,
  at: Date,
): DependencyMemory {
  const changed = memory.status !== check.status;
  return {
    status: check.status,
    since: changed ? at : memory.since,
    lastUpAt: check.status === "up" ? at : memory.lastUpAt,
  };
}
