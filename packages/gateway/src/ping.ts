import { sql } from "drizzle-orm";
import type { DependencyCheck } from "@omniglass/contracts";
import type { Database } from "./db";

/** One `SELECT 1` against the pool, bounded by `timeoutMs`. Never throws; the error carries no secrets. */
export async function pingDatabase(db: Database, timeoutMs = 1_500): Promise<DependencyCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.execute(sql`select 1`),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: "up", latencyMs: round(performance.now() - started), error: null };
  } catch (error) {
    return { status: "down", latencyMs: null, error: describePgError(error) };
  } finally {
    clearTimeout(timer);
  }
}

function round(ms: number) {
  return Math.round(ms * 100) / 100;
}

/** A short, secret-free reason: the pg error code or the socket error, never the connection string. */
export function describePgError(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { code?: unknown; message?: unknown; cause?: unknown };
    if (e.cause && e.cause !== error) return describePgError(e.cause);
    if (typeof e.code === "string" && /^[A-Z]+$/.test(e.code))
      return `connection failed (${e.code})`;
    if (typeof e.message === "string")
      return e.message.replace(/postgres(ql)?:\/\/\S+/gi, "<database url>").slice(0, 200);
  }
  return "unknown error";
}

/**
 * True when an error means "the database cannot be reached right now" (refused, reset, shutting
 * down, pool timeout) rather than "this statement is wrong". Callers answer 503, not 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (
      typeof e.code === "string" &&
      (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE)$/.test(e.code) ||
        /^(08|57P0)/.test(e.code))
    ) {
      return true;
    }
    if (
      typeof e.message === "string" &&
      /timeout exceeded when trying to connect|Connection terminated/i.test(e.message)
    )
      return true;
  }
  return false;
}

/**
 * True for a unique or foreign-key violation (SQLSTATE 23505, 23503), or a transaction PostgreSQL
 * aborted for a concurrent one (a deadlock 40P01, a serialization failure 40001): the write lost a
 * race with another one and nothing of it was kept. Callers answer 409 (retry is safe); the
 * explicit checks before a write give the precise message.
 */
export function isConstraintConflict(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (e.code === "23505" || e.code === "23503" || e.code === "40P01" || e.code === "40001")
      return true;
  }
  return false;
}
