import { describe, expect, it } from "vitest";
import { EMPTY_MEMORY, rememberProbe } from "./dependency-monitor";

const up = { status: "up" as const, latencyMs: 1, error: null };
const down = { status: "down" as const, latencyMs: null, error: "connection refused" };
const t = (s: number) => new Date(Date.UTC(2026, 10, 22, 12, 0, s));

describe("rememberProbe", () => {
  it("keeps since while the status holds, moves it on a change, and remembers the last up", () => {
    let memory = rememberProbe(EMPTY_MEMORY, up, t(0));
    expect(memory).toEqual({ status: "up", since: t(0), lastUpAt: t(0) });
    memory = rememberProbe(memory, up, t(2));
    expect(memory).toEqual({ status: "up", since: t(0), lastUpAt: t(2) });
    memory = rememberProbe(memory, down, t(4));
    expect(memory).toEqual({ status: "down", since: t(4), lastUpAt: t(2) });
    memory = rememberProbe(memory, down, t(6));
    expect(memory).toEqual({ status: "down", since: t(4), lastUpAt: t(2) });
    memory = rememberProbe(memory, up, t(8));
    expect(memory).toEqual({ status: "up", since: t(8), lastUpAt: t(8) });
  });

  it("has never seen up a dependency that was down from the start", () => {
    expect(rememberProbe(EMPTY_MEMORY, down, t(0))).toEqual({
      status: "down",
      since: t(0),
      lastUpAt: null,
    });
  });
});
