import { describe, expect, it } from "vitest";
import {
  TemplateDocument,
  TemplateFunction,
  type TemplateDocumentInput,
  type TemplateOutput,
} from "@omniglass/contracts";
import {
  mapAnswer,
  mapOutput,
  readPjlink,
  toSignalType,
  readPointer,
  type Answer,
  type RecordRow,
} from "./mapping";
import { CounterMemory } from "./counters";
import { loadTemplate } from "./testing";

const COMPONENT = "0190f5a0-0000-7000-8000-000000000001";
const ctx = { component: COMPONENT, ts: 1_700_000_000_000 };

function fn(request: unknown, outputs: unknown[]): TemplateFunction {
  return TemplateFunction.parse({ name: "f", interface: "i", interval: "30s", request, outputs });
}
const out = (o: Partial<TemplateOutput> & { from: string }): TemplateOutput => ({
  signal: "s",
  ...o,
});
const json = (
  document: Answer extends infer A
    ? A extends { type: "json"; document: infer D }
      ? D
      : never
    : never,
): Answer => ({ type: "json", document });
const firstRow = (answer: Answer): RecordRow => {
  if (answer.type !== "record") throw new Error("not a record answer");
  return answer.rows[0]!;
};
const record = (values: Record<string, unknown>, index = ""): Answer => ({
  type: "record",
  rows: [{ index, values: values as Record<string, never> }],
});

describe("output mapping", () => {
  it("gives text answers the type of their signal, and leaves what does not fit for the worker to refuse", () => {
    const metric = { lane: "metric", valueType: "number" } as const;
    expect(toSignalType("953", metric)).toBe(953);
    expect(toSignalType(" 12.5 ", metric)).toBe(12.5);
    expect(toSignalType("lots", metric)).toBe("lots");
    expect(toSignalType("7", { lane: "property", valueType: "integer" })).toBe(7);
    expect(toSignalType("true", { lane: "property", valueType: "boolean" })).toBe(true);
    // A version stays text: its signal is a string.
    expect(toSignalType("1.5", { lane: "property", valueType: "string" })).toBe("1.5");
    expect(toSignalType("1.5", undefined)).toBe("1.5");
    // PJLink LAMP hours through a whole function: field:0 of "953 1" is the metric 953.
    const lamp = fn({ protocol: "pjlink", command: "LAMP" }, [
      { signal: "lamp-hours", from: "field:0" },
    ]);
    const mapped = mapAnswer(
      lamp,
      { type: "pjlink", value: "953 1" },
      { ...ctx, signals: { "lamp-hours": metric } },
    );
    expect(mapped.samples.map((s) => s.value)).toEqual([953]);
  });

  it("passes a raw value through when nothing transforms it", () => {
    expect(mapOutput(out({ from: "/power" }), json({ power: "on" }), null)).toEqual({
      ok: true,
      value: "on",
    });
    expect(mapOutput(out({ from: "/t" }), json({ t: 41.5 }), null)).toEqual({
      ok: true,
      value: 41.5,
    });
    expect(mapOutput(out({ from: "/m" }), json({ m: false }), null)).toEqual({
      ok: true,
      value: false,
    });
    expect(mapOutput(out({ from: "/o" }), json({ o: { a: 1 } }), null)).toEqual({
      ok: true,
      value: { a: 1 },
    });
  });

  it("reads JSON pointers with escapes and array indices, and says where one is missing", () => {
    expect(readPointer({ "a/b": { "c~d": [1, 2] } }, "/a~1b/c~0d/1")).toEqual({ ok: true, raw: 2 });
    expect(readPointer({ a: 1 }, "")).toEqual({ ok: true, raw: { a: 1 } });
    expect(readPointer({ a: {} }, "/a/b")).toEqual({
      ok: false,
      detail: '/a/b: no member "b" at /a',
    });
    expect(readPointer({ a: [1] }, "/a/3")).toMatchObject({
      ok: false,
      detail: "/a/3: no element 3 at /a",
    });
    expect(readPointer({ a: 5 }, "/a/b")).toMatchObject({
      ok: false,
      detail: expect.stringContaining("not a container"),
    });
  });

  it("scales, divides by per, and adds plus terms", () => {
    const ticks = record({ t: 12345 });
    expect(mapOutput(out({ from: "t", scale: 0.01 }), ticks, firstRow(ticks))).toEqual({
      ok: true,
      value: 123.45,
    });
    const row = { index: "3", values: { used: 50, size: 200 } };
    expect(
      mapOutput(
        out({ from: "used", per: "size", scale: 100 }),
        { type: "record", rows: [row] },
        row,
      ),
    ).toEqual({ ok: true, value: 25 });
    const uptime = out({
      from: "days",
      scale: 86400,
      plus: [
        { from: "hours", scale: 3600 },
        { from: "minutes", scale: 60 },
        { from: "seconds", scale: 1 },
      ],
    });
    const answer = record({ days: "3", hours: "4", minutes: "12", seconds: "9" });
    expect(mapOutput(uptime, answer, firstRow(answer))).toEqual({
      ok: true,
      value: 3 * 86400 + 4 * 3600 + 12 * 60 + 9,
    });
  });

  it("takes numeric text and bigints for arithmetic, and rejects the rest", () => {
    expect(mapOutput(out({ from: "/v", scale: 2 }), json({ v: " 21 " }), null)).toEqual({
      ok: true,
      value: 42,
    });
    const big: Answer = { type: "record", rows: [{ index: "", values: { c: 2n ** 40n } }] };
    expect(mapOutput(out({ from: "c", scale: 1 }), big, firstRow(big))).toEqual({
      ok: true,
      value: 2 ** 40,
    });
    expect(mapOutput(out({ from: "/v", scale: 2 }), json({ v: "warm" }), null)).toEqual({
      ok: false,
      detail: '/v: "warm" is not a number',
    });
  });

  it("rejects a zero divisor and a missing per or plus value", () => {
    const a = record({ used: 1, size: 0 });
    const row = firstRow(a);
    expect(mapOutput(out({ from: "used", per: "size" }), a, row)).toEqual({
      ok: false,
      detail: "size: divides by zero (per)",
    });
    expect(mapOutput(out({ from: "used", per: "nope" }), a, row)).toMatchObject({
      ok: false,
      detail: expect.stringContaining("nope"),
    });
    expect(
      mapOutput(out({ from: "used", scale: 1, plus: [{ from: "x", scale: 1 }] }), a, row),
    ).toMatchObject({ ok: false });
  });

  it("maps raw values as text, and a value missing from the map is an error", () => {
    const map = { "0": "standby", "1": "on" };
    expect(mapOutput(out({ from: "value", map }), { type: "pjlink", value: "1" }, null)).toEqual({
      ok: true,
      value: "on",
    });
    expect(
      mapOutput(out({ from: "/m", map: { "0": false, "1": true } }), json({ m: 1 }), null),
    ).toEqual({ ok: true, value: true });
    expect(mapOutput(out({ from: "/b", map: { true: "yes" } }), json({ b: true }), null)).toEqual({
      ok: true,
      value: "yes",
    });
    expect(mapOutput(out({ from: "value", map }), { type: "pjlink", value: "7" }, null)).toEqual({
      ok: false,
      detail: 'value: "7" is not in the map (0, 1)',
    });
  });

  it("reads PJLink value, char:N and field:N", () => {
    expect(readPjlink("021000", "char:1")).toEqual({ ok: true, raw: "2" });
    expect(readPjlink("1234 1 567 0", "field:2")).toEqual({ ok: true, raw: "567" });
    expect(readPjlink("31", "value")).toEqual({ ok: true, raw: "31" });
    expect(readPjlink("02", "char:5")).toMatchObject({
      ok: false,
      detail: expect.stringContaining("2 characters"),
    });
    expect(readPjlink("12", "field:1")).toMatchObject({
      ok: false,
      detail: expect.stringContaining("1 fields"),
    });
  });

  it("rejects null and non-finite raw values", () => {
    expect(mapOutput(out({ from: "/v" }), json({ v: null }), null)).toMatchObject({
      ok: false,
      detail: "/v: the device answered null",
    });
  });

  it("gives walk rows their index as instance, fixed instances as written, and the single series ''", () => {
    const walk = fn({ protocol: "snmp", operation: "walk", columns: ["1.3.6.1.2.1.2.2.1.8"] }, [
      {
        signal: "link-state",
        from: "1.3.6.1.2.1.2.2.1.8",
        instance: "{index}",
        map: { "1": "up", "2": "down" },
      },
    ]);
    const answer: Answer = {
      type: "record",
      rows: [
        { index: "1", values: { "1.3.6.1.2.1.2.2.1.8": 1 } },
        { index: "2", values: { "1.3.6.1.2.1.2.2.1.8": 2 } },
        { index: "3", values: { "1.3.6.1.2.1.2.2.1.8": 9 } },
      ],
    };
    const result = mapAnswer(walk, answer, ctx);
    expect(result.samples).toEqual([
      { component: COMPONENT, signal: "link-state", instance: "1", ts: ctx.ts, value: "up" },
      { component: COMPONENT, signal: "link-state", instance: "2", ts: ctx.ts, value: "down" },
    ]);
    expect(result.rejections).toEqual([
      {
        component: COMPONENT,
        signal: "link-state",
        instance: "3",
        ts: ctx.ts,
        reason: "device-error",
        detail: "f: 1.3.6.1.2.1.2.2.1.8: number 9 is not in the map (1, 2)",
      },
    ]);

    const qrc = fn({ protocol: "qrc", method: "Control.Get", params: ["Mic1Level"] }, [
      { signal: "audio-level", from: "/0/Value", instance: "mic-1" },
      { signal: "design-name", from: "/0/String" },
    ]);
    const mapped = mapAnswer(qrc, json([{ Value: -20, String: "-20dB" }]), ctx);
    expect(mapped.samples.map((s) => [s.signal, s.instance, s.value])).toEqual([
      ["audio-level", "mic-1", -20],
      ["design-name", "", "-20dB"],
    ]);
  });

  it("skips an absent value (an optional group that did not match, rtt when unreachable)", () => {
    const text = fn(
      {
        protocol: "text",
        command: "progcomments:1",
        pattern: "(?<status>Program File|No program)(?::(?<file>.+))?",
      },
      [
        {
          signal: "program-running",
          from: "status",
          map: { "Program File": true, "No program": false },
        },
        { signal: "program-name", from: "file" },
      ],
    );
    const result = mapAnswer(text, record({ status: "No program", file: undefined }), ctx);
    expect(result.samples.map((s) => [s.signal, s.value])).toEqual([["program-running", false]]);
    expect(result.rejections).toEqual([]);
  });

  it("turns a malformed answer into one rejection per output, never a throw", () => {
    const status = fn({ protocol: "http", path: "/api/status" }, [
      { signal: "power-state", from: "/power" },
      { signal: "temperature", from: "/temperature" },
    ]);
    const malformed = mapAnswer(
      status,
      { type: "malformed", detail: 'the body is not JSON: "<html>"' },
      ctx,
    );
    expect(malformed.samples).toEqual([]);
    expect(malformed.rejections.map((r) => [r.signal, r.reason, r.detail])).toEqual([
      ["power-state", "device-error", 'f: the body is not JSON: "<html>"'],
      ["temperature", "device-error", 'f: the body is not JSON: "<html>"'],
    ]);
    const partial = mapAnswer(status, json({ power: "on" }), ctx);
    expect(partial.samples).toHaveLength(1);
    expect(partial.rejections[0]).toMatchObject({
      signal: "temperature",
      detail: 'f: /temperature: no member "temperature" at /',
    });
  });
});

describe("counter outputs become rates", () => {
  const walk = fn({ protocol: "snmp", operation: "walk", columns: ["1.3.6.1.2.1.31.1.1.1.6"] }, [
    {
      signal: "if-in-bps",
      from: "1.3.6.1.2.1.31.1.1.1.6",
      instance: "{index}",
      counter: 64,
      scale: 8,
    },
  ]);
  const reading = (octets: bigint, uptime: number | null): Answer => ({
    type: "record",
    rows: [{ index: "1", values: { "1.3.6.1.2.1.31.1.1.1.6": octets } }],
    uptime,
  });
  const at = (s: number) => ({ ...ctx, ts: ctx.ts + s * 1000 });

  it("gives nothing for the first reading, then bits per second between readings", () => {
    const counters = new CounterMemory();
    const first = mapAnswer(walk, reading(1_000_000n, 500), { ...at(0), counters });
    expect(first).toEqual({ samples: [], rejections: [] });
    const second = mapAnswer(walk, reading(8_500_000n, 530), { ...at(30), counters });
    expect(second.rejections).toEqual([]);
    expect(second.samples).toEqual([
      expect.objectContaining({ signal: "if-in-bps", instance: "1", value: 2_000_000 }),
    ]);
  });

  it("carries a 64-bit wrap and gives nothing across a reboot (sysUpTime went back)", () => {
    const counters = new CounterMemory();
    mapAnswer(walk, reading(2n ** 64n - 1_000n, 500), { ...at(0), counters });
    const wrapped = mapAnswer(walk, reading(29_000n, 510), { ...at(10), counters });
    expect(wrapped.samples[0]?.value).toBe(24_000);
    const rebooted = mapAnswer(walk, reading(50_000_000n, 4), { ...at(20), counters });
    expect(rebooted).toEqual({ samples: [], rejections: [] });
    const after = mapAnswer(walk, reading(50_001_000n, 14), { ...at(30), counters });
    expect(after.samples[0]?.value).toBe(800);
  });

  it("a reset without a reboot gives nothing, never a spike of 2^64", () => {
    const counters = new CounterMemory();
    mapAnswer(walk, reading(1_215_394_863n, 500), { ...at(0), counters });
    const reset = mapAnswer(walk, reading(12n, 560), { ...at(60), counters });
    expect(reset).toEqual({ samples: [], rejections: [] });
  });

  it("without a counter memory (a one-off read) a counter gives nothing; a non-counter is refused", () => {
    expect(mapAnswer(walk, reading(5n, 1), at(0))).toEqual({ samples: [], rejections: [] });
    const text: Answer = {
      type: "record",
      rows: [{ index: "1", values: { "1.3.6.1.2.1.31.1.1.1.6": "lots" } }],
    };
    const refused = mapAnswer(walk, text, { ...at(0), counters: new CounterMemory() });
    expect(refused.rejections).toEqual([
      expect.objectContaining({ signal: "if-in-bps", detail: expect.stringContaining("lots") }),
    ]);
  });

  it("the template contract refuses a counter with map, per or plus, and a width other than 32 or 64", async () => {
    const doc = structuredClone(await loadTemplate("snmp-network-switch")) as TemplateDocumentInput;
    const ports = doc.functions.find((f) => f.name === "ports")!;
    const bps = ports.outputs.find((o) => o.signal === "if-in-bps")!;
    bps.per = "1.3.6.1.2.1.2.2.1.8";
    const refused = TemplateDocument.safeParse(doc);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({
      path: ["functions", 1, "outputs", 2, "counter"],
      message: expect.stringContaining("does not combine with map, per or plus"),
    });
    delete bps.per;
    expect(TemplateDocument.safeParse(doc).success).toBe(true);
    (bps as { counter: number }).counter = 16;
    expect(TemplateDocument.safeParse(doc).success).toBe(false);
  });
});
