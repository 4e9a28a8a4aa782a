import type {
  BriefSource,
  BriefStatus,
  BriefTile,
  DependencyCheck,
  DependencyName,
} from "@omniglass/contracts";
import { readBriefStatus, type BriefProcessSource } from "@omniglass/gateway";
import { DEPENDENCY_SOURCES } from "../../context";
import { checkHealth } from "../../health";
import { capability } from "../../trpc";
import {
  BRIEF_CAPABILITY,
  GetBriefStatusInput,
  GetBriefStatusOutput,
  getBriefStatusMeta,
} from "./get-brief-status.types";

const PROCESS_SOURCES = {
  workers: "worker heartbeats over JetStream, kept in the worker registry",
  collectors: "node heartbeats over NATS (the presence lane), kept in node.heartbeat",
} as const;

/**
 * The brief status: the dependency probe the platform page uses (`checkHealth`, remembered by
 * `ctx.deps.monitor`) beside the tiles' reads, run together. A tile that depends on a source
 * that is not up carries `stale` with since when; the workers and collectors read as sources
 * from the same rows their tiles count (unknown without the capability to read them).
 */
export const getBriefStatus = capability(BRIEF_CAPABILITY)
  .meta(getBriefStatusMeta)
  .input(GetBriefStatusInput)
  .output(GetBriefStatusOutput)
  .query(async ({ ctx, input }): Promise<BriefStatus> => {
    const [health, read] = await Promise.all([
      checkHealth(ctx.deps),
      readBriefStatus({ ...ctx.gw, items: input.items }),
    ]);
    const checkedAt = health.checkedAt;
    const dependency = (name: DependencyName, check: DependencyCheck): BriefSource => ({
      name,
      state: check.status,
      since: ctx.deps.monitor.recall(name).since?.toISOString() ?? null,
      checkedAt,
      source: DEPENDENCY_SOURCES[name],
      detail: check.error,
    });
    const process = (
      name: keyof typeof PROCESS_SOURCES,
      known: BriefProcessSource | null,
      tile: BriefTile | undefined,
    ): BriefSource => ({
      name,
      state: known?.state ?? "unknown",
      since: null,
      checkedAt: tile?.asOf ?? checkedAt,
      source: PROCESS_SOURCES[name],
      detail: known?.detail ?? (tile ? "the read failed" : "not readable with your grants"),
    });
    const byKey = new Map(read.tiles.map((t) => [t.key, t]));
    const sources = [
      dependency("database", health.db),
      dependency("nats", health.nats),
      process("workers", read.workers, byKey.get("workers")),
      process("collectors", read.collectors, byKey.get("collectors")),
    ];
    return {
      checkedAt,
      version: health.version,
      scope: read.scope,
      sources,
      tiles: read.tiles.map((tile) => markStale(tile, sources)),
    };
  });

/** A tile whose source is not up says so, with since when (the earliest of its sources). */
function markStale(tile: BriefTile, sources: BriefSource[]): BriefTile {
  const down = sources.filter(
    (s) => (tile.dependsOn as string[]).includes(s.name) && s.state !== "up",
  );
  if (down.length === 0) return tile;
  const since =
    down
      .map((s) => s.since)
      .filter((s): s is string => s !== null)
      .sort()[0] ?? null;
  const words = down.map((s) => (s.name === "nats" ? "the live bus (NATS)" : `the ${s.name}`));
  return {
    ...tile,
    stale: {
      since,
      reason: `${words.join(" and ")} ${down.length > 1 ? "are" : "is"} down: this may no longer be true`,
    },
  };
}
