import type { DependencyCheck, DependencyName } from "@omniglass/contracts";
import { EMPTY_MEMORY, rememberProbe, type DependencyMemory } from "@omniglass/domain";

/**
 * This process's memory of each dependency ("up since", "last seen up"). It lives in memory on
 * purpose: it records what this web process observed, and says so in the status page's source.
 */
export interface DependencyMonitor {
  observe(name: DependencyName, check: DependencyCheck, at: Date): DependencyMemory;
  recall(name: DependencyName): DependencyMemory;
}

export function createDependencyMonitor(): DependencyMonitor {
  const memory = new Map<DependencyName, DependencyMemory>();
  return {
    observe(name, check, at) {
      const next = rememberProbe(memory.get(name) ?? EMPTY_MEMORY, check, at);
      memory.set(name, next);
      return next;
    },
    recall: (name) => memory.get(name) ?? EMPTY_MEMORY,
  };
}
