import { describe, expect, it } from "vitest";
import { checkJsonSchema, checkSampleValue, type SampleSignal } from "./samples";

const metric: SampleSignal = {
  name: "cpu-load",
  lane: "metric",
  valueType: "number",
  schema: null,
};
const power: SampleSignal = {
  name: "power-state",
  lane: "property",
  valueType: "string",
  schema: { type: "string", enum: ["on", "standby", "off"] },
};

describe("checkSampleValue", () => {
  it("takes finite numbers for a metric and names the signal otherwise", () => {
    expect(checkSampleValue(metric, 12.5)).toBeNull();
    expect(checkSampleValue(metric, -3)).toBeNull();
    expect(checkSampleValue(metric, "12")).toMatch(/^cpu-load: .*finite number/);
    expect(checkSampleValue(metric, Number.NaN)).toMatch(/cpu-load/);
    expect(checkSampleValue(metric, Number.POSITIVE_INFINITY)).toMatch(/cpu-load/);
    expect(checkSampleValue(metric, true)).toMatch(/cpu-load/);
  });

  it("checks a property's value type", () => {
    const flag: SampleSignal = {
      name: "reachable",
      lane: "property",
      valueType: "boolean",
      schema: null,
    };
    expect(checkSampleValue(flag, true)).toBeNull();
    expect(checkSampleValue(flag, "true")).toMatch(/^reachable: expected a boolean/);
    const count: SampleSignal = {
      name: "inputs",
      lane: "property",
      valueType: "integer",
      schema: null,
    };
    expect(checkSampleValue(count, 3)).toBeNull();
    expect(checkSampleValue(count, 3.5)).toMatch(/integer/);
    const text: SampleSignal = {
      name: "firmware",
      lane: "property",
      valueType: "string",
      schema: null,
    };
    expect(checkSampleValue(text, "1.2")).toBeNull();
    expect(checkSampleValue(text, 1.2)).toMatch(/string/);
    const doc: SampleSignal = {
      name: "inventory",
      lane: "property",
      valueType: "json",
      schema: null,
    };
    expect(checkSampleValue(doc, { a: [1, 2] })).toBeNull();
    expect(checkSampleValue(doc, "x")).toBeNull();
  });

  it("applies the signal's schema: enum, type, bounds, pattern, lengths", () => {
    expect(checkSampleValue(power, "on")).toBeNull();
    expect(checkSampleValue(power, "warming")).toMatch(
      /^power-state: "warming" is not one of "on"/,
    );
    const level: SampleSignal = {
      name: "volume",
      lane: "property",
      valueType: "integer",
      schema: { type: "integer", minimum: 0, maximum: 100 },
    };
    expect(checkSampleValue(level, 0)).toBeNull();
    expect(checkSampleValue(level, 100)).toBeNull();
    expect(checkSampleValue(level, -1)).toMatch(/below the minimum 0/);
    expect(checkSampleValue(level, 101)).toMatch(/above the maximum 100/);
    const serial: SampleSignal = {
      name: "serial",
      lane: "property",
      valueType: "string",
      schema: { pattern: "^[A-Z0-9]+$", maxLength: 8 },
    };
    expect(checkSampleValue(serial, "AB12")).toBeNull();
    expect(checkSampleValue(serial, "ab12")).toMatch(/does not match/);
    expect(checkSampleValue(serial, "ABCDEFGHI")).toMatch(/more than the maximum 8/);
  });
});

describe("checkJsonSchema", () => {
  it("handles type lists, const, exclusive bounds and minLength; ignores unknown keywords", () => {
    expect(checkJsonSchema(null, { type: ["string", "null"] })).toBeNull();
    expect(checkJsonSchema(1, { type: ["string", "null"] })).toMatch(/expected string or null/);
    expect(checkJsonSchema(3, { type: "number" })).toBeNull();
    expect(checkJsonSchema({ a: 1 }, { const: { a: 1 } })).toBeNull();
    expect(checkJsonSchema({ a: 2 }, { const: { a: 1 } })).toMatch(/is not/);
    expect(checkJsonSchema(5, { exclusiveMaximum: 5 })).toMatch(/not below 5/);
    expect(checkJsonSchema("", { minLength: 1 })).toMatch(/fewer than/);
    expect(checkJsonSchema("x", { format: "email", title: "t" })).toBeNull();
    // An invalid pattern is not the sample's fault.
    expect(checkJsonSchema("x", { pattern: "(" })).toBeNull();
  });
});
