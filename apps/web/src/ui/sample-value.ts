import { formatQuantity } from "./format";

/** A sample's value as text: numbers with the signal's precision and unit, JSON shortened. */
export function formatSampleValue(
  value: unknown,
  unit: string | null = null,
  precision: number | null = null,
): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return formatQuantity(value, unit, precision);
  if (typeof value === "string") return unit ? `${value} ${unit}` : value;
  if (typeof value === "boolean") return value ? "true" : "false";
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 79)}…` : json;
}
