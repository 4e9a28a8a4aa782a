import { formatDuration } from "../../ui/format"; // relative: the unit tests run without the ~ alias

/** How telemetry reads on the page: values with their unit and precision, ages, time ranges. */

export { formatSampleValue } from "../../ui/sample-value"; // shared with the system page's member values

/** `12 s ago`, `2 min 5 s ago`, `3 h 2 min ago`, `3 d ago`. */
export function formatAgeSeconds(seconds: number): string {
  return `${formatDuration(seconds)} ago`;
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

/** The typical (median) time between samples, or null with fewer than two. */
export function typicalGap(times: number[]): number | null {
  const deltas = times
    .slice(1)
    .map((t, i) => t - times[i]!)
    .sort((a, b) => a - b);
  if (deltas.length === 0) return null;
  return deltas[Math.floor(deltas.length / 2)]!;
}

/**
 * Where a line should break: indexes i where the gap before point i is more than three times the
 * typical (median) gap, so a collection outage shows as a hole instead of a straight line.
 */
export function gapsIn(times: number[]): Set<number> {
  if (times.length < 4) return new Set();
  const median = typicalGap(times);
  if (!median || median <= 0) return new Set();
  const breaks = new Set<number>();
  times.forEach((t, i) => {
    if (i > 0 && t - times[i - 1]! > 3 * median) breaks.add(i);
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

export interface Band {
  value: unknown;
  startMs: number;
  endMs: number;
}

/**
 * A property's history as bands of one value. A band ends at the next sample, or, where samples
 * stop for more than three typical gaps, one typical gap after its last sample: the rest is a
 * gap and shows as one (an unreachable display is not drawn as continuous `standby`).
 */
export function bandsOf(points: { ts: string; value: unknown }[], untilMs: number): Band[] {
  const times = points.map((p) => Date.parse(p.ts));
  const gap = typicalGap(times);
  const breaks = gapsIn(times);
  const bands: Band[] = [];
  points.forEach((p, i) => {
    const start = times[i]!;
    const next = times[i + 1];
    const end =
      next === undefined
        ? Math.min(untilMs, gap === null ? untilMs : start + 3 * gap)
        : breaks.has(i + 1)
          ? start + (gap ?? 0)
          : next;
    const last = bands.at(-1);
    if (last && !breaks.has(i) && JSON.stringify(last.value) === JSON.stringify(p.value))
      last.endMs = end;
    else bands.push({ value: p.value, startMs: start, endMs: end });
  });
  return bands;
}
