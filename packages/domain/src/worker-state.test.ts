import { describe, expect, it } from "vitest";
import { deriveWorkerState, STALE_AFTER_INTERVALS } from "./worker-state";

describe("deriveWorkerState", () => {
  const now = new Date("2026-11-22T12:00:00.000Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it("is running while beats arrive within three intervals, stale just after", () => {
    expect(STALE_AFTER_INTERVALS).toBe(3);
    expect(
      deriveWorkerState({ lifecycle: "running", lastSeenAt: ago(1_000), intervalMs: 5_000 }, now),
    ).toBe("running");
    expect(
      deriveWorkerState({ lifecycle: "running", lastSeenAt: ago(15_000), intervalMs: 5_000 }, now),
    ).toBe("running");
    expect(
      deriveWorkerState({ lifecycle: "running", lastSeenAt: ago(15_001), intervalMs: 5_000 }, now),
    ).toBe("stale");
    expect(
      deriveWorkerState({ lifecycle: "stopping", lastSeenAt: ago(60_000), intervalMs: 5_000 }, now),
    ).toBe("stale");
  });

  it("stays stopped however old the last beat", () => {
    expect(
      deriveWorkerState(
        { lifecycle: "stopped", lastSeenAt: ago(86_400_000), intervalMs: 5_000 },
        now,
      ),
    ).toBe("stopped");
    expect(
      deriveWorkerState({ lifecycle: "stopped", lastSeenAt: ago(0), intervalMs: 5_000 }, now),
    ).toBe("stopped");
  });
});
