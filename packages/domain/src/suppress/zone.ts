/**
 * Wall time in an IANA time zone, from Node's Intl (full ICU), with no library.
 *
 * A *wall time* is written as the number of milliseconds a UTC clock would show for the same
 * calendar fields (`Date.UTC(y, m, d, h, min)`), so wall-time arithmetic is plain integer
 * arithmetic and the only zone-aware steps are the two conversions below.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter that prints only the date and the zone's offset (`1/15/2026, GMT+05:30`). */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
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

/**
 * The zone's offset from UTC at an instant, in milliseconds (east positive). Read from ICU's
 * `longOffset` name (`GMT-05:00`, `GMT+05:45`, `GMT` for zero): one format call, a quarter of
 * the cost of formatting the fields and subtracting.
 */
export function offsetAt(timeZone: string, instantMs: number): number {
  const text = formatter(timeZone).format(new Date(instantMs));
  const match = /GMT(?:([+-])(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!match) throw new Error(`unexpected offset "${text}" for ${timeZone}`);
  if (match[1] === undefined) return 0;
  const ms = ((Number(match[2]) * 60 + Number(match[3])) * 60 + Number(match[4] ?? 0)) * 1000;
  return match[1] === "-" ? -ms : ms;
}

/** The wall time (see above) the zone shows at a UTC instant. */
export function wallTimeAt(timeZone: string, instantMs: number): number {
  return instantMs + offsetAt(timeZone, instantMs);
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
  // No change within a day either side (nearly always): the one candidate is the answer.
  if (before === after) return { instantMs: wallMs - before, kind: "exact" };
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
