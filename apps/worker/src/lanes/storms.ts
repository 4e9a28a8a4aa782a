import {
  STORM_GROUP_WAIT_MS,
  STORM_UPDATE_EVERY_MS,
  unsafeStormPass,
  type Database,
} from "@omniglass/gateway";
import type { JobBook } from "./jobs";
import { startPeriodic, type PeriodicLane } from "./periodic";
import type { LaneErrorHandler } from "./types";

/**
 * The storm lane: every second, the storm pass (gateway `unsafeStormPass`) queues one grouped
 * `alarm.storm` summary per (root alarm, system or location of its suppressed dependents,
 * endpoint that received the root) once the group has been held for the grouping wait, and at
 * most one update summary per `updateEveryMs` when the group grew. The delivery lane sends them
 * like every delivery. Any number of workers run it: the pass takes an advisory lock, and
 * storm_notice's unique key makes each summary once.
 */
export function startStormLane({
  db,
  onError,
  jobs,
  everyMs = 1_000,
  groupWaitMs = STORM_GROUP_WAIT_MS,
  updateEveryMs = STORM_UPDATE_EVERY_MS,
}: {
  db: Database;
  onError: LaneErrorHandler;
  jobs?: JobBook;
  everyMs?: number;
  groupWaitMs?: number;
  updateEveryMs?: number;
}): PeriodicLane {
  return startPeriodic({
    lane: "storms",
    everyMs,
    onError,
    jobs,
    pass: () => unsafeStormPass(db, { groupWaitMs, updateEveryMs }),
  });
}
