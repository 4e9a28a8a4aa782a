import { sql } from "drizzle-orm";
import { classifyResponse, type AttemptResult } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { openSecret, type SecretKey } from "../secrets";

/*
 * The delivery lane's side of the database. Claiming takes due deliveries with FOR UPDATE SKIP
 * LOCKED and pushes their next_attempt_at ahead by a lease in the same statement, so two workers
 * never hold one delivery at once (a worker killed mid-attempt: the lease runs out and another
 * retries it, with the same webhook-id). A delivery is due only when no earlier seq of the same
 * alarm to the same endpoint is still undelivered (pending, failed or throttled), and no earlier
 * transition of the alarm is still unrouted (`outbox.routed_at`, set by the consumer with the
 * deliveries): per alarm and endpoint, deliveries arrive in seq order.
 */

export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  url: string;
  /** The endpoint's whsec_ secret, opened for signing this attempt; never log it. */
  secret: string;
  body: string;
  /** Attempts made including this one (from 1). */
  attempts: number;
}

/** Longer than the 15 s request timeout: a claimed delivery is not taken again meanwhile. */
export const DELIVERY_LEASE_MS = 30_000;

export async function unsafeClaimDueDeliveries(
  db: Database,
  {
    secretKey,
    limit = 20,
    leaseMs = DELIVERY_LEASE_MS,
  }: { secretKey: SecretKey; limit?: number; leaseMs?: number },
): Promise<ClaimedDelivery[]> {
  const result = await db.execute(sql`
    with due as (
      select d.id from delivery d
      join webhook_endpoint e on e.id = d.endpoint_id
      where d.status in ('pending', 'failed', 'throttled') and d.next_attempt_at <= now()
        and e.enabled and (e.throttled_until is null or e.throttled_until <= now())
        and not exists (
          select 1 from delivery p
          where p.endpoint_id = d.endpoint_id and p.alarm_id = d.alarm_id
            and p.alarm_seq < d.alarm_seq and p.status in ('pending', 'failed', 'throttled'))
        -- nor while an earlier transition of the alarm is not routed yet (another consumer has
        -- it in hand); a row lost on its way is waited for five minutes at most
        and not exists (
          select 1 from outbox o
          where o.alarm_id = d.alarm_id and o.alarm_seq < d.alarm_seq and o.routed_at is null
            and o.created_at > now() - interval '5 minutes')
      order by d.next_attempt_at, d.id
      limit ${limit}
      for update of d skip locked
    )
    update delivery set attempts = delivery.attempts + 1,
      next_attempt_at = now() + ${leaseMs} * interval '1 millisecond', updated_at = now()
    from due, webhook_endpoint e
    where delivery.id = due.id and e.id = delivery.endpoint_id
    returning delivery.id, delivery.endpoint_id, e.url, e.secret_ciphertext, delivery.body,
      delivery.attempts`);
  return (
    result.rows as {
      id: string;
      endpoint_id: string;
      url: string;
      secret_ciphertext: string;
      body: string;
      attempts: number;
    }[]
  ).map((r) => ({
    id: r.id,
    endpointId: r.endpoint_id,
    url: r.url,
    secret: openSecret(secretKey, r.secret_ciphertext, r.endpoint_id),
    body: r.body,
    attempts: Number(r.attempts),
  }));
}

export interface AttemptRecord {
  result: AttemptResult;
  latencyMs: number;
  /** At most 1 KB of the answer. */
  excerpt: string | null;
  /** What failed below HTTP (an error code such as ECONNREFUSED; never a URL or a secret). */
  detail?: string | null;
  /** The retry delays (default the spec's); tests pass a short one. */
  schedule?: readonly number[];
  random?: () => number;
}

/**
 * Records one attempt's outcome (decision 0010's status handling): delivered; 410 disables the
 * endpoint and dead-letters this delivery; a failure is retried on the schedule (throttled, and
 * the endpoint held back, when the receiver asked); dead once the schedule is spent. The same
 * transaction adds the attempt's row to the log (`delivery_attempt`: numbered on from the last
 * one, so a replayed delivery's attempts continue its history instead of colliding with it).
 */
export async function unsafeRecordDeliveryAttempt(
  db: Database,
  claimed: Pick<ClaimedDelivery, "id" | "endpointId" | "attempts">,
  attempt: AttemptRecord,
): Promise<"delivered" | "failed" | "throttled" | "dead" | "disabled"> {
  const now = new Date();
  const outcome = classifyResponse(attempt.result, {
    attempts: claimed.attempts,
    now,
    random: attempt.random ?? Math.random,
    schedule: attempt.schedule,
  });
  const code = attempt.result.kind === "response" ? attempt.result.status : null;
  const excerpt = attempt.excerpt === null ? null : attempt.excerpt.slice(0, 1024);
  const common = sql`last_attempt_at = ${now.toISOString()}::timestamptz, last_status_code = ${code},
    last_latency_ms = ${Math.round(attempt.latencyMs)}, response_excerpt = ${excerpt}, updated_at = now()`;
  const error =
    outcome.outcome === "delivered"
      ? null
      : outcome.outcome === "disable-endpoint"
        ? "410 Gone: the endpoint was disabled"
        : attempt.detail
          ? `${outcome.reason} (${attempt.detail})`
          : outcome.reason;
  return db.transaction(async (tx) => {
    await tx.execute(sql`insert into delivery_attempt
      (delivery_id, attempt, at, status_code, latency_ms, error, response_excerpt)
      select d.id,
        coalesce((select max(a.attempt) from delivery_attempt a where a.delivery_id = d.id), 0) + 1,
        ${now.toISOString()}::timestamptz, ${code}, ${Math.round(attempt.latencyMs)}, ${error},
        ${excerpt}
      from delivery d where d.id = ${claimed.id}`);
    switch (outcome.outcome) {
      case "delivered":
        await tx.execute(sql`update delivery set status = 'delivered', next_attempt_at = null,
          delivered_at = now(), last_error = null, ${common} where id = ${claimed.id}`);
        await tx.execute(sql`update webhook_endpoint set failing_since = null
          where id = ${claimed.endpointId}::uuid and failing_since is not null`);
        return "delivered";
      case "disable-endpoint":
        await tx.execute(sql`update delivery set status = 'dead', next_attempt_at = null,
          last_error = '410 Gone: the endpoint was disabled', ${common} where id = ${claimed.id}`);
        await tx.execute(sql`update webhook_endpoint set enabled = false,
          disabled_reason = 'The receiver answered 410 Gone', version = version + 1, updated_at = now()
          where id = ${claimed.endpointId}::uuid`);
        return "disabled";
      case "dead-letter":
        await tx.execute(sql`update delivery set status = 'dead', next_attempt_at = null,
          last_error = ${error}, ${common} where id = ${claimed.id}`);
        await failing(tx, claimed.endpointId, null);
        return "dead";
      case "retry": {
        const status = outcome.throttleUntil ? "throttled" : "failed";
        await tx.execute(sql`update delivery set status = ${status},
          next_attempt_at = ${outcome.at.toISOString()}::timestamptz, last_error = ${error},
          ${common} where id = ${claimed.id}`);
        await failing(tx, claimed.endpointId, outcome.throttleUntil);
        return status;
      }
    }
  });
}

async function failing(tx: Transaction, endpointId: string, throttleUntil: Date | null) {
  await tx.execute(sql`update webhook_endpoint set failing_since = coalesce(failing_since, now()),
    throttled_until = ${throttleUntil ? throttleUntil.toISOString() : null}::timestamptz
    where id = ${endpointId}::uuid`);
}

/** Deliveries are kept 30 days (by creation). */
export const DELIVERY_RETENTION_MS = 30 * 24 * 3600 * 1000;

export async function unsafePruneDeliveries(db: Database, olderThan: Date): Promise<number> {
  const result = await db.execute(sql`
    delete from delivery where created_at < ${olderThan.toISOString()}::timestamptz`);
  return result.rowCount ?? 0;
}
