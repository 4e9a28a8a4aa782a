import { describe, expect, it } from "vitest";
import { canonicalJson, modelOf, sortKeys } from "./model";
import { shuffleKeys } from "./__fixtures__/state";

describe("canonicalJson", () => {
  it("is the JSON of the sorted copy, whether or not the value is sorted already", () => {
    const values: unknown[] = [
      { b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } },
      { "10": "ten", "9": "nine", a: 1 },
      { a: undefined, b: [undefined, 1], c: { e: 1, d: 2 } },
      { at: new Date(0), list: [{ b: 1, a: 2 }] },
      [1, "two", { c: 3, b: 2, a: 1 }],
      "text",
      null,
      { nested: { deeper: { deepest: { z: 1, a: 2 } } } },
    ];
    for (const [i, value] of values.entries()) {
      const expected = JSON.stringify(sortKeys(value));
      expect(canonicalJson(value)).toBe(expected);
      expect(canonicalJson(sortKeys(value))).toBe(expected);
      expect(canonicalJson(shuffleKeys(value, i))).toBe(expected);
    }
    const model = modelOf({ "location.b": { kind: "location", existing: true } });
    expect(canonicalJson(model)).toBe(JSON.stringify(sortKeys(model)));
  });
});
