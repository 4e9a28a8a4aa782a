import { describe, expect, it } from "vitest";
import { FailureThrottle } from "./throttle";

describe("FailureThrottle", () => {
  it("refuses past the limit until the oldest failure leaves the window", () => {
    const throttle = new FailureThrottle(3, 60_000);
    for (const at of [0, 1_000, 2_000]) {
      expect(throttle.retryAfterMs("alice", at)).toBe(0);
      throttle.fail("alice", at);
    }
    expect(throttle.retryAfterMs("alice", 3_000)).toBe(57_000);
    expect(throttle.retryAfterMs("bob", 3_000)).toBe(0);
    expect(throttle.retryAfterMs("alice", 60_001)).toBe(0);
  });

  it("forgets a key on success and bounds its memory", () => {
    const throttle = new FailureThrottle(1, 60_000, 2);
    throttle.fail("a", 0);
    throttle.reset("a");
    expect(throttle.retryAfterMs("a", 1)).toBe(0);
    throttle.fail("x", 0);
    throttle.fail("y", 0);
    throttle.fail("z", 0);
    expect(throttle.retryAfterMs("x", 1)).toBe(0);
    expect(throttle.retryAfterMs("z", 1)).toBeGreaterThan(0);
  });
});
