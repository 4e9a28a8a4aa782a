import { describe, expect, it } from "vitest";
import type { FunctionRun } from "@omniglass/contracts";
import { summarizeNodeSchedule } from "./node-schedule";
import { deriveRunSchedule, deriveWindowSchedule, type RunFactsIn } from "./schedule-state";

const now = new Date("2026-12-02T12:00:00.000Z");
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const runner = { name: "edge-1", state: "idle" as const, beatAt: new Date(now.getTime() - 1_000) };

function facts(overrides: Partial<RunFactsIn> = {}): RunFactsIn {
  return {
    lastRunAt: ago(3_000),
    lastResult: "ok",
    lastError: null,
    lastSuccessAt: ago(3_000),
    consecutiveFailures: 0,
    nextRunAt: ago(-7_000),
    runningSince: null,
    ...overrides,
  };
}

const judge = (actual: RunFactsIn | "absent" | "unlisted", extra = {}) =>
  deriveRunSchedule({ intervalMs: 10_000, enabled: true, runner, actual, ...extra }, now);

describe("deriveRunSchedule", () => {
  it("ok: ran on time and succeeded", () => {
    expect(judge(facts())).toMatchObject({ state: "ok", drift: false });
  });

  it("overdue: a due time the runner's last report had passed by more than the grace", () => {
    // Due 11 s before the beat (grace: one interval, 10 s): overdue.
    expect(judge(facts({ nextRunAt: ago(12_000), lastRunAt: ago(15_000) }))).toMatchObject({
      state: "overdue",
      drift: true,
    });
    // Due 9 s before the beat: still within the grace.
    expect(judge(facts({ nextRunAt: ago(10_000), lastRunAt: ago(15_000) })).state).toBe("ok");
    // The last run older than an interval plus the grace, whatever nextRunAt says.
    expect(judge(facts({ lastRunAt: ago(22_000) })).state).toBe("overdue");
  });

  it("no runner: nothing live runs it, its runner is down, or the runner reports no run of it", () => {
    expect(
      deriveRunSchedule({ intervalMs: 1_000, enabled: true, runner: null, actual: "absent" }, now),
    ).toMatchObject({ state: "no-runner", drift: true });
    expect(judge(facts(), { runner: { ...runner, state: "down" } }).reason).toBe(
      "configured, but its runner edge-1 is down",
    );
    expect(judge("absent")).toMatchObject({ state: "no-runner", drift: true });
    // A capped report that does not list it: unknown, never green.
    expect(judge("unlisted")).toMatchObject({ state: "unknown", drift: false });
  });

  it("a stale runner: unknown, whatever it last said", () => {
    expect(judge(facts(), { runner: { ...runner, state: "stale" } }).state).toBe("unknown");
  });

  it("paused: configured while its runner is disabled", () => {
    expect(judge(facts(), { enabled: false })).toMatchObject({ state: "paused", drift: true });
  });

  it("failing: the last runs failed and the last success is old (drift); one failure is not drift yet", () => {
    const failing = judge(
      facts({
        lastResult: "error",
        lastError: "HTTP 500",
        consecutiveFailures: 5,
        lastSuccessAt: ago(3_600_000),
      }),
    );
    expect(failing).toMatchObject({ state: "failing", drift: true });
    expect(failing.reason).toBe("failed 5 run(s) in a row, last success 1 h ago: HTTP 500");
    expect(
      judge(facts({ lastResult: "error", consecutiveFailures: 1, lastSuccessAt: ago(13_000) })),
    ).toMatchObject({ state: "failing", drift: false });
    expect(
      judge(facts({ lastResult: "error", consecutiveFailures: 3, lastSuccessAt: null })).drift,
    ).toBe(true);
  });

  it("running, and stuck once it runs far past its interval", () => {
    expect(judge(facts({ runningSince: ago(2_000) })).state).toBe("running");
    expect(judge(facts({ runningSince: ago(31_000) }))).toMatchObject({
      state: "stuck",
      drift: true,
    });
  });

  it("never run yet is unknown, not ok", () => {
    expect(judge(facts({ lastRunAt: null, lastResult: null, lastSuccessAt: null })).state).toBe(
      "unknown",
    );
  });
});

describe("deriveWindowSchedule", () => {
  const inHour = new Date(now.getTime() + 3_600_000);
  const base = {
    enabled: true,
    activeNow: false,
    nextStart: inHour,
    nextEnd: new Date(inHour.getTime() + 7_200_000),
    suppressionRunning: true,
  };
  it("paused: disabled while it still has occurrences (drift); ended: not drift", () => {
    expect(deriveWindowSchedule({ ...base, enabled: false }, now)).toMatchObject({
      state: "paused",
      drift: true,
    });
    expect(
      deriveWindowSchedule({ ...base, enabled: false, nextStart: null, nextEnd: null }, now),
    ).toMatchObject({ state: "paused", drift: false });
  });
  it("no runner: no live worker runs the suppression pass", () => {
    expect(deriveWindowSchedule({ ...base, suppressionRunning: false }, now)).toMatchObject({
      state: "no-runner",
      drift: true,
    });
  });
  it("open now, or scheduled with its next start", () => {
    expect(
      deriveWindowSchedule(
        { ...base, activeNow: true, nextEnd: new Date(now.getTime() + 600_000) },
        now,
      ),
    ).toMatchObject({ state: "open", reason: "open, closes in 10 min" });
    expect(deriveWindowSchedule(base, now)).toMatchObject({
      state: "ok",
      reason: "opens in 1 h",
    });
  });
});

describe("summarizeNodeSchedule", () => {
  const fn = (i: number, overrides: Partial<FunctionRun> = {}): FunctionRun => ({
    key: `c${String(i).padStart(5, "0")}/http/status`,
    component: `room.c${i}`,
    fn: "status",
    intervalMs: 10_000,
    lastRunAt: ago(1_000),
    lastResult: "ok",
    lastError: null,
    lastSuccessAt: ago(1_000),
    consecutiveFailures: 0,
    nextRunAt: ago(-9_000),
    runningSince: null,
    ...overrides,
  });

  it("lists every function of a small node", () => {
    const summary = summarizeNodeSchedule([fn(1), fn(2)], now.getTime());
    expect(summary).toMatchObject({ total: 2, ok: 2, truncated: false });
    expect(summary.functions).toHaveLength(2);
  });

  it("caps a node of 5,000 functions at the worst 100, counting all, in tens of kilobytes", () => {
    const runs = Array.from({ length: 5_000 }, (_, i) =>
      i === 4_321
        ? fn(i, { lastResult: "error", lastError: "timeout", consecutiveFailures: 3 })
        : i === 4_000
          ? fn(i, { runningSince: ago(60_000) })
          : i === 3_999
            ? fn(i, { lastRunAt: null, lastResult: null, lastSuccessAt: null })
            : fn(i),
    );
    const summary = summarizeNodeSchedule(runs, now.getTime());
    expect(summary).toMatchObject({
      total: 5_000,
      ok: 4_998,
      failing: 1,
      neverRun: 1,
      running: 1,
      truncated: true,
    });
    expect(summary.functions).toHaveLength(100);
    // The worst first: stuck, failing, then never run.
    expect(summary.functions.slice(0, 3).map((f) => f.key)).toEqual([
      runs[4_000]!.key,
      runs[4_321]!.key,
      runs[3_999]!.key,
    ]);
    expect(JSON.stringify(summary).length).toBeLessThan(50_000);
  });
});
