import { describe, expect, it } from "vitest";
import { OmniglassError } from "../errors";
import { counterRate } from "./counter-rate";
import { elapse, isFlapping, OK, step, type EpisodeState } from "./episode";
import { compileExpression } from "./expression";
import {
  describeCause,
  explain,
  judgeComponent,
  judgeLocation,
  judgeRole,
  judgeSystem,
  worst,
  type Judgement,
} from "./health";

const context = (
  signals: Record<string, unknown>,
  extra: Partial<{
    fresh: Record<string, boolean>;
    age: Record<string, number>;
    previous: Record<string, unknown>;
  }> = {},
) => ({
  signals,
  fresh: extra.fresh ?? {},
  age: extra.age ?? {},
  previous: extra.previous ?? {},
});

describe("rule expressions", () => {
  it("evaluates the official templates' shapes over current values, freshness, age and previous", () => {
    expect(
      compileExpression("fire", 'signals["temperature"] > 70').evaluate(
        context({ temperature: 71.5 }),
      ),
    ).toBe(true);
    expect(
      compileExpression("fire", 'signals["reachable"] == false').evaluate(
        context({ reachable: true }),
      ),
    ).toBe(false);
    expect(
      compileExpression(
        "fire",
        'signals["poe-status"] == "fault" || signals["poe-status"] == "other-fault"',
      ).evaluate(context({ "poe-status": "other-fault" })),
    ).toBe(true);
    const rising = compileExpression(
      "fire",
      'previous["temperature"] < 65 && signals["temperature"] >= 65',
    );
    expect(rising.evaluate(context({ temperature: 66 }, { previous: { temperature: 60 } }))).toBe(
      true,
    );
    expect(rising.evaluate(context({ temperature: 66 }, { previous: { temperature: 66 } }))).toBe(
      false,
    );
    const stale = compileExpression("fire", '!fresh["power-state"] && age["power-state"] > 120.0');
    expect(
      stale.evaluate(context({}, { fresh: { "power-state": false }, age: { "power-state": 300 } })),
    ).toBe(true);
    expect(stale.signals).toEqual(["power-state"]);
  });

  it("is undecided (null) when a value it reads was never seen", () => {
    expect(
      compileExpression("fire", 'signals["temperature"] > 70').evaluate(context({})),
    ).toBeNull();
  });

  it("refuses a reserved word as a field, naming the word, the position and how to write it", () => {
    let error: unknown;
    try {
      compileExpression("fire", 'signals["input"].type == "hdmi"');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OmniglassError);
    const { message, fieldErrors } = error as OmniglassError;
    expect(message).toContain("`type` is a reserved word");
    expect(message).toContain('["type"]');
    expect(message).toContain("line 1, column 18");
    expect(fieldErrors[0]?.field).toBe("fire");
  });

  it("does not mistake a reserved word inside a string for a field", () => {
    expect(
      compileExpression("fire", 'signals["mode"] == "x.type"').evaluate(
        context({ mode: "x.type" }),
      ),
    ).toBe(true);
  });

  it("refuses a syntax error, an unknown variable and a non-boolean, each with its position", () => {
    expect(() => compileExpression("clear", 'signals["temperature"] <')).toThrow(
      /clear: Unexpected token.*column 25/,
    );
    expect(() => compileExpression("fire", "temperature > 70")).toThrow(
      /Unknown variable: temperature.*column 1/,
    );
    expect(() => compileExpression("fire", 'signals["temperature"] + 1')).toThrow(
      /must be true or false/,
    );
  });
});

describe("the episode of one condition", () => {
  const evaluation = (
    fire: boolean | null,
    at: number,
    clear: boolean | null = null,
    hasClear = false,
  ) => ({
    fire,
    clear,
    hasClear,
    at,
  });

  it("opens after the sustain period, dated when it ended, and resolves on clear", () => {
    let state: EpisodeState = OK;
    let r = step(state, evaluation(true, 1_000), 120_000);
    expect(r.action).toEqual({ kind: "pend", dueAt: 121_000 });
    state = r.next;
    r = step(state, evaluation(true, 60_000), 120_000);
    expect(r.action.kind).toBe("none");
    r = step(state, evaluation(true, 125_000), 120_000);
    expect(r.action).toEqual({ kind: "open", at: 121_000 });
    state = r.next;
    r = step(state, evaluation(false, 130_000), 120_000);
    expect(r.action).toEqual({ kind: "resolve", at: 130_000 });
  });

  it("lets the clock open a pending episode when no sample arrives", () => {
    const pending = step(OK, evaluation(true, 0), 60_000).next;
    expect(elapse(pending, 59_999, 60_000).action.kind).toBe("none");
    expect(elapse(pending, 61_000, 60_000).action).toEqual({ kind: "open", at: 60_000 });
    expect(elapse(OK, 61_000, 60_000).action.kind).toBe("none");
  });

  it("cancels a pending condition that stops holding; an undecided evaluation changes nothing", () => {
    const pending = step(OK, evaluation(true, 0), 60_000).next;
    expect(step(pending, evaluation(null, 30_000), 60_000).action.kind).toBe("none");
    expect(step(pending, evaluation(false, 30_000), 60_000).action.kind).toBe("cancel");
  });

  it("resolves only on the clear expression when there is one (hysteresis)", () => {
    const firing: EpisodeState = { phase: "firing", since: 0 };
    expect(step(firing, evaluation(false, 1, false, true), 0).action.kind).toBe("none");
    expect(step(firing, evaluation(false, 1, true, true), 0).action.kind).toBe("resolve");
  });

  it("calls N transitions within the window flapping", () => {
    expect(isFlapping([1, 2, 3, 4], 10, 100, 5)).toBe(false);
    expect(isFlapping([1, 2, 3, 4, 5], 10, 100, 5)).toBe(true);
    expect(isFlapping([1, 2, 3, 4, 5], 1_000, 100, 5)).toBe(false);
  });
});

describe("health verdicts", () => {
  const component = (path: string, over: Partial<Parameters<typeof judgeComponent>[0]> = {}) =>
    judgeComponent({
      path,
      monitored: true,
      collectorDown: null,
      hasFreshData: true,
      alarms: [],
      ...over,
    });
  const unreachable = (path: string) =>
    component(path, {
      alarms: [
        { id: `a-${path}`, rule: "unreachable", severity: "critical", summary: "unreachable" },
      ],
    });

  it("ranks healthy < incomplete < unknown < degraded < outage", () => {
    expect(worst("healthy", "incomplete")).toBe("incomplete");
    expect(worst("unknown", "incomplete")).toBe("unknown");
    expect(worst("degraded", "unknown")).toBe("degraded");
    expect(worst("outage", "degraded")).toBe("outage");
  });

  it("judges a component unknown when nothing observes it, telling collector down from no data", () => {
    expect(component("a", { monitored: false }).causes[0]?.kind).toBe("not-monitored");
    expect(component("a", { collectorDown: "node-1" }).causes[0]?.kind).toBe("collector-down");
    expect(component("a", { hasFreshData: false }).verdict).toBe("unknown");
    expect(unreachable("a").verdict).toBe("outage");
    expect(
      component("a", {
        alarms: [{ id: "x", rule: "lamp", severity: "warning", summary: "lamp warning" }],
      }).verdict,
    ).toBe("degraded");
    expect(
      component("a", { alarms: [{ id: "x", rule: "note", severity: "info", summary: "n" }] })
        .verdict,
    ).toBe("healthy");
  });

  it("gives a role below quorum its impact and names the red leaf", () => {
    const system = judgeSystem({
      path: "hq.boardroom.av",
      roles: [
        {
          name: "displays",
          quorum: 2,
          impact: "outage",
          members: [
            {
              path: "hq.boardroom.display-left",
              judgement: unreachable("hq.boardroom.display-left"),
            },
            {
              path: "hq.boardroom.display-right",
              judgement: component("hq.boardroom.display-right"),
            },
          ],
        },
      ],
      others: [],
      alarms: [],
    });
    expect(system.verdict).toBe("outage");
    expect(explain(system)).toBe("outage: role displays 1 of 2 working — display-left unreachable");
  });

  it("keeps redundancy: one of two mics down with quorum 1 degrades, it does not cut the room", () => {
    const role = judgeRole("room.av", {
      name: "mics",
      quorum: 1,
      impact: "outage",
      members: [
        { path: "room.mic-1", judgement: unreachable("room.mic-1") },
        { path: "room.mic-2", judgement: component("room.mic-2") },
      ],
    });
    expect(role.verdict).toBe("degraded");
    expect(describeCause(role.cause)).toBe("role mics 1 of 2 working (needs 1)");
  });

  it("calls a role short of installed members incomplete (healthy when its impact is none), not red", () => {
    const none: Judgement[] = [];
    const empty = (impact: "outage" | "none") =>
      judgeRole("room.av", {
        name: "camera",
        quorum: 1,
        impact,
        members: none.map((j) => ({ path: "", judgement: j })),
      });
    expect(empty("outage").verdict).toBe("incomplete");
    expect(empty("none").verdict).toBe("healthy");
    // One of two installed, and the one installed fails: that is a failure, not commissioning.
    const failing = judgeRole("room.av", {
      name: "displays",
      quorum: 2,
      impact: "outage",
      members: [{ path: "room.d1", judgement: unreachable("room.d1") }],
    });
    expect(failing.verdict).toBe("outage");
  });

  it("says unknown when the members it cannot see could make the quorum", () => {
    const role = judgeRole("room.av", {
      name: "displays",
      quorum: 1,
      impact: "outage",
      members: [{ path: "room.d1", judgement: component("room.d1", { collectorDown: "n1" }) }],
    });
    expect(role.verdict).toBe("unknown");
  });

  it("judges a location by the worst of its subtree", () => {
    const loc = judgeLocation("hq", [
      { path: "hq.a.av", judgement: { verdict: "healthy", causes: [], leaves: [] } },
      { path: "hq.b.av", judgement: { verdict: "degraded", causes: [], leaves: [] } },
      { path: "hq.c.av", judgement: { verdict: "incomplete", causes: [], leaves: [] } },
    ]);
    expect(loc.verdict).toBe("degraded");
    expect(loc.causes[0]).toMatchObject({ kind: "child", path: "hq.b.av" });
  });
});

describe("counter rates", () => {
  it("divides the growth by the seconds between readings", () => {
    expect(counterRate({ value: 1_000, at: 0 }, { value: 11_000, at: 10_000 })).toBe(1_000);
  });
  it("carries a 32-bit and a 64-bit wrap", () => {
    expect(counterRate({ value: 2 ** 32 - 100, at: 0 }, { value: 900, at: 1_000 })).toBe(1_000);
    expect(counterRate({ value: 2 ** 40, at: 0 }, { value: 10, at: 1_000 })).toBeGreaterThan(0);
  });
  it("gives no figure across a device restart (uptime went back)", () => {
    expect(
      counterRate({ value: 5_000, at: 0, uptime: 1_000 }, { value: 100, at: 10_000, uptime: 5 }),
    ).toBeNull();
    expect(
      counterRate({ value: 5_000, at: 0, uptime: 1_000 }, { value: 9_000, at: 10_000, uptime: 4 }),
    ).toBeNull();
  });
  it("gives no figure for a reading at the same instant", () => {
    expect(counterRate({ value: 1, at: 5 }, { value: 2, at: 5 })).toBeNull();
  });
});
