import { describe, expect, it } from "vitest";
import { ambiguitiesOf, laneOf, type BoardAlarm } from "./work-board";

const NOW = new Date("2026-12-02T14:00:00Z");
const BEFORE = "2026-12-02T13:00:00Z";
const AFTER = "2026-12-02T15:00:00Z";

const open: BoardAlarm = { lifecycle: "open", acknowledgement: null, suppression: null };
const ack = (over: Partial<NonNullable<BoardAlarm["acknowledgement"]>> = {}) => ({
  byName: "alice",
  byStatus: "active" as const,
  at: BEFORE,
  expiresAt: null,
  ...over,
});
const held = (over: Partial<NonNullable<BoardAlarm["suppression"]>> = {}) => ({
  windows: [],
  silences: [],
  root: null,
  ...over,
});
const kinds = (a: BoardAlarm, lane: Parameters<typeof ambiguitiesOf>[1]) =>
  ambiguitiesOf(a, lane, NOW).map((x) => x.kind);

describe("lane membership from the alarm's own facts", () => {
  it("open, unacknowledged, not held: new", () => {
    expect(laneOf(open, NOW)).toBe("new");
  });
  it("acknowledged and standing: acknowledged; lapsed: new again", () => {
    expect(laneOf({ ...open, acknowledgement: ack() }, NOW)).toBe("acknowledged");
    expect(laneOf({ ...open, acknowledgement: ack({ expiresAt: AFTER }) }, NOW)).toBe(
      "acknowledged",
    );
    expect(laneOf({ ...open, acknowledgement: ack({ expiresAt: BEFORE }) }, NOW)).toBe("new");
  });
  it("held: suppressed, acknowledged or not", () => {
    const s = held({ windows: [{ name: "sat" }] });
    expect(laneOf({ ...open, suppression: s }, NOW)).toBe("suppressed");
    expect(laneOf({ ...open, suppression: s, acknowledgement: ack() }, NOW)).toBe("suppressed");
  });
  it("resolved: resolved, whatever else it carries", () => {
    expect(laneOf({ ...open, lifecycle: "resolved", acknowledgement: ack() }, NOW)).toBe(
      "resolved",
    );
  });
});

describe("ambiguous cases are said, not guessed", () => {
  it("a plain alarm in its own lane has none", () => {
    expect(kinds(open, "new")).toEqual([]);
    expect(kinds({ ...open, acknowledgement: ack() }, "acknowledged")).toEqual([]);
    expect(
      kinds({ ...open, suppression: held({ root: { owner: { path: "x" } } }) }, "suppressed"),
    ).toEqual([]);
  });
  it("owner gone: acknowledged by a principal since disabled or deleted", () => {
    expect(
      kinds({ ...open, acknowledgement: ack({ byStatus: "disabled" }) }, "acknowledged"),
    ).toEqual(["owner-gone"]);
    const gone = ambiguitiesOf(
      { ...open, acknowledgement: ack({ byStatus: "deleted", byName: null }) },
      "acknowledged",
      NOW,
    );
    expect(gone.map((x) => x.text)).toEqual([
      "owner gone: acknowledged by a principal who has since been deleted — nobody may be on it",
    ]);
  });
  it("acknowledged and held", () => {
    expect(
      kinds(
        { ...open, acknowledgement: ack(), suppression: held({ windows: [{ name: "w" }] }) },
        "suppressed",
      ),
    ).toEqual(["acknowledged-and-held"]);
  });
  it("held only by a silence that expired: waiting for the suppression pass", () => {
    const a = { ...open, suppression: held({ silences: [{ reason: "lamp", expiresAt: BEFORE }] }) };
    const [only] = ambiguitiesOf(a, "suppressed", NOW);
    expect(only).toEqual({
      kind: "silence-expired",
      text: "its silence “lamp” expired: held by nothing in force, waiting for the suppression pass",
    });
    // Another reason still in force: said differently.
    const still = ambiguitiesOf(
      { ...a, suppression: { ...a.suppression, windows: [{ name: "w" }] } },
      "suppressed",
      NOW,
    );
    expect(still[0]!.text).toMatch(/still held by the rest/);
    // A silence still running is no ambiguity.
    expect(
      kinds(
        { ...open, suppression: held({ silences: [{ reason: "x", expiresAt: AFTER }] }) },
        "suppressed",
      ),
    ).toEqual([]);
  });
  it("an acknowledgement that lapsed since the lane was read", () => {
    expect(kinds({ ...open, acknowledgement: ack({ expiresAt: BEFORE }) }, "acknowledged")).toEqual(
      ["acknowledgement-lapsed"],
    );
  });
  it("facts that now put it elsewhere", () => {
    expect(kinds({ ...open, lifecycle: "resolved" }, "new")).toEqual(["moved"]);
  });
});
