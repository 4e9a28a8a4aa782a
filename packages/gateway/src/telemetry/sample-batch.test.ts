import { SampleBatch } from "@omniglass/contracts";
import { describe, expect, it } from "vitest";
import { parseSampleBatch } from "./sample-batch";

const node = "0b6f3e36-5f4c-4a7e-9a43-0d8c2b1e4f10";
const component = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const good = {
  node,
  batchId: "b-1",
  samples: [
    { component, signal: "cpu-load", instance: "cpu-0", ts: 1_700_000_000_000, value: 12.5 },
    { component, signal: "power-state", ts: 1_700_000_000_001, value: "on", extra: 1 },
    { component, signal: "reachable", instance: "", ts: 1_700_000_000_002, value: true },
  ],
  rejections: [],
};

/** Both parsers give the same value, or both throw the same message. */
function same(raw: unknown) {
  let expected: unknown;
  let expectedError: string | null = null;
  try {
    expected = SampleBatch.parse(raw);
  } catch (error) {
    expectedError = (error as Error).message;
  }
  if (expectedError !== null) {
    expect(() => parseSampleBatch(raw)).toThrow(expectedError);
  } else {
    expect(parseSampleBatch(raw)).toStrictEqual(expected);
  }
  return expectedError === null;
}

const withSample = (patch: Record<string, unknown>) => ({
  ...good,
  samples: [{ ...good.samples[0], ...patch }],
});

describe("parseSampleBatch", () => {
  it("gives what SampleBatch.parse gives for good batches (defaults, stripped keys)", () => {
    expect(same(good)).toBe(true);
    expect(same({ node, batchId: "x", samples: [] })).toBe(true);
    expect(same({ ...good, extra: true })).toBe(true);
    expect(same(withSample({ value: { a: [1, 2] } }))).toBe(true);
    expect(same(withSample({ value: [1, "a"] }))).toBe(true);
    expect(same(withSample({ value: 0 }))).toBe(true);
    expect(same(withSample({ value: -3.25e-7 }))).toBe(true);
    expect(same(withSample({ component: "00000000-0000-0000-0000-000000000000" }))).toBe(true);
    expect(
      same({
        ...good,
        rejections: [
          {
            component,
            signal: "cpu-load",
            ts: 1,
            reason: "device-error",
            detail: "no answer",
            extra: 1,
          },
        ],
      }),
    ).toBe(true);
    expect(parseSampleBatch(good).samples[1]).toStrictEqual({
      component,
      signal: "power-state",
      instance: "",
      ts: 1_700_000_000_001,
      value: "on",
    });
  });

  it("refuses what SampleBatch.parse refuses, with its message", () => {
    const bad: unknown[] = [
      null,
      [],
      "batch",
      { ...good, node: "not-a-uuid" },
      { ...good, node: "7c9e6679-7425-00de-944b-e07fc1f90ae7" },
      { ...good, batchId: "" },
      { ...good, batchId: "x".repeat(101) },
      { ...good, samples: "none" },
      { ...good, samples: [null] },
      { ...good, rejections: [{ component }] },
      { ...good, rejections: "none" },
      withSample({ component: 7 }),
      withSample({ component: "7c9e6679-7425-40de-144b-e07fc1f90ae7" }),
      withSample({ signal: "" }),
      withSample({ signal: "CPU" }),
      withSample({ signal: "-cpu" }),
      withSample({ signal: "a".repeat(101) }),
      withSample({ instance: "a b" }),
      withSample({ instance: "a".repeat(101) }),
      withSample({ instance: 3 }),
      withSample({ ts: 0 }),
      withSample({ ts: -1 }),
      withSample({ ts: 1.5 }),
      withSample({ ts: "1" }),
      withSample({ ts: 2 ** 53 }),
      withSample({ value: Number.NaN }),
      withSample({ value: Number.POSITIVE_INFINITY }),
      withSample({ value: null }),
      withSample({ value: undefined }),
    ];
    for (const raw of bad) expect(same(raw)).toBe(false);
  });

  it("gives the same for a full 1,000-sample batch", () => {
    const big = {
      node,
      batchId: "big",
      samples: Array.from({ length: 1_000 }, (_, i) => ({
        component,
        signal: "cpu-load",
        instance: `cpu-${i % 10}`,
        ts: 1_700_000_000_000 + i,
        value: i / 10,
      })),
    };
    expect(parseSampleBatch(big)).toStrictEqual(SampleBatch.parse(big));
  });
});
