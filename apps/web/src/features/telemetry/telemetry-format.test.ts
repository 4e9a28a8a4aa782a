import { describe, expect, it } from "vitest";
import {
  bandsOf,
  changesOf,
  formatAgeSeconds,
  formatSampleValue,
  gapsIn,
} from "./telemetry-format";

describe("telemetry formatting", () => {
  it("formats values with unit and precision", () => {
    expect(formatSampleValue(41.456, "°C", 1)).toBe("41.5 °C");
    expect(formatSampleValue(3, null, null)).toBe("3");
    expect(formatSampleValue(0.12345, "%", null)).toBe("0.123 %");
    expect(formatSampleValue(1_536_947, "s", 0)).toBe("17 d 18 h");
    expect(formatSampleValue("hdmi-1")).toBe("hdmi-1");
    expect(formatSampleValue(false)).toBe("false");
    expect(formatSampleValue(null, "W", 0)).toBe("—");
    expect(formatSampleValue({ a: "x".repeat(100) })).toHaveLength(80);
  });

  it("reads ages like a person", () => {
    expect(formatAgeSeconds(12.4)).toBe("12 s ago");
    expect(formatAgeSeconds(-3)).toBe("0 s ago");
    expect(formatAgeSeconds(125)).toBe("2 min 5 s ago");
    expect(formatAgeSeconds(3 * 3600 + 120)).toBe("3 h 2 min ago");
    expect(formatAgeSeconds(3 * 86_400)).toBe("3 d ago");
  });

  it("breaks a line where samples are missing", () => {
    expect([...gapsIn([0, 10, 20, 30, 100, 110, 120])]).toEqual([4]);
    expect([...gapsIn([0, 10, 20])]).toEqual([]);
  });

  it("keeps only a property's changes", () => {
    const points = ["on", "on", "off", "off", "on"].map((value, i) => ({ ts: String(i), value }));
    expect(changesOf(points).map((p) => `${p.ts}:${p.value}`)).toEqual(["0:on", "2:off", "4:on"]);
  });

  it("leaves a gap in a state band where samples stop", () => {
    const at = (s: number) => new Date(s * 1000).toISOString();
    // standby every 10 s, then nothing for 150 s (unreachable), then standby again.
    const points = [0, 10, 20, 30, 180, 190, 200].map((s) => ({ ts: at(s), value: "standby" }));
    const bands = bandsOf(points, 210_000);
    expect(bands.map((b) => [b.startMs / 1000, b.endMs / 1000])).toEqual([
      [0, 40],
      [180, 210],
    ]);
  });
});
