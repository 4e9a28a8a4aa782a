import { and, asc, desc, eq, type SQL } from "drizzle-orm";
import type { Delivery, DeliveryAttempt } from "@omniglass/contracts";
import type { Database, Transaction } from "../db";
import { delivery, deliveryAttempt, webhookEndpoint } from "../schema";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toDelivery(d: typeof delivery.$inferSelect, endpointName: string): Delivery {
  return {
    id: d.id,
    endpointId: d.endpointId,
    endpointName,
    actionRuleId: d.actionRuleId,
    alarmId: d.alarmId,
    alarmSeq: d.alarmSeq,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: iso(d.nextAttemptAt),
    lastAttemptAt: iso(d.lastAttemptAt),
    lastStatusCode: d.lastStatusCode,
    lastLatencyMs: d.lastLatencyMs,
    lastError: d.lastError,
    responseExcerpt: d.responseExcerpt,
    deliveredAt: iso(d.deliveredAt),
    createdAt: d.createdAt.toISOString(),
  };
}

/** An attempt as `json_build_object` hands it over (its time as text). */
export interface AttemptJson {
  attempt: number;
  at: string;
  statusCode: number | null;
  latencyMs: number | null;
  error: string | null;
  responseExcerpt: string | null;
}

export const toAttempt = (a: AttemptJson): DeliveryAttempt => ({
  attempt: a.attempt,
  at: new Date(a.at).toISOString(),
  statusCode: a.statusCode,
  latencyMs: a.latencyMs,
  error: a.error,
  responseExcerpt: a.responseExcerpt,
});

/** A delivery by id with its endpoint's name, or null (trusted: read-backs after a write). */
export async function readDelivery(
  db: Database | Transaction,
  id: string,
): Promise<Delivery | null> {
  const [row] = await db
    .select({ d: delivery, endpointName: webhookEndpoint.name })
    .from(delivery)
    .innerJoin(webhookEndpoint, eq(webhookEndpoint.id, delivery.endpointId))
    .where(eq(delivery.id, id));
  return row ? toDelivery(row.d, row.endpointName) : null;
}

/**
 * Deliveries of an alarm or an endpoint, newest first (trusted: the worker and tests; the API's
 * list is scoped).
 */
export async function unsafeListDeliveries(
  db: Database | Transaction,
  filter: { alarmId?: string; endpointId?: string; limit?: number },
): Promise<Delivery[]> {
  const where: SQL[] = [];
  if (filter.alarmId) where.push(eq(delivery.alarmId, filter.alarmId));
  if (filter.endpointId) where.push(eq(delivery.endpointId, filter.endpointId));
  const rows = await db
    .select({ d: delivery, endpointName: webhookEndpoint.name })
    .from(delivery)
    .innerJoin(webhookEndpoint, eq(webhookEndpoint.id, delivery.endpointId))
    .where(and(...where))
    .orderBy(desc(delivery.createdAt), desc(delivery.id))
    .limit(filter.limit ?? 500);
  return rows.map((r) => toDelivery(r.d, r.endpointName));
}

/** Every attempt of a delivery, oldest first (trusted: tests and the worker). */
export async function unsafeListDeliveryAttempts(
  db: Database | Transaction,
  deliveryId: string,
): Promise<DeliveryAttempt[]> {
  const rows = await db
    .select()
    .from(deliveryAttempt)
    .where(eq(deliveryAttempt.deliveryId, deliveryId))
    .orderBy(asc(deliveryAttempt.attempt));
  return rows.map((a) => ({
    attempt: a.attempt,
    at: a.at.toISOString(),
    statusCode: a.statusCode,
    latencyMs: a.latencyMs,
    error: a.error,
    responseExcerpt: a.responseExcerpt,
  }));
}
