import type { Logger } from "pino";

export interface RepeatGate {
  /**
   * A failure of `kind` happened: the first is logged at once; later ones are counted and logged
   * once per interval as "… (repeated N times in the last S s)".
   */
  fail(kind: string, fields: Record<string, unknown>, message: string): void;
  /** The failure of `kind` is over: says how many went unlogged since the last line, once. */
  clear(kind: string, message?: string): void;
}

/**
 * Logs a failure that repeats once per kind with a count, not once per attempt: an unreachable
 * database retried every 250 ms writes one line, then one line a minute while it lasts, then one
 * line when it clears.
 */
export function createRepeatGate(
  logger: Pick<Logger, "warn" | "info">,
  { intervalMs = 60_000, now = Date.now }: { intervalMs?: number; now?: () => number } = {},
): RepeatGate {
  const open = new Map<string, { unlogged: number; total: number; loggedAt: number }>();
  return {
    fail(kind, fields, message) {
      const entry = open.get(kind);
      const at = now();
      if (!entry) {
        open.set(kind, { unlogged: 0, total: 1, loggedAt: at });
        logger.warn({ ...fields, kind }, message);
        return;
      }
      entry.total++;
      entry.unlogged++;
      if (at - entry.loggedAt >= intervalMs) {
        const seconds = Math.round((at - entry.loggedAt) / 1000);
        logger.warn(
          { ...fields, kind, repeated: entry.unlogged, total: entry.total },
          `${message} (repeated ${entry.unlogged} times in the last ${seconds} s)`,
        );
        entry.unlogged = 0;
        entry.loggedAt = at;
      }
    },
    clear(kind, message) {
      const entry = open.get(kind);
      if (!entry) return;
      open.delete(kind);
      logger.info(
        { kind, total: entry.total },
        `${message ?? `${kind}: recovered`} after ${entry.total} failure(s)`,
      );
    },
  };
}
