/*
 * Sample validation (issue #5): is a value acceptable for a signal of the catalog? Pure: the
 * gateway's writer calls it for every sample of a batch, so it allocates nothing on success and
 * compiles each schema's patterns once.
 */

/** What the validator needs to know of a signal (a row of the catalog). */
export interface SampleSignal {
  name: string;
  lane: "metric" | "property";
  valueType: "number" | "string" | "boolean" | "integer" | "json";
  /** A JSON Schema (subset: type, enum, const, minimum, maximum, exclusive bounds, pattern, minLength, maxLength). */
  schema: Record<string, unknown> | null;
}

const patterns = new Map<string, RegExp | null>();

function compiled(pattern: string): RegExp | null {
  let re = patterns.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, "u");
    } catch {
      re = null;
    }
    if (patterns.size > 1_000) patterns.clear();
    patterns.set(pattern, re);
  }
  return re;
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = jsonType(value);
  if (type === "number") return actual === "number" || actual === "integer";
  return actual === type;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/**
 * Checks `value` against a JSON Schema subset. Returns null when it conforms, else what is wrong
 * (without the signal's name). Unknown keywords are ignored, as JSON Schema does.
 */
export function checkJsonSchema(value: unknown, schema: Record<string, unknown>): string | null {
  const type = schema.type;
  if (typeof type === "string" || Array.isArray(type)) {
    const types = (Array.isArray(type) ? type : [type]) as string[];
    if (!types.some((t) => matchesType(value, t)))
      return `expected ${types.join(" or ")}, got ${jsonType(value)} ${show(value)}`;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((v) => deepEqual(v, value)))
    return `${show(value)} is not one of ${schema.enum.map((v) => show(v)).join(", ")}`;
  if ("const" in schema && !deepEqual(schema.const, value))
    return `${show(value)} is not ${show(schema.const)}`;
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum)
      return `${value} is below the minimum ${schema.minimum}`;
    if (typeof schema.maximum === "number" && value > schema.maximum)
      return `${value} is above the maximum ${schema.maximum}`;
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum)
      return `${value} is not above ${schema.exclusiveMinimum}`;
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum)
      return `${value} is not below ${schema.exclusiveMaximum}`;
  }
  if (typeof value === "string") {
    // JSON Schema counts code points, not UTF-16 units.
    const length =
      typeof schema.maxLength === "number" || typeof schema.minLength === "number"
        ? [...value].length
        : 0;
    if (typeof schema.maxLength === "number" && length > schema.maxLength)
      return `${length} characters, more than the maximum ${schema.maxLength}`;
    if (typeof schema.minLength === "number" && length < schema.minLength)
      return `${length} characters, fewer than the minimum ${schema.minLength}`;
    if (typeof schema.pattern === "string") {
      const re = compiled(schema.pattern);
      if (re && !re.test(value)) return `${show(value)} does not match ${schema.pattern}`;
    }
  }
  return null;
}

/**
 * Whether `value` is acceptable for `signal`: a metric takes a finite number; a property a value of
 * its valueType that satisfies its schema. Returns null, or a detail naming the signal.
 */
export function checkSampleValue(signal: SampleSignal, value: unknown): string | null {
  if (signal.lane === "metric") {
    if (typeof value !== "number" || !Number.isFinite(value))
      return `${signal.name}: a metric takes a finite number, got ${jsonType(value)} ${show(value)}`;
    return null;
  }
  switch (signal.valueType) {
    case "string":
      if (typeof value !== "string")
        return `${signal.name}: expected a string, got ${jsonType(value)} ${show(value)}`;
      break;
    case "boolean":
      if (typeof value !== "boolean")
        return `${signal.name}: expected a boolean, got ${jsonType(value)} ${show(value)}`;
      break;
    case "integer":
      if (typeof value !== "number" || !Number.isSafeInteger(value))
        return `${signal.name}: expected an integer, got ${jsonType(value)} ${show(value)}`;
      break;
    case "json":
      if (value === undefined || (typeof value === "number" && !Number.isFinite(value)))
        return `${signal.name}: expected a JSON value`;
      break;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value))
        return `${signal.name}: expected a finite number, got ${jsonType(value)} ${show(value)}`;
      break;
  }
  if (signal.schema) {
    const problem = checkJsonSchema(value, signal.schema);
    if (problem) return `${signal.name}: ${problem}`;
  }
  return null;
}
