/** How quantities read on every page: durations, values with units, counts, schemas, scopes. */

/** `1 system`, `2 systems`. */
export const plural = (n: number, word: string, many = `${word}s`) =>
  `${n} ${n === 1 ? word : many}`;

const UNITS: [number, string][] = [
  [86_400, "d"],
  [3_600, "h"],
  [60, "min"],
  [1, "s"],
];

/** `17 d 18 h`, `3 h 2 min`, `4 min 5 s`, `12 s`: the two largest units, never raw seconds. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const parts: string[] = [];
  let rest = s;
  for (const [size, unit] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0 || parts.length > 0) parts.push(`${n} ${unit}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.filter((p) => !p.startsWith("0 ")).join(" ");
}

const DURATION_FACTORS: Record<string, number> = { s: 1, min: 60, h: 3_600, d: 86_400 };

/** A number with its unit: durations (s, min, h, d) as a duration, the rest with the precision. */
export function formatQuantity(
  value: number,
  unit: string | null = null,
  precision: number | null = null,
): string {
  const factor = unit ? DURATION_FACTORS[unit] : undefined;
  if (factor !== undefined && Math.abs(value * factor) >= 60) return formatDuration(value * factor);
  const text =
    precision !== null
      ? value.toFixed(Math.max(0, Math.min(precision, 10)))
      : new Intl.NumberFormat("en-US", { maximumFractionDigits: 3, useGrouping: false }).format(
          value,
        );
  return unit ? `${text} ${unit}` : text;
}

/** Any JSON value as short text: strings as they are, the rest as JSON. */
export function formatValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

const TYPE_WORDS: Record<string, string> = {
  boolean: "true or false",
  string: "text",
  integer: "a whole number",
  number: "a number",
  object: "a structured value",
  array: "a list",
};

/** A property's JSON Schema as a person says it: `true or false`, `one of on, off`, `text`. */
export function describeSchema(schema: Record<string, unknown> | null | undefined): string {
  if (!schema) return "";
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map(formatValue).join(", ")}`;
  if ("const" in schema) return `always ${formatValue(schema.const)}`;
  const type = typeof schema.type === "string" ? schema.type : null;
  const parts = [type ? (TYPE_WORDS[type] ?? type) : "any value"];
  if (typeof schema.pattern === "string") parts.push(`matching ${schema.pattern}`);
  if (typeof schema.minimum === "number" || typeof schema.maximum === "number")
    parts.push(`from ${schema.minimum ?? "−∞"} to ${schema.maximum ?? "∞"}`);
  if (typeof schema.maxLength === "number") parts.push(`up to ${schema.maxLength} characters`);
  return parts.join(", ");
}

/** How a grant's scope reads: everything, a location with its operator, or one system. */
export function scopeText(
  scope:
    | { kind: "all" }
    | { kind: "location"; path: string; operator: string }
    | { kind: "system"; path: string },
): string {
  if (scope.kind === "all") return "everything";
  if (scope.kind === "system") return `system ${scope.path} (and its components)`;
  return `${scope.path} (${scope.operator})`;
}

/** What a state means, read from the signal's definition; colour follows meaning, never the word. */
export type Meaning = "good" | "bad" | "neutral";

/**
 * A property value's meaning: the signal's schema may say it in `x-meaning` (value → good, bad or
 * neutral, e.g. `{ "on": "good", "off": "neutral" }`); anything it does not name is neutral.
 */
export function meaningOf(
  schema: Record<string, unknown> | null | undefined,
  value: unknown,
): Meaning {
  const meanings = schema?.["x-meaning"];
  if (!meanings || typeof meanings !== "object") return "neutral";
  const meaning = (meanings as Record<string, unknown>)[formatValue(value)];
  return meaning === "good" || meaning === "bad" ? meaning : "neutral";
}
