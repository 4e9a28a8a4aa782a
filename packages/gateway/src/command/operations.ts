import {
  ProcessState,
  SCHEDULE_ROWS_MAX,
  ScheduleState,
  WORKER_JOBS,
  type CollectorsReport,
  type ScheduleRow,
  type SchedulesReport,
} from "@omniglass/contracts";
import {
  deriveCollectorState,
  deriveRunSchedule,
  deriveWindowSchedule,
  hasCapability,
  occurrences,
  parseDuration,
  type Actor,
} from "@omniglass/domain";
import type { Database } from "../db";
import { scheduleOf } from "../suppress/read-window";
import { loadDesiredFunctions, loadNodes, loadWindows, loadWorkers } from "./operations-load";
import {
  collectorView,
  emptyCounts,
  iso,
  sortRows,
  workerVerdict,
  workerView,
} from "./operations-views";

/*
 * The operations read (issue #16 items 2 and 3; DESIGN.md §9): collectors and workers with a
 * derived state, and schedules — collection functions, clock jobs, maintenance windows — desired
 * vs actual. Reads only; a constant number of statements (operations-load.ts). The brief status
 * calls `readOperations` for its "collectors down or stale", "workers down" and "overdue
 * schedules" tiles: same read, no private cache.
 */

export const COLLECTORS_SOURCE =
  "node and worker heartbeats (og.v1.presence.*), stored by the worker's presence lane";
export const SCHEDULES_SOURCE =
  "desired: the nodes' worklists, the worker's clock jobs, maintenance windows; actual: the nodes' and workers' last heartbeats";

export interface Operations {
  collectors: CollectorsReport;
  schedules: SchedulesReport;
}

/**
 * Collectors, workers and schedules in the actor's scope, as of `now`. `detail: "summary"` skips
 * the desired side of the collection functions (the worklists: the one costly statement, ~0.7 s
 * at 100,000 desired functions): function rows then come from the heartbeats alone (each node's
 * worst 100, so failing, overdue and stuck ones are there), and "configured but no runner" for
 * a function is not judged. The collectors view and the brief status need no more than that.
 */
export async function readOperations({
  db,
  actor,
  now = new Date(),
  detail = "full",
}: {
  db: Database;
  actor: Actor;
  now?: Date;
  detail?: "full" | "summary";
}): Promise<Operations> {
  const [nodes, desired, allWorkers, windows] = await Promise.all([
    loadNodes(db, actor),
    detail === "full"
      ? loadDesiredFunctions(db, actor)
      : Promise.resolve({ rows: [], perNode: new Map<string, number>() }),
    // Workers are platform-level: read always (a window needs to know whether any worker runs
    // the suppression pass), shown only with worker:read.
    loadWorkers(db, actor, { always: true }),
    loadWindows(db, actor),
  ]);
  const workersVisible = hasCapability(actor, "worker:read");
  const asOf = now.toISOString();

  // ---- collectors and workers ----
  const nodeVerdicts = new Map(
    nodes.map((n) => [
      n.id,
      deriveCollectorState({ heartbeat: n.heartbeat, disabled: n.disabled }, now),
    ]),
  );
  const collectors = nodes.map((n) => collectorView(n, nodeVerdicts.get(n.id)!, now));
  const workerVerdicts = new Map(allWorkers.map((w) => [w.id, workerVerdict(w, now)]));
  const workers = workersVisible
    ? allWorkers.map((w) => workerView(w, workerVerdicts.get(w.id)!, now))
    : [];
  const counts = emptyCounts(ProcessState.options);
  for (const c of [...collectors, ...workers]) counts[c.state] += 1;
  const beats = [
    ...nodes.flatMap((n) => (n.heartbeat ? [Date.parse(n.heartbeat.beatAt)] : [])),
    ...(workersVisible ? allWorkers.map((w) => w.lastSeenAt.getTime()) : []),
  ];

  // ---- schedules ----
  const rows: ScheduleRow[] = [];
  const byNode = new Map(nodes.map((n) => [n.id, n]));
  for (const d of desired.rows) {
    const n = byNode.get(d.nodeId);
    if (!n) continue;
    const hb = n.heartbeat;
    const key = `${d.componentId}/${d.interfaceName}/${d.fn}`;
    const reported = hb?.schedule?.functions.find((f) => f.key === key);
    let intervalMs: number | null;
    try {
      intervalMs = parseDuration(d.interval);
    } catch {
      intervalMs = null;
    }
    const verdict = nodeVerdicts.get(n.id)!;
    const schedule = deriveRunSchedule(
      {
        // Judged at the rhythm the node runs it (the worklist's), else the configured one.
        intervalMs: reported?.intervalMs ?? intervalMs ?? 60_000,
        enabled: !n.disabled,
        runner: { name: n.name, state: verdict.state, beatAt: hb ? new Date(hb.beatAt) : null },
        actual: reported ?? (hb?.schedule && !hb.schedule.truncated ? "absent" : "unlisted"),
      },
      now,
    );
    rows.push({
      kind: "function",
      key,
      name: `${d.componentPath} › ${d.interfaceName}/${d.fn}`,
      runner: { kind: "node", id: n.id, name: n.name },
      link: `/nodes/${n.id}`,
      desired: { intervalMs, enabled: !n.disabled },
      ...schedule,
      lastRunAt: reported?.lastRunAt ?? null,
      lastResult: reported?.lastResult ?? null,
      lastError: reported?.lastError ?? null,
      lastSuccessAt: reported?.lastSuccessAt ?? null,
      nextRunAt: reported?.nextRunAt ?? null,
      nextEndAt: null,
      runningSince: reported?.runningSince ?? null,
      sourceAt: hb?.beatAt ?? null,
    });
  }

  // Summary: the functions the heartbeats list, judged on what they say.
  if (detail === "summary")
    for (const n of nodes) {
      const hb = n.heartbeat;
      if (!hb?.schedule) continue;
      const verdict = nodeVerdicts.get(n.id)!;
      for (const f of hb.schedule.functions) {
        const schedule = deriveRunSchedule(
          {
            intervalMs: f.intervalMs,
            enabled: !n.disabled,
            runner: { name: n.name, state: verdict.state, beatAt: new Date(hb.beatAt) },
            actual: f,
          },
          now,
        );
        const [, iface = "", fn = f.fn] = f.key.split("/");
        rows.push({
          kind: "function",
          key: f.key,
          name: `${f.component} › ${iface}/${fn}`,
          runner: { kind: "node", id: n.id, name: n.name },
          link: `/nodes/${n.id}`,
          desired: { intervalMs: f.intervalMs, enabled: !n.disabled },
          ...schedule,
          lastRunAt: f.lastRunAt,
          lastResult: f.lastResult,
          lastError: f.lastError,
          lastSuccessAt: f.lastSuccessAt,
          nextRunAt: f.nextRunAt,
          nextEndAt: null,
          runningSince: f.runningSince,
          sourceAt: hb.beatAt,
        });
      }
    }

  // Clock jobs: each expected one, and any a worker reports beyond them.
  const liveWorkers = allWorkers.filter((w) => workerVerdicts.get(w.id)!.state !== "down");
  const suppressionRunning = liveWorkers.some((w) =>
    (w.jobs ?? []).some((j) => j.name === "suppression"),
  );
  if (workersVisible) {
    const names = new Map<string, number>(WORKER_JOBS.map((j) => [j.name, j.everyMs]));
    for (const w of allWorkers)
      for (const j of w.jobs ?? []) if (!names.has(j.name)) names.set(j.name, j.everyMs);
    // Workers of a version that reports no jobs cannot be judged for them: unknown, not absent.
    const silentLive = liveWorkers.filter((w) => w.jobs === null);
    for (const [name, defaultEveryMs] of names) {
      const runs = allWorkers.flatMap((w) => {
        const job = (w.jobs ?? []).find((j) => j.name === name);
        return job ? [{ w, job, verdict: workerVerdicts.get(w.id)! }] : [];
      });
      const live = runs.filter((r) => r.verdict.state !== "down");
      const pick = (live.length > 0 ? live : runs).sort(
        (a, b) => (b.job.lastRunAt ?? "").localeCompare(a.job.lastRunAt ?? "") || 0,
      )[0];
      const everyMs = pick?.job.everyMs ?? defaultEveryMs;
      const schedule = pick
        ? deriveRunSchedule(
            {
              intervalMs: everyMs,
              enabled: true,
              runner: {
                name: pick.w.hostname,
                state: pick.verdict.state,
                beatAt: pick.w.lastSeenAt,
              },
              actual: pick.job,
            },
            now,
          )
        : silentLive.length > 0
          ? deriveRunSchedule(
              {
                intervalMs: everyMs,
                enabled: true,
                runner: {
                  name: silentLive[0]!.hostname,
                  state: workerVerdicts.get(silentLive[0]!.id)!.state,
                  beatAt: silentLive[0]!.lastSeenAt,
                },
                actual: "unlisted",
              },
              now,
            )
          : deriveRunSchedule(
              { intervalMs: everyMs, enabled: true, runner: null, actual: "absent" },
              now,
            );
      const others = live.length > 1 ? ` (${live.length} live workers run it)` : "";
      rows.push({
        kind: "job",
        key: name,
        name,
        runner: pick
          ? { kind: "worker", id: pick.w.id, name: `${pick.w.hostname}:${pick.w.pid}` }
          : null,
        link: pick ? `/operations#worker-${pick.w.id}` : "/operations",
        desired: { intervalMs: everyMs, enabled: true },
        ...schedule,
        reason: schedule.reason + others,
        lastRunAt: pick?.job.lastRunAt ?? null,
        lastResult: pick?.job.lastResult ?? null,
        lastError: pick?.job.lastError ?? null,
        lastSuccessAt: pick?.job.lastSuccessAt ?? null,
        nextRunAt: pick?.job.nextRunAt ?? null,
        nextEndAt: null,
        runningSince: pick?.job.runningSince ?? null,
        sourceAt: pick ? pick.w.lastSeenAt.toISOString() : null,
      });
    }
  }

  for (const row of windows) {
    const w = row.w;
    let found: { start: Date; end: Date }[];
    try {
      found = occurrences(scheduleOf(w), {
        from: now,
        to: new Date(now.getTime() + 10 * 366 * 86_400_000),
        limit: 2,
      });
    } catch {
      // A stored schedule that no longer compiles: no occurrences known (the window page says why).
      found = [];
    }
    const current = found.find((o) => o.start <= now && o.end > now) ?? null;
    const next = found.find((o) => o.start > now) ?? null;
    const activeNow = w.enabled && current !== null;
    const verdict = deriveWindowSchedule(
      {
        enabled: w.enabled,
        activeNow,
        nextStart: next?.start ?? null,
        nextEnd: current?.end ?? next?.end ?? null,
        suppressionRunning,
      },
      now,
    );
    rows.push({
      kind: "window",
      key: w.id,
      name: w.name,
      runner: null,
      link: `/maintenance/${w.id}`,
      desired: { intervalMs: null, enabled: w.enabled },
      ...verdict,
      lastRunAt: null,
      lastResult: null,
      lastError: null,
      lastSuccessAt: null,
      nextRunAt: iso(next?.start ?? null),
      nextEndAt: iso(current?.end ?? next?.end ?? null),
      runningSince: null,
      sourceAt: w.updatedAt.toISOString(),
    });
  }

  sortRows(rows);
  const scheduleCounts = emptyCounts(ScheduleState.options);
  for (const r of rows) scheduleCounts[r.state] += 1;
  // Desired functions beyond the rows read (a huge estate) are counted, not listed.
  let desiredTotal = 0;
  for (const n of desired.perNode.values()) desiredTotal += n;
  const unlisted = desiredTotal - desired.rows.length;
  return {
    collectors: {
      source: COLLECTORS_SOURCE,
      asOf,
      newestHeartbeatAt: beats.length > 0 ? new Date(Math.max(...beats)).toISOString() : null,
      collectors,
      workers,
      workersVisible,
      counts,
    },
    schedules: {
      source: SCHEDULES_SOURCE,
      asOf,
      rows: rows.slice(0, SCHEDULE_ROWS_MAX),
      truncated: rows.length > SCHEDULE_ROWS_MAX || unlisted > 0,
      counts: scheduleCounts,
      overdue: scheduleCounts.overdue,
      drift: rows.filter((r) => r.drift).length,
    },
  };
}

/** The collectors and workers half (GET /collectors): the summary read is enough for it. */
export async function readCollectors(args: {
  db: Database;
  actor: Actor;
  now?: Date;
}): Promise<CollectorsReport> {
  return (await readOperations({ ...args, detail: "summary" })).collectors;
}

/** The schedules half (GET /schedules). */
export async function readSchedules(args: {
  db: Database;
  actor: Actor;
  now?: Date;
}): Promise<SchedulesReport> {
  return (await readOperations(args)).schedules;
}
