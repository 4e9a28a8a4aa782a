import { OmniglassError } from "../errors";

/**
 * The RRULE subset (RFC 5545 §3.3.10) maintenance windows accept. Everything else — BYSETPOS,
 * BYWEEKNO, BYYEARDAY, BYSECOND, SECONDLY/MINUTELY/HOURLY, RSCALE/SKIP, unknown parts — is
 * refused with an error naming the part, never ignored: an ignored part would silently change
 * when a room is suppressed.
 */

export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type Frequency = "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY";

export interface ByDay {
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  /** The nth in the month (1…5, −1…−5: from its end); null: every such weekday. */
  ordinal: number | null;
}

export type Until =
  | { kind: "instant"; instantMs: number }
  /** A date or a floating local time, read as a wall time in the window's zone. */
  | { kind: "wall"; wallMs: number };

export interface RecurrenceRule {
  freq: Frequency;
  interval: number;
  byDay: ByDay[] | null;
  byMonthDay: number[] | null;
  byMonth: number[] | null;
  byHour: number[] | null;
  byMinute: number[] | null;
  count: number | null;
  until: Until | null;
  /** The week's first day, 0 = Monday (the default) … 6 = Sunday. */
  weekStart: number;
}

const SUPPORTED = [
  "FREQ",
  "INTERVAL",
  "BYDAY",
  "BYMONTHDAY",
  "BYMONTH",
  "BYHOUR",
  "BYMINUTE",
  "COUNT",
  "UNTIL",
  "WKST",
] as const;

function invalid(message: string, field = "rrule"): never {
  throw new OmniglassError("INVALID", `Invalid recurrence rule: ${message}`, {
    fieldErrors: [{ field, message }],
  });
}

function integer(part: string, text: string, min: number, max: number): number {
  if (!/^[+-]?\d+$/.test(text)) invalid(`${part}: "${text}" is not a whole number`);
  const value = Number(text);
  if (value < min || value > max) invalid(`${part}: ${value} is outside ${min}…${max}`);
  return value;
}

function list(part: string, text: string, min: number, max: number, allowNegative = false) {
  const values = text.split(",").map((item) => {
    const value = integer(part, item, allowNegative ? -max : min, max);
    if (allowNegative && value === 0) invalid(`${part}: 0 is not a valid value`);
    return value;
  });
  return [...new Set(values)].sort((a, b) => a - b);
}

function parseByDay(text: string, freq: Frequency, hasByMonth: boolean): ByDay[] {
  return text.split(",").map((item) => {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
    if (!match) invalid(`BYDAY: "${item}" is not a weekday (MO…SU, optionally with 1…5 or -1…-5)`);
    const weekday = WEEKDAYS.indexOf(match[2] as Weekday);
    if (match[1] === undefined) return { weekday, ordinal: null };
    const ordinal = Number(match[1]);
    if (ordinal === 0 || ordinal < -5 || ordinal > 5) {
      invalid(`BYDAY: "${item}": the ordinal must be 1…5 or -1…-5`);
    }
    if (freq !== "MONTHLY" && !(freq === "YEARLY" && hasByMonth)) {
      invalid(
        `BYDAY: "${item}": an ordinal weekday needs FREQ=MONTHLY (or FREQ=YEARLY with BYMONTH)`,
      );
    }
    return { weekday, ordinal };
  });
}

/** Parses `UNTIL`: a date, a UTC date-time (`…Z`) or a floating local date-time. */
function parseUntil(text: string): Until {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(text);
  if (!match) invalid(`UNTIL: "${text}" is not YYYYMMDD, YYYYMMDDTHHMMSS or YYYYMMDDTHHMMSSZ`);
  const [, y, mo, d, h, mi, s, z] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 23), Number(mi ?? 59), 0);
  const back = new Date(ms);
  if (
    back.getUTCMonth() !== Number(mo) - 1 ||
    back.getUTCDate() !== Number(d) ||
    Number(h ?? 0) > 23 ||
    Number(mi ?? 0) > 59 ||
    Number(s ?? 0) > 59
  ) {
    invalid(`UNTIL: "${text}" is not a valid date`);
  }
  const withSeconds = ms + Number(s ?? 59) * 1000;
  return z === "Z"
    ? { kind: "instant", instantMs: withSeconds }
    : { kind: "wall", wallMs: withSeconds };
}

/**
 * Parses an RRULE value (`FREQ=WEEKLY;BYDAY=MO,WE`, an optional `RRULE:` prefix). Throws an
 * `OmniglassError` INVALID on field `rrule` whose message names the offending part.
 */
export function parseRecurrenceRule(text: string): RecurrenceRule {
  const source = text.trim().replace(/^RRULE:/i, "");
  if (source === "") invalid("it is empty (expected FREQ=…)");
  const parts = new Map<string, string>();
  for (const item of source.split(";")) {
    const equals = item.indexOf("=");
    if (equals <= 0) invalid(`"${item}" is not NAME=VALUE`);
    const name = item.slice(0, equals).toUpperCase();
    const value = item.slice(equals + 1).toUpperCase();
    if (!(SUPPORTED as readonly string[]).includes(name)) {
      invalid(`${name} is not supported (supported: ${SUPPORTED.join(", ")})`);
    }
    if (parts.has(name)) invalid(`${name} appears more than once`);
    if (value === "") invalid(`${name} has no value`);
    parts.set(name, value);
  }

  const freqText = parts.get("FREQ");
  if (freqText === undefined) invalid("FREQ is required (DAILY, WEEKLY, MONTHLY or YEARLY)");
  if (!["DAILY", "WEEKLY", "MONTHLY", "YEARLY"].includes(freqText)) {
    invalid(`FREQ: ${freqText} is not supported (DAILY, WEEKLY, MONTHLY or YEARLY)`);
  }
  const freq = freqText as Frequency;
  const get = (name: (typeof SUPPORTED)[number]) => parts.get(name);

  const byMonth = get("BYMONTH") === undefined ? null : list("BYMONTH", get("BYMONTH")!, 1, 12);
  const byMonthDay =
    get("BYMONTHDAY") === undefined ? null : list("BYMONTHDAY", get("BYMONTHDAY")!, 1, 31, true);
  if (byMonthDay && freq === "WEEKLY") invalid("BYMONTHDAY cannot be used with FREQ=WEEKLY");
  const byDay =
    get("BYDAY") === undefined ? null : parseByDay(get("BYDAY")!, freq, byMonth !== null);
  const weekStartText = get("WKST") ?? "MO";
  if (!(WEEKDAYS as readonly string[]).includes(weekStartText)) {
    invalid(`WKST: "${weekStartText}" is not a weekday (MO…SU)`);
  }
  const count = get("COUNT") === undefined ? null : integer("COUNT", get("COUNT")!, 1, 10_000);
  const until = get("UNTIL") === undefined ? null : parseUntil(get("UNTIL")!);
  if (count !== null && until !== null) invalid("COUNT and UNTIL cannot both be given");

  return {
    freq,
    interval: get("INTERVAL") === undefined ? 1 : integer("INTERVAL", get("INTERVAL")!, 1, 1000),
    byDay,
    byMonthDay,
    byMonth,
    byHour: get("BYHOUR") === undefined ? null : list("BYHOUR", get("BYHOUR")!, 0, 23),
    byMinute: get("BYMINUTE") === undefined ? null : list("BYMINUTE", get("BYMINUTE")!, 0, 59),
    count,
    until,
    weekStart: WEEKDAYS.indexOf(weekStartText as Weekday),
  };
}
