import {
  type ScheduleState,
  type CollectorView,
  type ScheduleRow,
  type WorkerView,
} from "@omniglass/contracts";
import { deriveWorkerProcessState, type ProcessVerdict } from "@omniglass/domain";
import { type NodeFacts, type WorkerRowFacts } from "./operations-load";

/*
 * How the operations read shows what it derived: a collector's and a worker's view, the empty
 * counts, and the schedule rows' order (drift first, overdue first).
 */

export const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function emptyCounts<T extends string>(values: readonly T[]): Record<T, number> {
  return Object.fromEntries(values.map((v) => [v, 0])) as Record<T, number>;
}

export function collectorView(n: NodeFacts, verdict: ProcessVerdict, now: Date): CollectorView {
  const hb = n.heartbeat;
  return {
    kind: "node",
    id: n.id,
    name: n.name,
    location: { id: n.locationId, path: n.locationPath },
    disabled: n.disabled,
    state: verdict.state,
    reason: verdict.reason,
    since: iso(verdict.since),
    lastActivityAt: hb?.beatAt ?? null,
    ageMs: hb ? now.getTime() - Date.parse(hb.beatAt) : null,
    currentWork: hb
      ? (hb.currentWork ?? (hb.running > 0 ? `${hb.running} request(s) in flight` : null))
      : null,
    dependency: hb?.natsServer ? `NATS ${hb.natsServer}` : null,
    lastError: hb?.lastError ?? null,
    version: hb?.version ?? null,
    hostname: hb?.hostname ?? null,
    functions: hb ? (hb.schedule?.total ?? hb.functions) : null,
    failing: hb?.schedule ? hb.schedule.failing : null,
    buffered: hb ? hb.buffered : null,
  };
}

export function workerView(w: WorkerRowFacts, verdict: ProcessVerdict, now: Date): WorkerView {
  const running = (w.jobs ?? []).filter((j) => j.runningSince).map((j) => j.name);
  const busy = [...new Set([...(w.busy ?? []), ...running])];
  return {
    kind: "worker",
    id: w.id,
    name: `${w.hostname}:${w.pid}`,
    state: verdict.state,
    reason: verdict.reason,
    since: iso(verdict.since),
    lastActivityAt: w.lastSeenAt.toISOString(),
    ageMs: now.getTime() - w.lastSeenAt.getTime(),
    currentWork: busy.length > 0 ? busy.join(", ") : null,
    dependency: ["PostgreSQL", w.natsServer ? `NATS ${w.natsServer}` : null]
      .filter(Boolean)
      .join(", "),
    lastError: w.lastError,
    version: w.version,
    lifecycle: w.lifecycle,
    jobs: w.jobs ? w.jobs.length : null,
  };
}

export const workerVerdict = (w: WorkerRowFacts, now: Date) =>
  deriveWorkerProcessState(
    {
      lifecycle: w.lifecycle,
      lastSeenAt: w.lastSeenAt,
      intervalMs: w.intervalMs,
      lastError: w.lastError,
      jobs: w.jobs,
      busy: w.busy,
      consumers: w.consumers,
    },
    now,
  );

/** Overdue first, then the rest of the drift, then what merely needs a look, then the healthy. */
export const ORDER: Record<ScheduleState, number> = {
  overdue: 0,
  stuck: 1,
  failing: 2,
  "no-runner": 3,
  paused: 4,
  unknown: 5,
  running: 6,
  open: 7,
  ok: 8,
};

export function sortRows(rows: ScheduleRow[]): ScheduleRow[] {
  return rows.sort(
    (a, b) =>
      Number(b.drift) - Number(a.drift) ||
      ORDER[a.state] - ORDER[b.state] ||
      a.kind.localeCompare(b.kind) ||
      a.name.localeCompare(b.name),
  );
}
