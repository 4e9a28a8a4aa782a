import { and, desc, eq, type SQL } from "drizzle-orm";
import type { Delivery } from "@omniglass/contracts";
import type { Database, Transaction } from "../db";
import { delivery } from "../schema";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toDelivery(d: typeof delivery.$inferSelect): Delivery {
  return {
    id: d.id,
    endpointId: d.endpointId,
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
    .select()
    .from(delivery)
    .where(and(...where))
    .orderBy(desc(delivery.createdAt), desc(delivery.id))
    .limit(filter.limit ?? 500);
  return rows.map(toDelivery);
}
