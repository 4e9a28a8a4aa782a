/*
 * The thresholds of the operations view (issue #16), one place. A heartbeat interval is the
 * process's own (it says it in every beat).
 */

/** Older than this many heartbeat intervals, a process cannot be vouched for: stale. */
export const STALE_AFTER_BEATS = 2;
/** Older than this many, it is down (the node list's "offline" and the collector-down alarm agree). */
export const DOWN_AFTER_BEATS = 3;
/** A run in progress this many intervals long is stuck… */
export const STUCK_AFTER_INTERVALS = 3;
/** …but never before this (a 1 s pass taking 3 s is slow, not stuck)… */
export const STUCK_MIN_MS = 30_000;
/** …and always after this, however long the interval (a pass running 15 minutes is stuck). */
export const STUCK_MAX_MS = 15 * 60_000;
/** Failed runs in a row (with the last success older than that many intervals) are "failing". */
export const FAILING_AFTER_RUNS = 3;
/** An error a heartbeat reports counts as current for this many of its intervals. */
export const RECENT_ERROR_BEATS = 3;

export function stuckAfterMs(intervalMs: number): number {
  return Math.min(STUCK_MAX_MS, Math.max(STUCK_MIN_MS, STUCK_AFTER_INTERVALS * intervalMs));
}

/** How late past its due time a run may be before it is overdue: an interval, at least 5 s. */
export function overdueGraceMs(intervalMs: number): number {
  return Math.max(5_000, intervalMs);
}

/** "3 s", "4 min", "2 h 5 min", "3 d": for reasons a person reads. */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d`;
}
