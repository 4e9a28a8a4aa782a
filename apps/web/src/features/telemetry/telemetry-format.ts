/** How telemetry reads on the page: values with their unit and precision, ages, time ranges. */

/** A sample's value as text: numbers with the signal's precision and unit, JSON shortened. */
export function formatSampleValue(
  value: unknown,
  unit: string | null = null,
  precision: number | null = null,
): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") {
    const text =
      precision !== null
        ? value.toFixed(Math.max(0, Math.min(precision, 10)))
        : new Intl.NumberFormat("en-US", { maximumFractionDigits: 3, useGrouping: false }).format(
            value,
          );
    return unit ? `${text} ${unit}` : text;
  }
  if (typeof value === "string") return unit ? `${value} ${unit}` : value;
  if (typeof value === "boolean") return value ? "true" : "false";
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 79)}…` : json;
}

/** `12 s ago`, `4 min ago`, `3 h 2 min ago`, `2 days ago`. */
export function formatAgeSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s ago`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** The ranges the history chart offers, in milliseconds. */
export const RANGES = [
  { label: "15 m", ms: 15 * 60_000 },
  { label: "1 h", ms: 60 * 60_000 },
  { label: "6 h", ms: 6 * 60 * 60_000 },
  { label: "24 h", ms: 24 * 60 * 60_000 },
  { label: "7 d", ms: 7 * 24 * 60 * 60_000 },
] as const;
export type RangeLabel = (typeof RANGES)[number]["label"];

/** A time on a chart axis: the clock for ranges within a day, the date and hour beyond. */
export function formatAxisTime(ms: number, rangeMs: number): string {
  const date = new Date(ms);
  return rangeMs <= 24 * 60 * 60_000
    ? date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit" });
}

/**
 * Where a line should break: indexes i where the gap before point i is more than three times the
 * typical (median) gap, so a collection outage shows as a hole instead of a straight line.
 */
export function gapsIn(times: number[]): Set<number> {
  const deltas = times.slice(1).map((t, i) => t - times[i]!);
  if (deltas.length < 3) return new Set();
  const sorted = [...deltas].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  if (median <= 0) return new Set();
  const breaks = new Set<number>();
  deltas.forEach((d, i) => {
    if (d > 3 * median) breaks.add(i + 1);
  });
  return breaks;
}

/** Consecutive equal values collapsed: a property's changes, oldest first. */
export function changesOf<T extends { ts: string; value: unknown }>(points: T[]): T[] {
  const changes: T[] = [];
  let last: string | undefined;
  for (const p of points) {
    const key = JSON.stringify(p.value);
    if (key !== last) changes.push(p);
    last = key;
  }
  return changes;
}
