import { and, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import type { DeliveryStatus, WebhookEndpoint } from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { refCondition, theOne } from "../kit";
import { locationScopeCondition } from "../locations/scope";
import { location, webhookEndpoint } from "../schema";

/*
 * Reading webhook endpoints: the row, its placement's path, its newest delivery and how many of
 * its deliveries are still to send — in the endpoint's own statement (subqueries), so a page of
 * endpoints is one statement. The secret's column is never turned into a DTO.
 */

/** The condition on an endpoint's placement (undefined: scope all). */
export function endpointScope(actor: Actor, capability = "action:read"): SQL | undefined {
  const cond = locationScopeCondition(actor, capability, location.path);
  return cond === undefined ? undefined : and(isNotNull(webhookEndpoint.locationId), cond);
}

interface LastDelivery {
  id: string;
  status: DeliveryStatus;
  at: string;
  statusCode: number | null;
}

/** The columns of an endpoint read (`from webhook_endpoint left join location`). */
export const ENDPOINT_COLUMNS = {
  e: webhookEndpoint,
  path: location.path,
  last: sql<LastDelivery | null>`(select json_build_object('id', d.id, 'status', d.status,
    'at', coalesce(d.last_attempt_at, d.created_at), 'statusCode', d.last_status_code)
    from delivery d where d.endpoint_id = ${webhookEndpoint.id}
    order by d.created_at desc, d.id desc limit 1)`,
  unsent: sql<number>`(select count(*)::int from delivery d
    where d.endpoint_id = ${webhookEndpoint.id} and d.status in ('pending', 'failed', 'throttled'))`,
};

export type EndpointRow = {
  e: typeof webhookEndpoint.$inferSelect;
  path: string | null;
  last: LastDelivery | null;
  unsent: number;
};

export function endpointQuery(db: Database | Transaction) {
  return db
    .select(ENDPOINT_COLUMNS)
    .from(webhookEndpoint)
    .leftJoin(location, eq(location.id, webhookEndpoint.locationId));
}

export function toEndpoint(row: EndpointRow): WebhookEndpoint {
  const { e, path, last } = row;
  return {
    id: e.id,
    name: e.name,
    label: e.label,
    url: e.url,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    location: e.locationId && path ? { id: e.locationId, path } : null,
    failingSince: e.failingSince?.toISOString() ?? null,
    throttledUntil: e.throttledUntil?.toISOString() ?? null,
    lastDelivery: last
      ? {
          id: last.id,
          status: last.status,
          at: new Date(last.at).toISOString(),
          statusCode: last.statusCode,
        }
      : null,
    unsentDeliveries: Number(row.unsent),
    version: e.version,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

export const endpointNotFound = () =>
  new OmniglassError("NOT_FOUND", "No webhook endpoint has that name or id.");

/** An endpoint by id (trusted: read-backs after a write, the worker and tests). */
export async function readEndpoint(
  db: Database | Transaction,
  id: string,
): Promise<WebhookEndpoint> {
  const [row] = await endpointQuery(db).where(eq(webhookEndpoint.id, id));
  if (!row) throw endpointNotFound();
  return toEndpoint(row);
}

/**
 * The endpoint a reference (id or name) names within `capability`'s read scope — outside it the
 * same 404 as a missing one — locked for update when asked.
 */
export async function resolveEndpoint(
  db: Database | Transaction,
  actor: Actor,
  ref: string,
  { forUpdate = false, capability = "action:read" } = {},
): Promise<EndpointRow> {
  const query = endpointQuery(db)
    .where(and(refCondition(ref, webhookEndpoint), endpointScope(actor, capability)))
    .limit(2);
  const rows = forUpdate ? await query.for("update", { of: webhookEndpoint }) : await query;
  return theOne(rows, ref, "webhook endpoint", endpointNotFound);
}
