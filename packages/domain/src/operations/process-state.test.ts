import { describe, expect, it } from "vitest";
import type { FunctionRun, NodeHeartbeat } from "@omniglass/contracts";
import { deriveCollectorState, deriveWorkerProcessState, type WorkerFacts } from "./process-state";

const now = new Date("2026-12-02T12:00:00.000Z");
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

function run(overrides: Partial<FunctionRun> = {}): FunctionRun {
  return {
    key: "c1/http/status",
    component: "hq.room-1.display",
    fn: "status",
    intervalMs: 10_000,
    lastRunAt: ago(2_000),
    lastResult: "ok",
    lastError: null,
    lastSuccessAt: ago(2_000),
    consecutiveFailures: 0,
    nextRunAt: ago(-8_000),
    runningSince: null,
    ...overrides,
  };
}

function beat(
  overrides: Partial<NodeHeartbeat> = {},
  runs: FunctionRun[] = [run()],
): NodeHeartbeat {
  return {
    nodeId: "01936f2c-0000-7000-8000-000000000001",
    version: "1",
    hostname: "edge-1",
    startedAt: ago(3_600_000),
    beatAt: ago(1_000),
    intervalMs: 10_000,
    worklistEtag: "e",
    tasks: 1,
    functions: runs.length,
    running: runs.filter((r) => r.runningSince).length,
    buffered: 0,
    published: 10,
    lastError: null,
    schedule: {
      total: runs.length,
      ok: runs.filter((r) => r.lastResult === "ok").length,
      failing: runs.filter((r) => r.lastResult === "error").length,
      neverRun: runs.filter((r) => r.lastResult === null).length,
      running: runs.filter((r) => r.runningSince).length,
      overdue: 0,
      truncated: false,
      functions: runs,
    },
    currentWork: null,
    natsServer: "127.0.0.1:4222",
    ...overrides,
  };
}

describe("deriveCollectorState", () => {
  it("missing: never seen, or silent for three intervals, is down", () => {
    expect(deriveCollectorState({ heartbeat: null, disabled: false }, now)).toMatchObject({
      state: "down",
      reason: "never sent a heartbeat",
    });
    const silent = deriveCollectorState(
      { heartbeat: beat({ beatAt: ago(30_001) }), disabled: false },
      now,
    );
    expect(silent.state).toBe("down");
    expect(silent.reason).toContain("no heartbeat for 30 s");
    expect(silent.since?.toISOString()).toBe(ago(1));
  });

  it("stale: a beat missed (older than two intervals, not yet three)", () => {
    expect(
      deriveCollectorState({ heartbeat: beat({ beatAt: ago(20_001) }), disabled: false }, now)
        .state,
    ).toBe("stale");
    expect(
      deriveCollectorState({ heartbeat: beat({ beatAt: ago(20_000) }), disabled: false }, now)
        .state,
    ).toBe("idle");
  });

  it("unhealthy: beating but failing functions, a disk buffer or a recent error is degraded", () => {
    const failing = deriveCollectorState(
      {
        heartbeat: beat({}, [
          run({ lastResult: "error", lastError: "no answer within 2s", consecutiveFailures: 4 }),
        ]),
        disabled: false,
      },
      now,
    );
    expect(failing).toMatchObject({ state: "degraded" });
    expect(failing.reason).toContain("1 of 1 functions failing: no answer within 2s");
    expect(
      deriveCollectorState({ heartbeat: beat({ buffered: 120 }), disabled: false }, now).reason,
    ).toContain("120 samples buffered on disk");
    expect(
      deriveCollectorState(
        { heartbeat: beat({ lastError: { message: "boom", at: ago(5_000) } }), disabled: false },
        now,
      ),
    ).toMatchObject({ state: "degraded", reason: "recent error: boom" });
    // An old error no longer degrades it.
    expect(
      deriveCollectorState(
        { heartbeat: beat({ lastError: { message: "boom", at: ago(60_000) } }), disabled: false },
        now,
      ).state,
    ).toBe("idle");
    expect(deriveCollectorState({ heartbeat: beat(), disabled: true }, now).state).toBe("degraded");
  });

  it("healthy idle and healthy busy", () => {
    expect(deriveCollectorState({ heartbeat: beat(), disabled: false }, now)).toMatchObject({
      state: "idle",
    });
    const busy = deriveCollectorState(
      {
        heartbeat: beat({ currentWork: "hq.room-1.display status for 1 s" }, [
          run({ runningSince: ago(1_000) }),
        ]),
        disabled: false,
      },
      now,
    );
    expect(busy.state).toBe("busy");
    expect(busy.reason).toBe("1 request in flight: hq.room-1.display status for 1 s");
    expect(busy.since?.toISOString()).toBe(ago(1_000));
  });

  it("stuck: one function running far longer than its interval, named with since-when", () => {
    const stuck = deriveCollectorState(
      { heartbeat: beat({}, [run({ runningSince: ago(31_000) })]), disabled: false },
      now,
    );
    expect(stuck.state).toBe("stuck");
    expect(stuck.reason).toBe("status on hq.room-1.display has been running for 31 s (every 10 s)");
    expect(stuck.since?.toISOString()).toBe(ago(31_000));
    // Under the 30 s floor it is only busy.
    expect(
      deriveCollectorState(
        { heartbeat: beat({}, [run({ runningSince: ago(29_000) })]), disabled: false },
        now,
      ).state,
    ).toBe("busy");
  });

  it("an older node's heartbeat (no schedule) reads up, not idle", () => {
    const old = beat();
    delete old.schedule;
    expect(deriveCollectorState({ heartbeat: old, disabled: false }, now).state).toBe("up");
  });
});

describe("deriveWorkerProcessState", () => {
  const worker = (overrides: Partial<WorkerFacts> = {}): WorkerFacts => ({
    lifecycle: "running",
    lastSeenAt: new Date(now.getTime() - 1_000),
    intervalMs: 5_000,
    lastError: null,
    jobs: [],
    busy: [],
    consumers: [],
    ...overrides,
  });
  const job = {
    name: "stale",
    everyMs: 1_000,
    lastRunAt: ago(500),
    lastResult: "ok" as const,
    lastError: null,
    lastSuccessAt: ago(500),
    consecutiveFailures: 0,
    nextRunAt: ago(-500),
    runningSince: null,
  };

  it("stopped or silent is down; a missed beat is stale", () => {
    expect(deriveWorkerProcessState(worker({ lifecycle: "stopped" }), now).state).toBe("down");
    expect(
      deriveWorkerProcessState(worker({ lastSeenAt: new Date(now.getTime() - 15_001) }), now).state,
    ).toBe("down");
    expect(
      deriveWorkerProcessState(worker({ lastSeenAt: new Date(now.getTime() - 10_001) }), now).state,
    ).toBe("stale");
  });

  it("degraded when stopping, erring or a job fails", () => {
    expect(deriveWorkerProcessState(worker({ lifecycle: "stopping" }), now).state).toBe("degraded");
    expect(deriveWorkerProcessState(worker({ lastError: "clock stale: x" }), now).reason).toBe(
      "recent error: clock stale: x",
    );
    expect(
      deriveWorkerProcessState(
        worker({ jobs: [{ ...job, lastResult: "error", lastError: "db away" }] }),
        now,
      ).reason,
    ).toBe("stale pass failing: db away");
  });

  it("busy when a job runs or a lane holds messages; idle otherwise; up for an old version", () => {
    expect(
      deriveWorkerProcessState(worker({ jobs: [{ ...job, runningSince: ago(200) }] }), now),
    ).toMatchObject({ state: "busy", reason: "working: stale" });
    expect(
      deriveWorkerProcessState(worker({ consumers: [{ name: "ingest", ackPending: 3 }] }), now)
        .reason,
    ).toBe("working: ingest");
    expect(deriveWorkerProcessState(worker({ jobs: [job] }), now).state).toBe("idle");
    expect(deriveWorkerProcessState(worker({ jobs: null, busy: null }), now).state).toBe("up");
  });

  it("stuck when a pass runs far past its period", () => {
    const stuck = deriveWorkerProcessState(
      worker({
        jobs: [{ ...job, name: "suppression", everyMs: 5_000, runningSince: ago(40_000) }],
      }),
      now,
    );
    expect(stuck).toMatchObject({
      state: "stuck",
      reason: "the suppression pass has been running for 40 s (every 5 s)",
    });
  });
});
