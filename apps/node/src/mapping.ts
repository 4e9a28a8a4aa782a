import {
  INDEX_INSTANCE,
  type NodeRejection,
  type NodeSample,
  type SampleValue,
  type TemplateFunction,
  type TemplateOutput,
  type Worklist,
} from "@omniglass/contracts";
import { counterKey, type CounterMemory } from "./counters";

/*
 * Output mapping (pure): a device's answer, as a driver decoded it, turned into samples by the
 * function's outputs (TemplateOutput): from → raw, ÷ per, × scale, + Σ plus, or map. A raw value
 * the output cannot use is a NodeRejection (device-error) with a precise detail, never a throw.
 */

/** A raw value as a driver hands it over: JSON values, plus bigint (SNMP Counter64). */
export type Raw = string | number | boolean | bigint | null | Raw[] | { [key: string]: Raw };

/** One row of named raw values: an SNMP get (index ""), a walk row (its index), regex groups. */
export interface RecordRow {
  index: string;
  values: Record<string, Raw | undefined>;
}

export type Answer =
  /**
   * Named values (snmp oids, regex named groups, icmp reachable/rtt); `undefined` = absent.
   * `uptime`: the device's uptime in seconds read with the answer (SNMP sysUpTime, asked for when
   * an output is a counter), so a restart between two readings gives no rate.
   */
  | { type: "record"; rows: RecordRow[]; uptime?: number | null }
  /** A JSON document read with JSON pointers (http json, qrc result). */
  | { type: "json"; document: Raw }
  /** A PJLink answer's value: `value`, `char:N`, `field:N`. */
  | { type: "pjlink"; value: string }
  /** The whole answer failed to parse for every output (e.g. a pattern that does not match). */
  | { type: "malformed"; detail: string };

export interface MappingContext {
  component: string;
  /** When the device was read (epoch ms). */
  ts: number;
  /** The lane and type of the signals produced (the worklist's `signals`), by name. */
  signals?: Worklist["signals"];
  /** The last counter readings (outputs with `counter`); without it a counter gives no value. */
  counters?: CounterMemory;
}

/**
 * A text answer made into the type its signal takes: numeric text for a metric or an integer
 * property (PJLink's `LAMP` hours, a console's counter), `true`/`false` for a boolean. Anything
 * else passes as it is, and the worker refuses it if it does not fit (never guessed at here).
 */
export function toSignalType(
  value: SampleValue,
  type: Worklist["signals"][string] | undefined,
): SampleValue {
  if (typeof value !== "string" || !type) return value;
  const text = value.trim();
  if ((type.valueType === "number" || type.valueType === "integer") && NUMERIC.test(text))
    return Number(text);
  if (type.valueType === "boolean" && (text === "true" || text === "false")) return text === "true";
  return value;
}

export interface MappingResult {
  samples: NodeSample[];
  rejections: NodeRejection[];
}

type Lookup = { ok: true; raw: Raw } | { ok: false; detail: string } | { ok: "absent" };

/** RFC 6901: `` is the whole document, `/a/0/b` walks objects and arrays. */
export function readPointer(document: Raw, pointer: string): Lookup {
  if (pointer === "") return { ok: true, raw: document };
  if (!pointer.startsWith("/")) return { ok: false, detail: `${pointer}: not a JSON pointer` };
  let at: Raw = document;
  let walked = "";
  for (const token of pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"))) {
    if (Array.isArray(at)) {
      const i = /^(0|[1-9]\d*)$/.test(token) ? Number(token) : -1;
      if (i < 0 || i >= at.length)
        return { ok: false, detail: `${pointer}: no element ${token} at ${walked || "/"}` };
      at = at[i]!;
    } else if (at !== null && typeof at === "object") {
      if (!Object.prototype.hasOwnProperty.call(at, token))
        return { ok: false, detail: `${pointer}: no member "${token}" at ${walked || "/"}` };
      at = at[token]!;
    } else {
      return {
        ok: false,
        detail: `${pointer}: ${walked || "/"} is ${describe(at)}, not a container`,
      };
    }
    walked += `/${token}`;
  }
  return { ok: true, raw: at };
}

/** PJLink `from`: `value` (the whole), `char:N` (one character), `field:N` (space-separated). */
export function readPjlink(value: string, from: string): Lookup {
  if (from === "value") return { ok: true, raw: value };
  const match = /^(char|field):(\d+)$/.exec(from);
  if (!match) return { ok: false, detail: `${from}: not value, char:N or field:N` };
  const n = Number(match[2]);
  if (match[1] === "char") {
    return n < value.length
      ? { ok: true, raw: value[n]! }
      : {
          ok: false,
          detail: `${from}: the answer "${clip(value)}" has ${value.length} characters`,
        };
  }
  const fields = value.trim().split(/\s+/).filter(Boolean);
  return n < fields.length
    ? { ok: true, raw: fields[n]! }
    : { ok: false, detail: `${from}: the answer "${clip(value)}" has ${fields.length} fields` };
}

function lookup(answer: Answer, row: RecordRow | null, from: string): Lookup {
  switch (answer.type) {
    case "json":
      return readPointer(answer.document, from);
    case "pjlink":
      return readPjlink(answer.value, from);
    case "malformed":
      return { ok: false, detail: answer.detail };
    case "record": {
      const raw = row?.values[from];
      if (raw === undefined) {
        // A name the row has but without a value (an optional regex group, icmp rtt when
        // unreachable) is absent: no sample, no rejection. A name it lacks is a device error.
        return row && from in row.values
          ? { ok: "absent" }
          : {
              ok: false,
              detail: `${from}: not in the answer${row?.index ? ` (row ${row.index})` : ""}`,
            };
      }
      return { ok: true, raw };
    }
  }
}

/** The raw value as text, the key of a `map`: numbers in shortest form, booleans as true/false. */
export function rawText(raw: Raw): string {
  if (typeof raw === "string") return raw;
  if (typeof raw === "number" || typeof raw === "boolean" || typeof raw === "bigint")
    return String(raw);
  return JSON.stringify(raw, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A raw value as a number for arithmetic, or why it is not one. */
export function rawNumber(
  raw: Raw,
  from: string,
): { ok: true; n: number } | { ok: false; detail: string } {
  if (typeof raw === "number" && Number.isFinite(raw)) return { ok: true, n: raw };
  if (typeof raw === "bigint") return { ok: true, n: Number(raw) };
  if (typeof raw === "string" && NUMERIC.test(raw.trim()))
    return { ok: true, n: Number(raw.trim()) };
  return { ok: false, detail: `${from}: ${describe(raw)} is not a number` };
}

/** A raw value passed through as a sample's value (no transform). */
function asValue(
  raw: Raw,
  from: string,
): { ok: true; value: SampleValue } | { ok: false; detail: string } {
  if (raw === null) return { ok: false, detail: `${from}: the device answered null` };
  if (typeof raw === "bigint") return { ok: true, value: Number(raw) };
  if (typeof raw === "number" && !Number.isFinite(raw))
    return { ok: false, detail: `${from}: ${raw} is not a finite number` };
  if (typeof raw === "object" && !Array.isArray(raw))
    return { ok: true, value: raw as Record<string, unknown> };
  return { ok: true, value: raw as SampleValue };
}

function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function describe(raw: Raw | undefined): string {
  if (raw === undefined) return "nothing";
  if (raw === null) return "null";
  if (Array.isArray(raw)) return "an array";
  if (typeof raw === "object") return "an object";
  if (typeof raw === "string") return `"${clip(raw)}"`;
  return `${typeof raw} ${String(raw)}`;
}

/** One output on one row: its value, absent, or why not. */
export function mapOutput(
  output: TemplateOutput,
  answer: Answer,
  row: RecordRow | null,
): { ok: true; value: SampleValue } | { ok: "absent" } | { ok: false; detail: string } {
  const from = lookup(answer, row, output.from);
  if (from.ok !== true) return from;
  const raw = from.raw;

  if (output.map) {
    const key = rawText(raw);
    if (!Object.prototype.hasOwnProperty.call(output.map, key)) {
      const keys = Object.keys(output.map);
      return {
        ok: false,
        detail: `${output.from}: ${describe(raw)} is not in the map (${clip(keys.join(", "), 120)})`,
      };
    }
    return { ok: true, value: output.map[key]! };
  }

  const arithmetic =
    output.scale !== undefined || output.per !== undefined || output.plus !== undefined;
  if (!arithmetic) return asValue(raw, output.from);

  const base = rawNumber(raw, output.from);
  if (!base.ok) return base;
  let value = base.n;
  if (output.per !== undefined) {
    const per = lookup(answer, row, output.per);
    if (per.ok === "absent") return { ok: false, detail: `${output.per}: absent (per)` };
    if (!per.ok) return per;
    const divisor = rawNumber(per.raw, output.per);
    if (!divisor.ok) return divisor;
    if (divisor.n === 0) return { ok: false, detail: `${output.per}: divides by zero (per)` };
    value /= divisor.n;
  }
  value *= output.scale ?? 1;
  for (const term of output.plus ?? []) {
    const found = lookup(answer, row, term.from);
    if (found.ok === "absent") return { ok: false, detail: `${term.from}: absent (plus)` };
    if (!found.ok) return found;
    const n = rawNumber(found.raw, term.from);
    if (!n.ok) return n;
    value += n.n * term.scale;
  }
  if (!Number.isFinite(value))
    return { ok: false, detail: `${output.from}: the result is not finite` };
  return { ok: true, value: roundFloat(value) };
}

/** 0.01 × 12345 is 123.45000000000002 in binary: keep 12 significant digits. */
function roundFloat(n: number): number {
  return Number.isInteger(n) ? n : Number(n.toPrecision(12));
}

function instanceOf(output: TemplateOutput, row: RecordRow | null): string {
  if (output.instance === undefined) return "";
  if (output.instance === INDEX_INSTANCE) return row?.index ?? "";
  return output.instance;
}

/** Every output of `fn` over `answer`: the samples, and a rejection for each value it cannot make. */
/** A counter output's raw reading: a non-negative integer, exact when the driver gave a bigint. */
function counterReading(
  output: TemplateOutput,
  answer: Answer,
  row: RecordRow | null,
): { ok: true; n: number | bigint } | { ok: "absent" } | { ok: false; detail: string } {
  const from = lookup(answer, row, output.from);
  if (from.ok !== true) return from;
  const raw = from.raw;
  if (typeof raw === "bigint") return raw >= 0n ? { ok: true, n: raw } : negative(raw, output);
  const n = rawNumber(raw, output.from);
  if (!n.ok) return n;
  if (!Number.isInteger(n.n) || n.n < 0) return negative(n.n, output);
  return { ok: true, n: n.n };
}

function negative(raw: number | bigint, output: TemplateOutput) {
  return {
    ok: false as const,
    detail: `${output.from}: ${String(raw)} is not a counter (a non-negative integer)`,
  };
}

/**
 * A counter output on one row: its rate since the previous reading of the same series × scale,
 * or absent (the first reading, a restart, a reset) — never a rejection for want of history.
 */
function mapCounter(
  fn: TemplateFunction,
  output: TemplateOutput & { counter: 32 | 64 },
  answer: Answer,
  row: RecordRow | null,
  instance: string,
  ctx: MappingContext,
): ReturnType<typeof mapOutput> {
  const reading = counterReading(output, answer, row);
  if (reading.ok !== true) return reading;
  if (!ctx.counters) return { ok: "absent" };
  const uptime = answer.type === "record" ? (answer.uptime ?? null) : null;
  const rate = ctx.counters.rate(
    counterKey(ctx.component, fn.name, output.signal, instance),
    { value: reading.n, at: ctx.ts, uptime },
    output.counter,
  );
  if (rate === null) return { ok: "absent" };
  return { ok: true, value: roundFloat(rate * (output.scale ?? 1)) };
}

export function mapAnswer(
  fn: TemplateFunction,
  answer: Answer,
  ctx: MappingContext,
): MappingResult {
  const result: MappingResult = { samples: [], rejections: [] };
  const rows: (RecordRow | null)[] = answer.type === "record" ? answer.rows : [null];
  for (const row of rows) {
    for (const output of fn.outputs) {
      const instance = instanceOf(output, row);
      const mapped =
        output.counter !== undefined
          ? mapCounter(fn, { ...output, counter: output.counter }, answer, row, instance, ctx)
          : mapOutput(output, answer, row);
      if (mapped.ok === "absent") continue;
      if (mapped.ok) {
        result.samples.push({
          component: ctx.component,
          signal: output.signal,
          instance,
          ts: ctx.ts,
          value: toSignalType(mapped.value, ctx.signals?.[output.signal]),
        });
      } else {
        result.rejections.push({
          component: ctx.component,
          signal: output.signal,
          instance,
          ts: ctx.ts,
          reason: "device-error",
          detail: clip(`${fn.name}: ${mapped.detail}`, 500),
        });
      }
    }
  }
  return result;
}
