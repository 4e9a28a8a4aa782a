/**
 * Wall time in an IANA time zone, from Node's Intl (full ICU), with no library.
 *
 * A *wall time* is written as the number of milliseconds a UTC clock would show for the same
 * calendar fields (`Date.UTC(y, m, d, h, min)`), so wall-time arithmetic is plain integer
 * arithmetic and the only zone-aware steps are the two conversions below.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/**
 * The canonical name of an IANA time zone (`europe/london` → `Europe/London`), or null when
 * ICU does not know it. Fixed offsets (`+01:00`) and abbreviations other than `UTC` are not
 * zone names and are refused: they carry no rules, so a window in them would not follow DST.
 */
export function canonicalTimeZone(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The wall time (see above) the zone shows at a UTC instant. */
export function wallTimeAt(timeZone: string, instantMs: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    fields.year!,
    fields.month! - 1,
    fields.day!,
    fields.hour!,
    fields.minute!,
    fields.second!,
  );
  // Intl drops milliseconds; keep them so wallTimeAt(t) - t is exactly the offset.
  return wall + (((instantMs % 1000) + 1000) % 1000);
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
export function offsetAt(timeZone: string, instantMs: number): number {
  return wallTimeAt(timeZone, instantMs) - instantMs;
}

export interface ResolvedWallTime {
  /** The UTC instant the wall time starts at under the DST policy. */
  instantMs: number;
  /** exact: it occurs once; gap: it does not occur (spring forward); repeated: it occurs twice. */
  kind: "exact" | "gap" | "repeated";
}

const DAY_MS = 86_400_000;

/**
 * The instant a wall time starts at, under the documented DST policy:
 *
 * - a wall time that occurs once is that instant;
 * - a wall time that occurs twice (fall back) is its **first** occurrence (the earlier instant);
 * - a wall time that does not occur (spring forward) is the **transition instant**, the first
 *   valid instant after the gap (01:30 → 03:00 local on New York's spring-forward night is
 *   07:00Z, not dropped, not shifted by an hour past the gap).
 *
 * It assumes at most one offset change within a day either side, true of every IANA zone
 * since 1970.
 */
export function resolveWallTime(timeZone: string, wallMs: number): ResolvedWallTime {
  const before = offsetAt(timeZone, wallMs - DAY_MS);
  const after = offsetAt(timeZone, wallMs + DAY_MS);
  const candidates = [...new Set([before, after])]
    .map((offset) => wallMs - offset)
    .filter((instant) => wallTimeAt(timeZone, instant) === wallMs)
    .sort((a, b) => a - b);
  if (candidates.length === 2) return { instantMs: candidates[0]!, kind: "repeated" };
  if (candidates.length === 1) return { instantMs: candidates[0]!, kind: "exact" };
  // In the gap: the offset grows from `before` to `after`; the transition lies in
  // [wall - after, wall - before]. Find the first instant with the later offset.
  let low = wallMs - after; // still the earlier offset here
  let high = wallMs - before; // already the later offset here
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(timeZone, middle) === after) high = middle;
    else low = middle;
  }
  return { instantMs: high, kind: "gap" };
}
