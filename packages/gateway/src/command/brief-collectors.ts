import { and, asc, count, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { BriefItem } from "@omniglass/contracts";
import type { Actor } from "@omniglass/domain";
import type { Database } from "../db";
import {
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  MISSED_BEATS,
  nodeQuery,
  nodeScope,
} from "../nodes/resolve-node";
import { location, node, principal } from "../schema";

/**
 * Enrolled, enabled nodes in `node:read` scope whose heartbeat is missing or older than three of
 * its intervals — the words of `livenessOf` (nodes/resolve-node.ts, the node list's `liveness`)
 * written as SQL so the count runs in the database: one statement for the first `limit` (never
 * heard from first, then the longest silent) and one for the counts, whatever the estate's size.
 */
const seenAt = sql`coalesce(${node.lastSeenAt}, (${node.heartbeat}->>'beatAt')::timestamptz)`;
const isDown = sql`(${seenAt} is null or ${seenAt} < now() - (${MISSED_BEATS} * coalesce((${node.heartbeat}->>'intervalMs')::int, ${DEFAULT_HEARTBEAT_INTERVAL_MS})) * interval '1 millisecond')`;

export async function findDownCollectors({
  db,
  actor,
  limit,
}: {
  db: Database;
  actor: Actor;
  limit: number;
}): Promise<{ items: BriefItem[]; down: number; never: number; enrolled: number }> {
  const where = and(
    nodeScope(actor, "node:read"),
    isNotNull(node.enrolledAt),
    isNull(principal.disabledAt),
  );
  const [rows, [counted]] = await Promise.all([
    nodeQuery(db)
      .where(and(where, isDown))
      .orderBy(sql`${seenAt} asc nulls first`, asc(principal.name))
      .limit(limit),
    db
      .select({
        enrolled: count(),
        down: sql<number>`(count(*) filter (where ${isDown}))::int`,
        never: sql<number>`(count(*) filter (where ${seenAt} is null))::int`,
      })
      .from(node)
      .innerJoin(principal, eq(principal.id, node.id))
      .innerJoin(location, eq(location.id, node.locationId))
      .where(where),
  ]);
  const items = rows.map((r): BriefItem => {
    const seen = r.row.lastSeenAt?.toISOString() ?? r.row.heartbeat?.beatAt ?? null;
    return {
      title: r.name,
      state: seen === null ? "never" : "offline",
      at: seen,
      detail:
        seen === null
          ? "enrolled, no heartbeat yet"
          : `no heartbeat for three intervals (${(r.row.heartbeat?.intervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS) / 1000} s each)${r.row.heartbeat?.lastError ? `; last error: ${r.row.heartbeat.lastError.message}` : ""}`,
      links: [
        { kind: "node", id: r.row.id, ref: r.name },
        { kind: "location", id: r.row.locationId, ref: r.locationPath },
      ],
    };
  });
  return {
    items,
    down: counted?.down ?? 0,
    never: counted?.never ?? 0,
    enrolled: counted?.enrolled ?? 0,
  };
}
