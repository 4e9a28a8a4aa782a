import {
  publishAlarmChanges,
  publishHealthChanges,
  publishLiveValues,
  type BusConnection,
} from "@omniglass/bus";
import {
  unsafeDropExpiredPartitions,
  unsafeEnsureCurrentPartitions,
  unsafeElapseDueEpisodes,
  unsafeStalePass,
  unsafeSuppressionPass,
  unsafeSyncNodeAlarms,
  DUE_BATCH,
  STALE_BATCH,
  SUPPRESSION_PASS_MS,
  type Database,
} from "@omniglass/gateway";
import type { WorkerMetrics } from "../metrics";
import { tracked, type JobBook } from "./jobs";
import type { LaneErrorHandler } from "./types";

export interface Clock {
  stop(): Promise<void>;
}

/** Partitions ahead of time, then history older than the retention dropped. */
export async function maintainPartitions(
  db: Database,
  retentionDays: number,
  jobs?: JobBook,
  everyMs = 3_600_000,
): Promise<string[]> {
  await tracked(jobs, "partitions", everyMs, () => unsafeEnsureCurrentPartitions(db));
  return tracked(jobs, "retention", everyMs, () =>
    unsafeDropExpiredPartitions(db, { retentionDays }),
  );
}

/** Batches one tick drains at most per pass (a backlog after a restart: batch × this per tick). */
const ROUNDS_PER_TICK = 8;

/** The suppression pass's memory in one clock: when it last ran here, and from when it looks. */
export interface SuppressionClock {
  /** The end of the last pass this clock ran (null: none yet — the first looks at everything). */
  since: Date | null;
  lastRunMs: number;
  everyMs: number;
}

export const suppressionClock = (everyMs = SUPPRESSION_PASS_MS): SuppressionClock => ({
  since: null,
  lastRunMs: -Infinity,
  everyMs,
});

/**
 * One tick of the clock: what time causes, each pass in its own transaction that also judges the
 * health it moved, and the live views told after each commit.
 *
 * 1. Freshness: series past their stale time turn stale and the no-data rules reading them are
 *    judged (once per transition).
 * 2. Sustain: pending episodes whose period ended with no later sample open their alarms (rows
 *    taken `for update skip locked`, so two workers split them; drained in bounded batches).
 * 3. Collectors: a node offline gets its one collector-down alarm, a node back resolves it.
 * 4. Suppression (every `suppression.everyMs`, 5 s by default): window and silence boundaries
 *    as events — alarms whose window ended or silence expired are released (and notify), alarms
 *    a window or silence that began now covers are suppressed (one worker at a time: an
 *    advisory lock).
 *
 * A pass that fails is rolled back whole and the next tick redoes it; nothing is acknowledged
 * anywhere, so a worker killed mid-tick loses nothing (the next tick, here or on another worker,
 * finds the same rows due).
 */
export async function runClockTick(
  bus: BusConnection,
  db: Database,
  {
    metrics,
    onError,
    now = () => new Date(),
    suppression,
    jobs,
    tickMs = 1_000,
  }: {
    metrics?: WorkerMetrics;
    onError: LaneErrorHandler;
    now?: () => Date;
    /** The suppression pass's state (none: the pass does not run). */
    suppression?: SuppressionClock;
    /** Where each pass's run is noted for the heartbeat (none: not noted). */
    jobs?: JobBook;
    /** The tick's period, for the jobs' next due time. */
    tickMs?: number;
  },
): Promise<void> {
  try {
    await tracked(jobs, "stale", tickMs, async () => {
      for (let round = 0; round < ROUNDS_PER_TICK; round++) {
        const stale = await unsafeStalePass(db, { now: now() });
        metrics?.observeStalePass(stale.changed.length);
        publishLiveValues(bus, stale.changed);
        publishAlarmChanges(bus, stale.alarms);
        publishHealthChanges(bus, stale.health);
        if (stale.turned < STALE_BATCH) break;
      }
    });
  } catch (error) {
    onError("clock", error, "stale");
  }
  try {
    await tracked(jobs, "sustain", tickMs, async () => {
      for (let round = 0; round < ROUNDS_PER_TICK; round++) {
        const due = await unsafeElapseDueEpisodes(db, { now: now() });
        publishAlarmChanges(bus, due.alarms);
        publishHealthChanges(bus, due.health);
        if (due.taken < DUE_BATCH) break;
      }
    });
  } catch (error) {
    onError("clock", error, "sustain");
  }
  try {
    await tracked(jobs, "collectors", tickMs, async () => {
      const nodes = await unsafeSyncNodeAlarms(db, { now: now() });
      publishAlarmChanges(bus, nodes.alarms);
      publishHealthChanges(bus, nodes.health);
    });
  } catch (error) {
    onError("clock", error, "collectors");
  }
  if (suppression && now().getTime() - suppression.lastRunMs >= suppression.everyMs) {
    try {
      await tracked(jobs, "suppression", suppression.everyMs, async () => {
        const at = now();
        const pass = await unsafeSuppressionPass(db, { now: at, since: suppression.since });
        suppression.lastRunMs = at.getTime();
        // Held by another worker: this clock's window stays open from its own last pass.
        if (pass.ran) suppression.since = at;
        publishAlarmChanges(bus, pass.alarms);
      });
    } catch (error) {
      onError("clock", error, "suppression");
    }
  }
}

/**
 * The clock lane: every tick (a second), `runClockTick`; every hour, partitions are created ahead
 * and expired ones dropped. Several workers may run it at once: the freshness pass turns each
 * series stale once, the sustain pass skips rows another worker holds, the collector and
 * suppression passes run on one worker at a time (advisory locks), and one open alarm per
 * (rule, owner, instance) is a unique index behind them all.
 */
export function startClock({
  bus,
  db,
  retentionDays,
  onError,
  log,
  tickMs = 1_000,
  maintenanceMs = 3_600_000,
  suppressionMs = SUPPRESSION_PASS_MS,
  metrics,
  now,
  jobs,
}: {
  bus: BusConnection;
  db: Database;
  retentionDays: number;
  onError: LaneErrorHandler;
  log: (line: string) => void;
  tickMs?: number;
  maintenanceMs?: number;
  /** How often the suppression pass runs (default 5 s). */
  suppressionMs?: number;
  metrics?: WorkerMetrics;
  /** The clock's time (tests move it); the wall clock by default. */
  now?: () => Date;
  /** Where the passes' runs are noted for the heartbeat. */
  jobs?: JobBook;
}): Clock {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  const suppression = suppressionClock(suppressionMs);
  const tick = setInterval(() => {
    if (busy) return;
    busy = true;
    running = runClockTick(bus, db, {
      metrics,
      onError,
      now,
      suppression,
      jobs,
      tickMs,
    }).finally(() => {
      busy = false;
    });
  }, tickMs);
  const maintenance = setInterval(() => {
    void maintainPartitions(db, retentionDays, jobs, maintenanceMs)
      .then((dropped) => {
        if (dropped.length > 0) log(`omniglass-worker: dropped history ${dropped.join(", ")}`);
      })
      .catch((error) => onError("clock", error, "partitions"));
  }, maintenanceMs);
  maintenance.unref();
  return {
    stop: async () => {
      clearInterval(tick);
      clearInterval(maintenance);
      await running;
    },
  };
}
