import type {
  FunctionRun,
  NodeHeartbeat,
  ProcessState,
  WorkerHeartbeat,
  WorkerJob,
} from "@omniglass/contracts";
import {
  DOWN_AFTER_BEATS,
  formatSpan,
  RECENT_ERROR_BEATS,
  STALE_AFTER_BEATS,
  stuckAfterMs,
} from "./thresholds";

/** A process's derived state, why, and since when (when known). */
export interface ProcessVerdict {
  state: ProcessState;
  reason: string;
  since: Date | null;
}

/** Silence first: a process not heard from recently is down or stale whatever it last said. */
function silence(beatAt: Date, intervalMs: number, now: Date): ProcessVerdict | null {
  const age = now.getTime() - beatAt.getTime();
  const every = `expected every ${formatSpan(intervalMs)}`;
  if (age > DOWN_AFTER_BEATS * intervalMs)
    return {
      state: "down",
      reason: `no heartbeat for ${formatSpan(age)} (${every}): the process is missing or cut off`,
      since: new Date(beatAt.getTime() + DOWN_AFTER_BEATS * intervalMs),
    };
  if (age > STALE_AFTER_BEATS * intervalMs)
    return {
      state: "stale",
      reason: `last heartbeat ${formatSpan(age)} ago (${every}): a beat is missing, what it said may be old`,
      since: new Date(beatAt.getTime() + STALE_AFTER_BEATS * intervalMs),
    };
  return null;
}

/** The run in progress longest past its stuck bound, if any. */
function stuckRun<T extends { runningSince: string | null }>(
  runs: readonly T[],
  intervalOf: (run: T) => number,
  now: Date,
): { run: T; since: Date; forMs: number } | null {
  let worst: { run: T; since: Date; forMs: number } | null = null;
  for (const run of runs) {
    if (!run.runningSince) continue;
    const since = new Date(run.runningSince);
    const forMs = now.getTime() - since.getTime();
    if (forMs <= stuckAfterMs(intervalOf(run))) continue;
    if (!worst || forMs > worst.forMs) worst = { run, since, forMs };
  }
  return worst;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * A collector's state from its stored heartbeat: down when missing (or never seen), stale when a
 * beat is missed, stuck when one function has run far past its interval, degraded when it beats
 * but reports errors, failing functions or a disk buffer (NATS was lost), else busy or idle (up
 * when the heartbeat is from a version that says nothing of its functions).
 */
export function deriveCollectorState(
  input: { heartbeat: NodeHeartbeat | null; disabled: boolean },
  now: Date,
): ProcessVerdict {
  const hb = input.heartbeat;
  const disabled = input.disabled ? " (the node is disabled)" : "";
  if (!hb) return { state: "down", reason: `never sent a heartbeat${disabled}`, since: null };
  const beatAt = new Date(hb.beatAt);
  const silent = silence(beatAt, hb.intervalMs, now);
  if (silent) return { ...silent, reason: silent.reason + disabled };

  const functions: FunctionRun[] = hb.schedule?.functions ?? [];
  const stuck = stuckRun(functions, (f) => f.intervalMs, now);
  if (stuck)
    return {
      state: "stuck",
      reason: `${stuck.run.fn} on ${stuck.run.component} has been running for ${formatSpan(stuck.forMs)} (every ${formatSpan(stuck.run.intervalMs)})`,
      since: stuck.since,
    };

  const problems: string[] = [];
  if (input.disabled) problems.push("the node is disabled but still beating");
  const failing = hb.schedule?.failing ?? 0;
  if (failing > 0) {
    const first = functions.find((f) => f.lastResult === "error");
    problems.push(
      `${failing} of ${hb.schedule!.total} functions failing${first?.lastError ? `: ${first.lastError}` : ""}`,
    );
  }
  if (hb.buffered > 0)
    problems.push(`${plural(hb.buffered, "sample")} buffered on disk (NATS was unreachable)`);
  const errorAt = hb.lastError ? new Date(hb.lastError.at) : null;
  if (
    hb.lastError &&
    errorAt &&
    beatAt.getTime() - errorAt.getTime() <= RECENT_ERROR_BEATS * hb.intervalMs &&
    failing === 0
  )
    problems.push(`recent error: ${hb.lastError.message}`);
  if (problems.length > 0)
    return {
      state: "degraded",
      reason: problems.join("; "),
      since: failing === 0 && errorAt ? errorAt : null,
    };

  if (hb.running > 0) {
    const since = functions
      .map((f) => f.runningSince)
      .filter((s): s is string => s !== null)
      .sort()[0];
    return {
      state: "busy",
      reason: `${plural(hb.running, "request")} in flight${hb.currentWork ? `: ${hb.currentWork}` : ""}`,
      since: since ? new Date(since) : null,
    };
  }
  if (!hb.schedule)
    return {
      state: "up",
      reason: "heartbeat on time; this node's version reports no detail of its functions",
      since: null,
    };
  return {
    state: "idle",
    reason:
      hb.schedule.total === 0
        ? "heartbeat on time; no functions to run"
        : `heartbeat on time; ${plural(hb.schedule.total, "function")}, none running or failing`,
    since: null,
  };
}

/** The worker row as stored (its last heartbeat's facts). */
export interface WorkerFacts {
  lifecycle: WorkerHeartbeat["lifecycle"];
  lastSeenAt: Date;
  intervalMs: number;
  lastError: string | null;
  jobs: WorkerJob[] | null;
  busy: string[] | null;
  consumers: { name: string; ackPending: number }[];
}

/**
 * A worker's state: down when it said it stopped or went silent, stale after a missed beat,
 * stuck when a clock job has run far past its period, degraded while stopping, reporting an
 * error or a failing job, else busy (a job or lane working now) or idle (up: an older version).
 */
export function deriveWorkerProcessState(worker: WorkerFacts, now: Date): ProcessVerdict {
  if (worker.lifecycle === "stopped")
    return {
      state: "down",
      reason: "stopped (it said so in its last heartbeat)",
      since: worker.lastSeenAt,
    };
  const silent = silence(worker.lastSeenAt, worker.intervalMs, now);
  if (silent) return silent;
  const jobs = worker.jobs ?? [];
  const stuck = stuckRun(jobs, (j) => j.everyMs, now);
  if (stuck)
    return {
      state: "stuck",
      reason: `the ${stuck.run.name} pass has been running for ${formatSpan(stuck.forMs)} (every ${formatSpan(stuck.run.everyMs)})`,
      since: stuck.since,
    };
  const problems: string[] = [];
  if (worker.lifecycle === "stopping") problems.push("stopping");
  const failing = jobs.filter((j) => j.lastResult === "error");
  for (const job of failing) problems.push(`${job.name} pass failing: ${job.lastError ?? "error"}`);
  if (worker.lastError && failing.length === 0) problems.push(`recent error: ${worker.lastError}`);
  if (problems.length > 0) return { state: "degraded", reason: problems.join("; "), since: null };
  const busy = [
    ...new Set([
      ...(worker.busy ?? []),
      ...jobs.filter((j) => j.runningSince).map((j) => j.name),
      ...worker.consumers.filter((c) => c.ackPending > 0).map((c) => c.name),
    ]),
  ];
  if (busy.length > 0) return { state: "busy", reason: `working: ${busy.join(", ")}`, since: null };
  if (worker.jobs === null)
    return {
      state: "up",
      reason: "heartbeat on time; this worker's version reports no detail of its jobs",
      since: null,
    };
  return { state: "idle", reason: "heartbeat on time; nothing running", since: null };
}
