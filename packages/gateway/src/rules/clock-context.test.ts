import { describe, expect, it } from "vitest";
import { compileExpression } from "@omniglass/domain";
import { freshnessSignals, storedContext, type StoredValue } from "./clock-context";
import type { ActiveRule } from "./rule-cache";

const rule = (fire: string, clear: string | null = null): ActiveRule => {
  const f = compileExpression("fire", fire);
  const c = clear ? compileExpression("clear", clear) : null;
  return {
    id: "r",
    name: "r",
    label: null,
    severity: "warning",
    fire: f,
    clear: c,
    sustainMs: 0,
    scopeKind: "all",
    scopeRef: null,
    flapWindowMs: 600_000,
    flapThreshold: 4,
    signals: new Set([...f.signals, ...(c?.signals ?? [])]),
    signalList: [...new Set([...f.signals, ...(c?.signals ?? [])])].sort(),
    readsPrevious: false,
  };
};

describe("the clock's view of a rule", () => {
  it("names the signals whose freshness or age a rule reads (its no-data signals)", () => {
    expect(freshnessSignals(rule('signals["temperature"] > 70'))).toEqual(new Set());
    expect(
      freshnessSignals(rule('fresh["temperature"] == false', 'age[ "reachable" ] < 60')),
    ).toEqual(new Set(["temperature", "reachable"]));
    // A signal named like a variable is read through `signals`, not a freshness read.
    expect(freshnessSignals(rule('signals["fresh"] == "x"'))).toEqual(new Set());
  });

  it("judges freshness as of the moment asked, by the value's stale time", () => {
    const stored = new Map<string, StoredValue>([
      [
        "c||temperature",
        {
          value: 41,
          ms: 1_000,
          fresh: false,
          staleMs: 61_000,
          previous: undefined,
          intervalMs: 30_000,
        },
      ],
      [
        "c||label",
        {
          value: "x",
          ms: 1_000,
          fresh: true,
          staleMs: null,
          previous: undefined,
          intervalMs: null,
        },
      ],
    ]);
    const r = rule('fresh["temperature"] && signals["label"] == "x"');
    // Stored as stale (the clock passed), but fresh at 60 s: a late judgement of an earlier moment.
    expect(storedContext(r, "c", "", stored, 60_000).context).toMatchObject({
      fresh: { temperature: true, label: true },
      age: { temperature: 59, label: 59 },
    });
    expect(storedContext(r, "c", "", stored, 61_000).context.fresh.temperature).toBe(false);
    expect(storedContext(r, "c", "", stored, 61_000).newestMs).toBe(1_000);
    expect(storedContext(r, "other", "", stored, 61_000).context.signals).toEqual({});
  });
});
