import type { DependencyName, DependencyState, PlatformStatus } from "@omniglass/contracts";
import { DEPENDENCY_SOURCES } from "../../context";
import { checkHealth } from "../../health";
import { capability } from "../../trpc";
import { GetStatusInput, GetStatusOutput, getStatusMeta } from "./get-status.types";

export const getStatus = capability("platform:read")
  .meta(getStatusMeta)
  .input(GetStatusInput)
  .output(GetStatusOutput)
  .query(async ({ ctx }): Promise<PlatformStatus> => {
    const [health, supervisor] = await Promise.all([
      checkHealth(ctx.deps),
      ctx.deps.metrics.supervisor(),
    ]);
    const state = (name: DependencyName, check: typeof health.db): DependencyState => {
      const memory = ctx.deps.monitor.recall(name);
      return {
        name,
        ...check,
        source: DEPENDENCY_SOURCES[name],
        checkedAt: health.checkedAt,
        lastUpAt: memory.lastUpAt?.toISOString() ?? null,
        since: memory.since?.toISOString() ?? null,
      };
    };
    return {
      checkedAt: health.checkedAt,
      version: health.version,
      dependencies: [state("database", health.db), state("nats", health.nats)],
      supervisor,
    };
  });
