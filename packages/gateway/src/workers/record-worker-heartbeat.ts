import { sql } from "drizzle-orm";
import type { WorkerHeartbeat } from "@omniglass/contracts";
import type { Database } from "../db";
import { worker } from "../schema";

/**
 * The presence lane's write (trusted, hence unsafe…: no actor, no scope). Idempotent and
 * order-proof: a redelivered or late beat older than the stored one changes nothing.
 * Returns whether the row moved.
 */
export async function unsafeRecordWorkerHeartbeat({
  db,
  heartbeat,
}: {
  db: Database;
  heartbeat: WorkerHeartbeat;
}): Promise<boolean> {
  const row = {
    id: heartbeat.workerId,
    hostname: heartbeat.hostname,
    pid: heartbeat.pid,
    version: heartbeat.version,
    lifecycle: heartbeat.lifecycle,
    startedAt: new Date(heartbeat.startedAt),
    lastSeenAt: new Date(heartbeat.beatAt),
    intervalMs: heartbeat.intervalMs,
    consumers: heartbeat.consumers,
    lastError: heartbeat.lastError,
    jobs: heartbeat.jobs ?? null,
    busy: heartbeat.busy ?? null,
    natsServer: heartbeat.natsServer ?? null,
  };
  const result = await db
    .insert(worker)
    .values(row)
    .onConflictDoUpdate({
      target: worker.id,
      set: {
        hostname: row.hostname,
        pid: row.pid,
        version: row.version,
        lifecycle: row.lifecycle,
        lastSeenAt: row.lastSeenAt,
        intervalMs: row.intervalMs,
        consumers: row.consumers,
        lastError: row.lastError,
        jobs: row.jobs,
        busy: row.busy,
        natsServer: row.natsServer,
      },
      // Only a newer beat moves the row; on a tie a terminal lifecycle wins.
      setWhere: sql`${worker.lastSeenAt} < excluded.last_seen_at
        or (${worker.lastSeenAt} = excluded.last_seen_at and excluded.lifecycle = 'stopped')`,
    })
    .returning({ id: worker.id });
  return result.length > 0;
}
