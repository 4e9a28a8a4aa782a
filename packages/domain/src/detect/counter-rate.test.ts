import { describe, expect, it } from "vitest";
import { counterRate } from "./counter-rate";

describe("counterRate with a declared width", () => {
  it("divides the growth by the seconds between readings", () => {
    expect(counterRate({ value: 1_000, at: 0 }, { value: 61_000, at: 60_000 }, 64)).toBe(1_000);
  });

  it("carries a 64-bit wrap from the top of the range exactly (bigint readings)", () => {
    const before = 2n ** 64n - 1_000n;
    expect(counterRate({ value: before, at: 0 }, { value: 9_000n, at: 10_000 }, 64)).toBe(1_000);
  });

  it("carries a 32-bit wrap anywhere in the range", () => {
    expect(counterRate({ value: 2 ** 32 - 100, at: 0 }, { value: 900, at: 1_000 }, 32)).toBe(1_000);
    expect(counterRate({ value: 3e9, at: 0 }, { value: 1e9, at: 10_000 }, 32)).toBeCloseTo(
      (2 ** 32 - 2e9) / 10,
    );
  });

  it("gives no figure when a 64-bit counter goes back from below 2^63 (a reset, not a wrap)", () => {
    expect(counterRate({ value: 2 ** 40, at: 0 }, { value: 10, at: 1_000 }, 64)).toBeNull();
    expect(counterRate({ value: 1_215_394_863, at: 0 }, { value: 5, at: 60_000 }, 64)).toBeNull();
  });

  it("gives no figure across a device restart (sysUpTime went back or is below the interval)", () => {
    // The counter restarted and grew past its old value: without the uptime this would look sane.
    expect(
      counterRate(
        { value: 5_000, at: 0, uptime: 86_400 },
        { value: 9_000, at: 60_000, uptime: 30 },
        64,
      ),
    ).toBeNull();
    expect(
      counterRate(
        { value: 5_000, at: 0, uptime: 86_400 },
        { value: 100, at: 60_000, uptime: 86_000 },
        32,
      ),
    ).toBeNull();
    // Uptime moving on: a rate.
    expect(
      counterRate(
        { value: 5_000, at: 0, uptime: 86_400 },
        { value: 65_000, at: 60_000, uptime: 86_460 },
        64,
      ),
    ).toBe(1_000);
  });

  it("refuses readings the width cannot hold, negative or not finite", () => {
    expect(
      counterRate({ value: 2 ** 33, at: 0 }, { value: 2 ** 33 + 1, at: 1_000 }, 32),
    ).toBeNull();
    expect(counterRate({ value: -1, at: 0 }, { value: 5, at: 1_000 }, 64)).toBeNull();
    expect(counterRate({ value: Number.NaN, at: 0 }, { value: 5, at: 1_000 }, 64)).toBeNull();
  });

  it("never yields a negative or a spike over a random walk of wraps and resets", () => {
    let value = 2n ** 64n - 10_000_000n;
    let uptime = 1_000;
    let previous = { value, at: 0, uptime };
    for (let step = 1; step <= 500; step++) {
      const reboot = step % 97 === 0;
      const clear = step % 53 === 0;
      if (reboot) {
        value = 0n;
        uptime = 3;
      } else if (clear) value = 0n;
      else {
        value = (value + 125_000_000n) % 2n ** 64n;
        uptime += 1;
      }
      const current = { value, at: step * 1_000, uptime };
      const rate = counterRate(previous, current, 64);
      if (rate !== null) {
        expect(rate).toBeGreaterThanOrEqual(0);
        expect(rate).toBeLessThanOrEqual(125_000_000);
      }
      previous = current;
    }
  });
});
