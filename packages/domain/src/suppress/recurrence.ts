import { OmniglassError } from "../errors";
import { parseDuration } from "../template";
import { parseRecurrenceRule, type RecurrenceRule } from "./rrule";
import { canonicalTimeZone, resolveWallTime, wallTimeAt, type ResolvedWallTime } from "./zone";

/**
 * When a maintenance window is open: a start as a local wall time in an IANA zone, a duration,
 * and an optional RRULE (see ./rrule for the subset).
 *
 * The DST policy (docs/decisions/0010-suppression-time-and-webhooks.md):
 * - a start in a **skipped** hour (spring forward) starts at the transition instant, the first
 *   valid instant after the gap — never dropped (RFC 5545 drops it; we do not);
 * - a start in a **repeated** hour (fall back) runs once, at the first of the two instants;
 * - the duration is **elapsed** time: a 2 h window across a transition lasts 2 real hours, so
 *   its local end moves by the change (01:00–03:00 becomes 01:00–04:00 on spring-forward night).
 * - Occurrences that land on the same instant (02:00 and 03:00 across a gap) are one occurrence.
 *
 * `dtstart` anchors the series: it fixes the first period and, unless BYHOUR/BYMINUTE say
 * otherwise, the time of day (and the weekday or day of month a bare rule repeats). The
 * occurrences are the rule's matches at or after it; dtstart itself is one only if it matches.
 */
export interface WindowSchedule {
  /** Local wall time `YYYY-MM-DDTHH:mm` in `timeZone`. */
  dtstart: string;
  /** An IANA zone name (`Europe/London`). */
  timeZone: string;
  /** How long each occurrence lasts, as elapsed time (`90m`, `2h`, `48h`). */
  duration: string;
  /** An RRULE value (`FREQ=WEEKLY;BYDAY=SA`); absent or null: one occurrence. */
  rrule?: string | null;
}

export interface CompiledSchedule {
  dtstartWallMs: number;
  timeZone: string;
  durationMs: number;
  rule: RecurrenceRule | null;
}

export interface Occurrence {
  /** UTC instants, [start, end). */
  start: Date;
  end: Date;
  /** How the local start mapped to an instant: exact, gap (moved to the transition), repeated (the first of two). */
  dst: ResolvedWallTime["kind"];
}

export const MAX_WINDOW_DURATION_MS = 31 * 86_400_000;
const DAY_MS = 86_400_000;
/** How far `nextBoundary` looks ahead: long enough for a 29 February rule across 2100. */
export const BOUNDARY_HORIZON_MS = 10 * 366 * DAY_MS;

function invalid(field: string, message: string): never {
  throw new OmniglassError("INVALID", `Invalid maintenance window: ${field}: ${message}`, {
    fieldErrors: [{ field, message }],
  });
}

function parseWallTime(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text);
  if (!match) invalid("dtstart", `"${text}" is not a local time YYYY-MM-DDTHH:mm`);
  const [y, mo, d, h, mi] = match.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const back = new Date(wall);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59) {
    invalid("dtstart", `"${text}" is not a valid date and time`);
  }
  if (y < 1970 || y > 2999) invalid("dtstart", `the year must be 1970…2999`);
  return wall;
}

/** Validates a schedule; throws INVALID naming the field (`dtstart`, `timeZone`, `duration`, `rrule`). */
export function compileSchedule(schedule: WindowSchedule): CompiledSchedule {
  const dtstartWallMs = parseWallTime(schedule.dtstart);
  const timeZone = canonicalTimeZone(schedule.timeZone);
  if (timeZone === null) {
    invalid("timeZone", `"${schedule.timeZone}" is not an IANA time zone (e.g. Europe/London)`);
  }
  let durationMs: number;
  try {
    durationMs = parseDuration(schedule.duration);
  } catch {
    invalid("duration", `"${schedule.duration}" is not a duration (e.g. 90m, 2h)`);
  }
  if (durationMs <= 0) invalid("duration", "must be longer than zero");
  if (durationMs > MAX_WINDOW_DURATION_MS) invalid("duration", "must be at most 31 days (744h)");
  const rule =
    schedule.rrule === undefined || schedule.rrule === null || schedule.rrule.trim() === ""
      ? null
      : parseRecurrenceRule(schedule.rrule);
  return { dtstartWallMs, timeZone, durationMs, rule };
}

// --- wall-time calendar arithmetic (days since 1970-01-01, Monday = 0) ----------------------

const dayOf = (wallMs: number) => Math.floor(wallMs / DAY_MS);
const weekdayOf = (day: number) => (((day + 3) % 7) + 7) % 7;
const daysInMonth = (year: number, month: number) =>
  new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/** Days (1-based) of a month the rule selects; `month` is 0-based. */
function daysOfMonth(rule: RecurrenceRule, year: number, month: number, anchorDay: number) {
  const length = daysInMonth(year, month);
  const firstWeekday = weekdayOf(dayOf(Date.UTC(year, month, 1)));
  let days: number[] | null = null;
  if (rule.byMonthDay) {
    days = rule.byMonthDay.map((d) => (d > 0 ? d : length + d + 1)).filter((d) => d >= 1);
  }
  if (rule.byDay) {
    const matches = new Set<number>();
    for (const { weekday, ordinal } of rule.byDay) {
      const first = 1 + ((weekday - firstWeekday + 7) % 7);
      const all: number[] = [];
      for (let d = first; d <= length; d += 7) all.push(d);
      if (ordinal === null) all.forEach((d) => matches.add(d));
      else {
        const pick = ordinal > 0 ? all[ordinal - 1] : all[all.length + ordinal];
        if (pick !== undefined) matches.add(pick);
      }
    }
    days = days ? days.filter((d) => matches.has(d)) : [...matches];
  }
  return (days ?? [anchorDay]).filter((d) => d <= length);
}

/** The candidate start days (as day numbers) of period `p`, and the first day the period spans. */
function period(
  rule: RecurrenceRule,
  anchor: { day: number; year: number; month: number; date: number; weekStartDay: number },
  p: number,
): { firstDay: number; days: number[] } {
  const step = p * rule.interval;
  const monthOk = (day: number) =>
    !rule.byMonth || rule.byMonth.includes(new Date(day * DAY_MS).getUTCMonth() + 1);
  switch (rule.freq) {
    case "DAILY": {
      const day = anchor.day + step;
      const date = new Date(day * DAY_MS);
      const length = daysInMonth(date.getUTCFullYear(), date.getUTCMonth());
      const ok =
        monthOk(day) &&
        (!rule.byMonthDay ||
          rule.byMonthDay.some((d) => (d > 0 ? d : length + d + 1) === date.getUTCDate())) &&
        (!rule.byDay || rule.byDay.some((b) => b.weekday === weekdayOf(day)));
      return { firstDay: day, days: ok ? [day] : [] };
    }
    case "WEEKLY": {
      const firstDay = anchor.weekStartDay + 7 * step;
      const weekdays = rule.byDay?.map((b) => b.weekday) ?? [weekdayOf(anchor.day)];
      const days: number[] = [];
      for (let d = firstDay; d < firstDay + 7; d++) {
        if (weekdays.includes(weekdayOf(d)) && monthOk(d)) days.push(d);
      }
      return { firstDay, days };
    }
    case "MONTHLY": {
      const index = anchor.year * 12 + anchor.month + step;
      const year = Math.floor(index / 12);
      const month = index % 12;
      const firstDay = dayOf(Date.UTC(year, month, 1));
      if (rule.byMonth && !rule.byMonth.includes(month + 1)) return { firstDay, days: [] };
      const days = daysOfMonth(rule, year, month, anchor.date).map((d) => firstDay + d - 1);
      return { firstDay, days };
    }
    case "YEARLY": {
      const year = anchor.year + step;
      const months =
        rule.byMonth?.map((m) => m - 1) ??
        (rule.byDay || rule.byMonthDay ? [...Array(12).keys()] : [anchor.month]);
      const days = months.flatMap((month) => {
        const first = dayOf(Date.UTC(year, month, 1));
        return daysOfMonth(rule, year, month, anchor.date).map((d) => first + d - 1);
      });
      return { firstDay: dayOf(Date.UTC(year, 0, 1)), days };
    }
  }
}

/** The first period that can hold an occurrence overlapping `fromWallMs` (0 with COUNT). */
function firstPeriod(
  rule: RecurrenceRule,
  anchor: { day: number; weekStartDay: number; year: number; month: number },
  fromWallMs: number,
): number {
  if (rule.count !== null) return 0;
  const day = dayOf(fromWallMs);
  const date = new Date(fromWallMs);
  const span =
    rule.freq === "DAILY"
      ? (day - anchor.day) / rule.interval
      : rule.freq === "WEEKLY"
        ? (day - anchor.weekStartDay) / (7 * rule.interval)
        : rule.freq === "MONTHLY"
          ? (date.getUTCFullYear() * 12 + date.getUTCMonth() - anchor.year * 12 - anchor.month) /
            rule.interval
          : (date.getUTCFullYear() - anchor.year) / rule.interval;
  return Math.max(0, Math.floor(span));
}

/** Occurrences overlapping [fromMs, toMs), in order of start, lazily. */
function* walk(compiled: CompiledSchedule, fromMs: number, toMs: number): Generator<Occurrence> {
  const { dtstartWallMs, timeZone, durationMs, rule } = compiled;
  const make = (resolved: ResolvedWallTime): Occurrence => ({
    start: new Date(resolved.instantMs),
    end: new Date(resolved.instantMs + durationMs),
    dst: resolved.kind,
  });
  if (rule === null) {
    const occurrence = make(resolveWallTime(timeZone, dtstartWallMs));
    if (occurrence.end.getTime() > fromMs && occurrence.start.getTime() < toMs) yield occurrence;
    return;
  }
  const anchorDate = new Date(dtstartWallMs);
  const day = dayOf(dtstartWallMs);
  const anchor = {
    day,
    year: anchorDate.getUTCFullYear(),
    month: anchorDate.getUTCMonth(),
    date: anchorDate.getUTCDate(),
    weekStartDay: day - ((weekdayOf(day) - rule.weekStart + 7) % 7),
  };
  const times: number[] = [];
  for (const h of rule.byHour ?? [anchorDate.getUTCHours()]) {
    for (const m of rule.byMinute ?? [anchorDate.getUTCMinutes()])
      times.push((h * 60 + m) * 60_000);
  }
  times.sort((a, b) => a - b);
  // Wall-time bounds with two days of margin for any zone offset.
  const fromWall = wallTimeAt(timeZone, fromMs - durationMs) - 2 * DAY_MS;
  const toWall = wallTimeAt(timeZone, toMs) + 2 * DAY_MS;
  const untilWall = rule.until?.kind === "wall" ? rule.until.wallMs : Infinity;
  const untilInstant = rule.until?.kind === "instant" ? rule.until.instantMs : Infinity;
  let emitted = 0;
  let lastInstant = -Infinity;
  for (let p = firstPeriod(rule, anchor, fromWall); ; p++) {
    const { firstDay, days: unsorted } = period(rule, anchor, p);
    const days = [...new Set(unsorted)].sort((a, b) => a - b);
    if (firstDay * DAY_MS > toWall || firstDay * DAY_MS > untilWall) return;
    for (const d of days) {
      for (const time of times) {
        const wall = d * DAY_MS + time;
        if (wall < dtstartWallMs) continue;
        if (wall > untilWall) return;
        if (rule.count === null && wall < fromWall) continue;
        const resolved = resolveWallTime(timeZone, wall);
        if (resolved.instantMs > untilInstant) return;
        if (resolved.instantMs <= lastInstant) continue; // two local starts, one instant
        lastInstant = resolved.instantMs;
        emitted++;
        const occurrence = make(resolved);
        if (occurrence.start.getTime() >= toMs) return;
        if (occurrence.end.getTime() > fromMs) yield occurrence;
        if (rule.count !== null && emitted >= rule.count) return;
      }
    }
  }
}

function toSchedule(window: WindowSchedule | CompiledSchedule): CompiledSchedule {
  return "dtstartWallMs" in window ? window : compileSchedule(window);
}

/**
 * The occurrences overlapping [from, to) (end > from, start < to), in order, at most `limit`
 * (default 1,000). COUNT counts from dtstart, not from `from`.
 */
export function occurrences(
  window: WindowSchedule | CompiledSchedule,
  range: { from: Date; to: Date; limit?: number },
): Occurrence[] {
  const limit = range.limit ?? 1000;
  const result: Occurrence[] = [];
  if (limit <= 0) return result;
  for (const occurrence of walk(toSchedule(window), range.from.getTime(), range.to.getTime())) {
    result.push(occurrence);
    if (result.length >= limit) break;
  }
  return result;
}

/** Whether the window is open at an instant: some occurrence has start ≤ instant < end. */
export function activeAt(window: WindowSchedule | CompiledSchedule, instant: Date): boolean {
  const at = instant.getTime();
  return !walk(toSchedule(window), at, at + 1).next().done;
}

/**
 * The next instant after `instant` at which the window opens or closes (what the clock
 * schedules), with whether it is open just after; null when the series has ended (or has
 * nothing within ten years).
 */
export function nextBoundary(
  window: WindowSchedule | CompiledSchedule,
  instant: Date,
): { at: Date; activeAfter: boolean } | null {
  const compiled = toSchedule(window);
  const at = instant.getTime();
  let best = Infinity;
  for (const occurrence of walk(compiled, at, at + BOUNDARY_HORIZON_MS)) {
    const start = occurrence.start.getTime();
    const end = occurrence.end.getTime();
    // Sorted by start, with one duration: the first one yielded has the earliest end.
    if (best === Infinity) best = end;
    if (start >= best) break;
    if (start > at) {
      best = start;
      break;
    }
  }
  if (best === Infinity) return null;
  return { at: new Date(best), activeAfter: activeAt(compiled, new Date(best)) };
}
