import {
  HEARTBEAT_FUNCTIONS_MAX,
  type FunctionRun,
  type NodeScheduleSummary,
} from "@omniglass/contracts";
import { overdueGraceMs, stuckAfterMs } from "./thresholds";

/** Worse first: stuck, running too long… then failing, overdue, never run, then the oldest run. */
function badness(run: FunctionRun, now: number): number {
  if (run.runningSince && now - Date.parse(run.runningSince) > stuckAfterMs(run.intervalMs))
    return 0;
  if (run.lastResult === "error") return 1;
  if (isOverdue(run, now)) return 2;
  if (run.lastRunAt === null) return 3;
  return 4;
}

function isOverdue(run: FunctionRun, now: number): boolean {
  return (
    run.runningSince === null &&
    run.nextRunAt !== null &&
    now - Date.parse(run.nextRunAt) > overdueGraceMs(run.intervalMs)
  );
}

/**
 * The bounded schedule a node heartbeat carries: counts over every function, and at most
 * `max` of them listed, the worst first (so a node of 5,000 functions still sends ~30 KB).
 */
export function summarizeNodeSchedule(
  runs: readonly FunctionRun[],
  now: number,
  max = HEARTBEAT_FUNCTIONS_MAX,
): NodeScheduleSummary {
  let ok = 0;
  let failing = 0;
  let neverRun = 0;
  let running = 0;
  let overdue = 0;
  for (const run of runs) {
    if (run.lastResult === "ok") ok++;
    else if (run.lastResult === "error") failing++;
    else neverRun++;
    if (run.runningSince) running++;
    if (isOverdue(run, now)) overdue++;
  }
  const listed =
    runs.length <= max
      ? [...runs]
      : [...runs]
          .map((run) => ({ run, rank: badness(run, now) }))
          .sort(
            (a, b) =>
              a.rank - b.rank ||
              (a.run.lastRunAt ?? "").localeCompare(b.run.lastRunAt ?? "") ||
              a.run.key.localeCompare(b.run.key),
          )
          .slice(0, max)
          .map((x) => x.run);
  return {
    total: runs.length,
    ok,
    failing,
    neverRun,
    running,
    overdue,
    truncated: runs.length > max,
    functions: listed,
  };
}
