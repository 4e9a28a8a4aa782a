import { describe, expect, it } from "vitest";
import { describeSchema, formatDuration, formatQuantity, meaningOf, plural } from "./format";

describe("console formatting", () => {
  it("says durations in the two largest units", () => {
    expect(formatDuration(1_536_947)).toBe("17 d 18 h");
    expect(formatDuration(12.4)).toBe("12 s");
    expect(formatDuration(3 * 3600 + 120)).toBe("3 h 2 min");
    expect(formatDuration(3600)).toBe("1 h");
    expect(formatDuration(86_400 + 5)).toBe("1 d");
  });

  it("reads a quantity in seconds as a duration", () => {
    expect(formatQuantity(1_536_947, "s", 0)).toBe("17 d 18 h");
    expect(formatQuantity(41.456, "°C", 1)).toBe("41.5 °C");
    expect(formatQuantity(12, "s", 0)).toBe("12 s");
  });

  it("counts in words", () => {
    expect(plural(1, "change")).toBe("1 change");
    expect(plural(3, "change")).toBe("3 changes");
  });

  it("says a schema humanly", () => {
    expect(describeSchema({ type: "boolean" })).toBe("true or false");
    expect(describeSchema({ type: "string", enum: ["on", "off"] })).toBe("one of on, off");
    expect(describeSchema({ type: "string" })).toBe("text");
    expect(describeSchema(null)).toBe("");
  });

  it("takes a state's meaning from the definition, neutral otherwise", () => {
    const schema = { enum: ["on", "off"], "x-meaning": { on: "good", off: "bad" } };
    expect(meaningOf(schema, "on")).toBe("good");
    expect(meaningOf(schema, "off")).toBe("bad");
    expect(meaningOf({ enum: ["on"] }, "on")).toBe("neutral");
  });
});
