import { sql } from "drizzle-orm";
import type { TransitionMessage } from "@omniglass/contracts";
import type { Database } from "../db";

/*
 * The outbox relay's side of the database. Rows are written by the trigger on alarm_event (in
 * the transition's transaction); the relay reads the oldest unpublished ones, publishes each with
 * Nats-Msg-Id = its id, then stamps them. A relay killed between the two publishes them again:
 * JetStream stores them once within its duplicate window, and the actions consumer is
 * idempotent on (endpoint, alarm, seq) after it.
 */

/** The oldest unpublished outbox rows (trusted: the worker's relay). */
export async function unsafeUnpublishedOutbox(
  db: Database,
  { limit = 500 }: { limit?: number } = {},
): Promise<TransitionMessage[]> {
  const result = await db.execute(sql`
    select id, alarm_id, alarm_seq, kind, payload from outbox
    where published_at is null order by id limit ${limit}`);
  return (
    result.rows as {
      id: string | number;
      alarm_id: string;
      alarm_seq: number;
      kind: string;
      payload: Record<string, unknown>;
    }[]
  ).map((r) => ({
    outboxId: Number(r.id),
    alarmId: r.alarm_id,
    seq: Number(r.alarm_seq),
    kind: r.kind,
    payload: r.payload,
  }));
}

/** Stamps rows as published (after JetStream acknowledged them). */
export async function unsafeMarkOutboxPublished(db: Database, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`
    update outbox set published_at = now()
    where id = any(${sql.param(ids)}::bigint[]) and published_at is null`);
}

/** Forgets published rows older than `olderThan` (the stream and the deliveries keep the rest). */
export async function unsafePruneOutbox(db: Database, olderThan: Date): Promise<number> {
  const result = await db.execute(sql`
    delete from outbox where published_at is not null and created_at < ${olderThan.toISOString()}::timestamptz`);
  return result.rowCount ?? 0;
}
