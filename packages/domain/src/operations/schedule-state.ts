import type { ProcessState, ScheduleState } from "@omniglass/contracts";
import { FAILING_AFTER_RUNS, formatSpan, overdueGraceMs, stuckAfterMs } from "./thresholds";

export interface ScheduleVerdict {
  state: ScheduleState;
  /** Desired and actual disagree: the operator should look. */
  drift: boolean;
  reason: string;
}

/** What the runner reported of one scheduled piece of work (a function, a clock job). */
export interface RunFactsIn {
  lastRunAt: string | null;
  lastResult: "ok" | "error" | null;
  lastError: string | null;
  lastSuccessAt: string | null;
  consecutiveFailures: number;
  nextRunAt: string | null;
  runningSince: string | null;
}

export interface RunScheduleInput {
  intervalMs: number;
  /** Desired: configured and enabled (false: its node is disabled). */
  enabled: boolean;
  /** Who should run it, with its derived state; null: nobody (no live worker, no node). */
  runner: { name: string; state: ProcessState; beatAt: Date | null } | null;
  /**
   * What the runner reported: the facts, `"absent"` when its report is complete and lacks this
   * one, `"unlisted"` when its report is capped and this one is not among the listed.
   */
  actual: RunFactsIn | "absent" | "unlisted";
}

const ago = (now: Date, at: string) => formatSpan(now.getTime() - Date.parse(at));

/**
 * Desired vs actual for a collection function or a clock job. Judged at the heartbeat's time for
 * "overdue" (a due time a fresh beat reported passed is overdue; one that passed since the beat
 * may well have run), at `now` for "stuck" and "failing".
 */
export function deriveRunSchedule(input: RunScheduleInput, now: Date): ScheduleVerdict {
  const { runner, actual, intervalMs } = input;
  if (!input.enabled)
    return {
      state: "paused",
      drift: true,
      reason: `configured (every ${formatSpan(intervalMs)}) but paused: ${runner ? runner.name : "its runner"} is disabled`,
    };
  if (!runner)
    return { state: "no-runner", drift: true, reason: "configured, but nothing live runs it" };
  if (runner.state === "down")
    return {
      state: "no-runner",
      drift: true,
      reason: `configured, but its runner ${runner.name} is down`,
    };
  if (runner.state === "stale")
    return {
      state: "unknown",
      drift: false,
      reason: `its runner ${runner.name} missed a heartbeat: its last report is ${runner.beatAt ? ago(now, runner.beatAt.toISOString()) : "too"} old`,
    };
  if (actual === "absent")
    return {
      state: "no-runner",
      drift: true,
      reason: `configured, but ${runner.name} reports no run of it (an older worklist, or it could not schedule it)`,
    };
  if (actual === "unlisted")
    return {
      state: "unknown",
      drift: false,
      reason: `not among the functions ${runner.name} listed (its heartbeat carries the worst ones only)`,
    };
  const ref = runner.beatAt ?? now;
  if (actual.runningSince) {
    const forMs = now.getTime() - Date.parse(actual.runningSince);
    if (forMs > stuckAfterMs(intervalMs))
      return {
        state: "stuck",
        drift: true,
        reason: `running for ${formatSpan(forMs)} (every ${formatSpan(intervalMs)})`,
      };
  }
  if (actual.lastResult === "error") {
    const successOld =
      actual.lastSuccessAt === null ||
      now.getTime() - Date.parse(actual.lastSuccessAt) > FAILING_AFTER_RUNS * intervalMs;
    const drift = actual.consecutiveFailures >= FAILING_AFTER_RUNS && successOld;
    const last = actual.lastSuccessAt
      ? `last success ${ago(now, actual.lastSuccessAt)} ago`
      : "never succeeded";
    return {
      state: "failing",
      drift,
      reason: `failed ${actual.consecutiveFailures} run(s) in a row, ${last}${actual.lastError ? `: ${actual.lastError}` : ""}`,
    };
  }
  if (!actual.runningSince) {
    const grace = overdueGraceMs(intervalMs);
    if (actual.nextRunAt && ref.getTime() - Date.parse(actual.nextRunAt) > grace)
      return {
        state: "overdue",
        drift: true,
        reason: `due ${ago(ref, actual.nextRunAt)} before its runner's last report and not run`,
      };
    if (actual.lastRunAt && ref.getTime() - Date.parse(actual.lastRunAt) > intervalMs + grace)
      return {
        state: "overdue",
        drift: true,
        reason: `last ran ${ago(now, actual.lastRunAt)} ago (every ${formatSpan(intervalMs)})`,
      };
  }
  if (actual.runningSince)
    return {
      state: "running",
      drift: false,
      reason: `running since ${ago(now, actual.runningSince)} ago`,
    };
  if (!actual.lastRunAt)
    return {
      state: "unknown",
      drift: false,
      reason: actual.nextRunAt ? "not run yet; its first run is due" : "not run yet",
    };
  return {
    state: "ok",
    drift: false,
    reason: `ran ${ago(now, actual.lastRunAt)} ago and succeeded (every ${formatSpan(intervalMs)})`,
  };
}

export interface WindowScheduleInput {
  enabled: boolean;
  activeNow: boolean;
  nextStart: Date | null;
  nextEnd: Date | null;
  /** A live worker runs the suppression pass (which opens and closes windows). */
  suppressionRunning: boolean;
}

/** A maintenance window: paused (disabled while it still has occurrences), no runner, open, ok. */
export function deriveWindowSchedule(input: WindowScheduleInput, now: Date): ScheduleVerdict {
  const future = input.activeNow || input.nextStart !== null;
  if (!input.enabled)
    return {
      state: "paused",
      drift: future,
      reason: future
        ? `disabled: its occurrences (next ${input.nextStart ? `in ${formatSpan(input.nextStart.getTime() - now.getTime())}` : "now"}) suppress nothing`
        : "disabled, and its series has ended",
    };
  if (future && !input.suppressionRunning)
    return {
      state: "no-runner",
      drift: true,
      reason: "no live worker runs the suppression pass: the window will not open or close",
    };
  if (input.activeNow)
    return {
      state: "open",
      drift: false,
      reason: input.nextEnd
        ? `open, closes in ${formatSpan(input.nextEnd.getTime() - now.getTime())}`
        : "open",
    };
  if (input.nextStart)
    return {
      state: "ok",
      drift: false,
      reason: `opens in ${formatSpan(input.nextStart.getTime() - now.getTime())}`,
    };
  return { state: "ok", drift: false, reason: "its series has ended" };
}
