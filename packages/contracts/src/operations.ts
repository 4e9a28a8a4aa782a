import { z } from "zod";
import { Timestamp } from "./common";

/*
 * Collectors, workers and schedules (issue #16 items 2 and 3, DESIGN.md §9): what a node and a
 * worker say of their own work in their heartbeats (the actual side), and what the operations
 * read answers (desired vs actual, each with a derived state, its reason, since when, its source
 * and as-of time). Every heartbeat field added here is optional so an older process still parses.
 */

export const RunResult = z
  .enum(["ok", "error"])
  .describe("ok: the run finished without an error; error: it failed (see lastError).");
export type RunResult = z.infer<typeof RunResult>;

/** What a periodic piece of work (a node's function, a worker's clock job) says of its runs. */
const RunFacts = {
  lastRunAt: Timestamp.nullable().describe("When the last run finished; null: none yet."),
  lastResult: RunResult.nullable(),
  lastError: z.string().max(500).nullable(),
  lastSuccessAt: Timestamp.nullable(),
  consecutiveFailures: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe("Runs failed in a row since the last success."),
  nextRunAt: Timestamp.nullable().describe("When it is due next."),
  runningSince: Timestamp.nullable().describe("When the run in progress started; null: idle."),
};

/** One collection function as the node runs it (key: `<component id>/<interface>/<function>`). */
export const FunctionRun = z.object({
  key: z.string().max(300),
  component: z.string().max(100),
  fn: z.string().max(100),
  intervalMs: z.number().int().positive(),
  ...RunFacts,
});
export type FunctionRun = z.infer<typeof FunctionRun>;

/**
 * At most this many functions ride one node heartbeat: the worst first (running too long,
 * failing, overdue, never run, then the oldest run). The counts always cover all of them.
 */
export const HEARTBEAT_FUNCTIONS_MAX = 100;

export const NodeScheduleSummary = z
  .object({
    total: z.number().int().nonnegative(),
    ok: z.number().int().nonnegative().describe("Last run succeeded."),
    failing: z.number().int().nonnegative().describe("Last run failed."),
    neverRun: z.number().int().nonnegative(),
    running: z.number().int().nonnegative(),
    overdue: z.number().int().nonnegative().describe("Due more than an interval ago, not run."),
    truncated: z.boolean().describe("`functions` lists only the worst of `total`."),
    functions: z.array(FunctionRun).max(HEARTBEAT_FUNCTIONS_MAX),
  })
  .describe("The node's collection functions: counts of all, and the worst of them listed.");
export type NodeScheduleSummary = z.infer<typeof NodeScheduleSummary>;

/** One clock job (a periodic pass) as a worker runs it. */
export const WorkerJob = z.object({
  name: z.string().max(100),
  everyMs: z.number().int().positive(),
  ...RunFacts,
});
export type WorkerJob = z.infer<typeof WorkerJob>;

/**
 * The clock jobs every running worker is expected to run (the desired side of the schedules
 * view), with their default period. A worker reports each by this name in its heartbeat.
 */
export const WORKER_JOBS = [
  {
    name: "stale",
    everyMs: 1_000,
    description: "Freshness: values past their stale time turn stale",
  },
  { name: "sustain", everyMs: 1_000, description: "Pending episodes whose sustain period ended" },
  { name: "collectors", everyMs: 1_000, description: "Collector-down alarms of silent nodes" },
  {
    name: "suppression",
    everyMs: 5_000,
    description: "Maintenance windows and silences opening and closing",
  },
  { name: "partitions", everyMs: 3_600_000, description: "Sample partitions created ahead" },
  {
    name: "retention",
    everyMs: 3_600_000,
    description: "History older than the retention dropped",
  },
  { name: "storms", everyMs: 1_000, description: "Grouped storm summaries queued" },
  {
    name: "endpoint-alarms",
    everyMs: 5_000,
    description: "Endpoint-failing alarms opened and resolved",
  },
  {
    name: "registry-prune",
    everyMs: 3_600_000,
    description: "Silent workers and old idempotency keys forgotten",
  },
] as const;
export type WorkerJobName = (typeof WORKER_JOBS)[number]["name"];

// ---------------------------------------------------------------------------------------------
// The read (GET /collectors, GET /schedules)
// ---------------------------------------------------------------------------------------------

export const ProcessState = z
  .enum(["up", "down", "degraded", "idle", "busy", "stuck", "stale"])
  .describe(
    "down: no heartbeat for three intervals, stopped or never seen (process missing); stale: a heartbeat missed (older than two intervals): it cannot be vouched for; stuck: one task has been running far longer than its interval; degraded: beating but reporting errors, failing work or buffering; busy: healthy and working now; idle: healthy with nothing running; up: healthy, its heartbeat says nothing of its work (an older version).",
  );
export type ProcessState = z.infer<typeof ProcessState>;

const Verdict = {
  state: ProcessState,
  reason: z.string().describe("Why it is in this state, for a person."),
  since: Timestamp.nullable().describe("Since when the state holds, when known."),
};

export const CollectorView = z
  .object({
    kind: z.literal("node"),
    id: z.uuid(),
    name: z.string(),
    location: z.object({ id: z.uuid(), path: z.string() }),
    disabled: z.boolean(),
    ...Verdict,
    lastActivityAt: Timestamp.nullable().describe("Its last heartbeat."),
    ageMs: z.number().int().nullable(),
    currentWork: z.string().nullable().describe("What it is doing now."),
    dependency: z.string().nullable().describe("What it depends on: the bus it publishes to."),
    lastError: z.object({ message: z.string(), at: Timestamp }).nullable(),
    version: z.string().nullable(),
    hostname: z.string().nullable(),
    functions: z.number().int().nonnegative().nullable(),
    failing: z.number().int().nonnegative().nullable(),
    buffered: z.number().int().nonnegative().nullable(),
  })
  .meta({ id: "CollectorView" });
export type CollectorView = z.infer<typeof CollectorView>;

export const WorkerView = z
  .object({
    kind: z.literal("worker"),
    id: z.uuid(),
    name: z.string().describe("hostname:pid"),
    ...Verdict,
    lastActivityAt: Timestamp,
    ageMs: z.number().int(),
    currentWork: z.string().nullable(),
    dependency: z.string().nullable(),
    lastError: z.string().nullable(),
    version: z.string(),
    lifecycle: z.enum(["running", "stopping", "stopped"]),
    jobs: z.number().int().nonnegative().nullable(),
  })
  .meta({ id: "WorkerView" });
export type WorkerView = z.infer<typeof WorkerView>;

export const SourceStamp = {
  source: z.string().describe("Where the facts come from."),
  asOf: Timestamp.describe("The server's clock when read: ages are relative to it."),
};

export const CollectorsReport = z
  .object({
    ...SourceStamp,
    newestHeartbeatAt: Timestamp.nullable().describe(
      "The newest heartbeat stored: when old, the presence source itself is down.",
    ),
    collectors: z.array(CollectorView),
    workers: z.array(WorkerView).describe("Empty without `worker:read`."),
    workersVisible: z.boolean(),
    counts: z.record(ProcessState, z.number().int().nonnegative()),
  })
  .meta({ id: "CollectorsReport" });
export type CollectorsReport = z.infer<typeof CollectorsReport>;

export const ScheduleState = z
  .enum(["ok", "running", "overdue", "no-runner", "paused", "failing", "stuck", "open", "unknown"])
  .describe(
    "ok: ran on time and succeeded; running: a run in progress; overdue: its next run is past by more than a grace; no-runner: configured but nothing live runs it; paused: disabled (a node or window) while still configured; failing: its last runs failed and its last success is old (or none); stuck: a run has taken far longer than its interval; open: a maintenance window open now; unknown: its runner's heartbeat is stale, nothing can be vouched for.",
  );
export type ScheduleState = z.infer<typeof ScheduleState>;

/** States that are drift: desired and actual disagree. */
export const DRIFT_STATES = ["overdue", "no-runner", "paused", "failing", "stuck"] as const;

export const ScheduleRow = z
  .object({
    kind: z.enum(["function", "job", "window"]),
    key: z
      .string()
      .describe("function: <component id>/<interface>/<function>; job: its name; window: its id."),
    name: z.string().describe("For a person: component path › function, job name, window name."),
    runner: z
      .object({ kind: z.enum(["node", "worker"]), id: z.uuid(), name: z.string() })
      .nullable()
      .describe("Who runs (or should run) it."),
    link: z.string().describe("The console path of the object."),
    desired: z.object({
      intervalMs: z.number().int().nullable(),
      enabled: z.boolean(),
    }),
    state: ScheduleState,
    drift: z.boolean(),
    reason: z.string(),
    lastRunAt: Timestamp.nullable(),
    lastResult: RunResult.nullable(),
    lastError: z.string().nullable(),
    lastSuccessAt: Timestamp.nullable(),
    nextRunAt: Timestamp.nullable().describe("Next run; for a window the next start."),
    nextEndAt: Timestamp.nullable().describe("A window: the end of the open or next occurrence."),
    runningSince: Timestamp.nullable(),
    sourceAt: Timestamp.nullable().describe("The heartbeat the actual side comes from."),
  })
  .meta({ id: "ScheduleRow" });
export type ScheduleRow = z.infer<typeof ScheduleRow>;

export const SCHEDULE_ROWS_MAX = 1_000;

export const SchedulesReport = z
  .object({
    ...SourceStamp,
    rows: z.array(ScheduleRow).describe("Drift first (overdue, then the rest), at most 1,000."),
    truncated: z.boolean().describe("More rows matched than were returned."),
    counts: z.record(ScheduleState, z.number().int().nonnegative()),
    overdue: z.number().int().nonnegative(),
    drift: z.number().int().nonnegative(),
  })
  .meta({ id: "SchedulesReport" });
export type SchedulesReport = z.infer<typeof SchedulesReport>;
