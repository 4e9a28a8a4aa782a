import { and, desc, eq, isNotNull, lt, or, sql, type SQL } from "drizzle-orm";
import type {
  ActionRule,
  Delivery,
  ListDeliveriesInput,
  ListInput,
  WebhookEndpoint,
} from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { readCursor, toPage, type Page } from "../list";
import { locationScopeCondition } from "../locations/scope";
import { actionRule, delivery, location, system, webhookEndpoint } from "../schema";
import { toActionRule } from "./write-action-rule";
import { toDelivery } from "./read-delivery";
import { toEndpoint } from "./write-endpoint";

/*
 * Reading endpoints, rules and deliveries, scoped by `action:read`: an endpoint placed in a
 * location is visible within that subtree's scope; a platform one (no location) needs scope all.
 * A delivery is visible where its endpoint is. One statement per page whatever its size.
 */

/** The condition on an endpoint's placement (undefined: scope all). */
export function endpointScope(actor: Actor, capability = "action:read"): SQL | undefined {
  const cond = locationScopeCondition(actor, capability, location.path);
  return cond === undefined ? undefined : and(isNotNull(webhookEndpoint.locationId), cond);
}

export async function findWebhookEndpoints({
  actor,
  db,
  input,
}: {
  actor: Actor;
  db: Database;
  input: ListInput;
}): Promise<Page<WebhookEndpoint>> {
  const cursor = readCursor(input, 1);
  const rows = await db
    .select({ e: webhookEndpoint, path: location.path })
    .from(webhookEndpoint)
    .leftJoin(location, eq(location.id, webhookEndpoint.locationId))
    .where(
      and(endpointScope(actor), cursor ? sql`${webhookEndpoint.name} > ${cursor[0]}` : undefined),
    )
    .orderBy(webhookEndpoint.name)
    .limit(input.page_size + 1);
  return toPage(
    rows,
    input,
    (r) => [r.e.name],
    (r) => toEndpoint(r.e, r.path),
  );
}

/** One endpoint within read scope (else 404, naming nothing). */
export async function getWebhookEndpoint(
  db: Database | Transaction,
  actor: Actor,
  id: string,
  capability = "action:read",
): Promise<WebhookEndpoint> {
  const [row] = await db
    .select({ e: webhookEndpoint, path: location.path })
    .from(webhookEndpoint)
    .leftJoin(location, eq(location.id, webhookEndpoint.locationId))
    .where(and(eq(webhookEndpoint.id, id), endpointScope(actor, capability)));
  if (!row) throw notFound("webhook endpoint");
  return toEndpoint(row.e, row.path);
}

export async function findActionRules({
  actor,
  db,
  input,
}: {
  actor: Actor;
  db: Database;
  input: ListInput;
}): Promise<Page<ActionRule>> {
  const cursor = readCursor(input, 1);
  const scope = locationScopeCondition(actor, "action:read", location.path);
  const rows = await db
    .select({ r: actionRule, locationPath: location.path, systemPath: system.path })
    .from(actionRule)
    .leftJoin(location, eq(location.id, actionRule.scopeLocationId))
    .leftJoin(system, eq(system.id, actionRule.scopeSystemId))
    .where(
      and(
        scope === undefined ? undefined : and(isNotNull(actionRule.scopeLocationId), scope),
        cursor ? sql`${actionRule.name} > ${cursor[0]}` : undefined,
      ),
    )
    .orderBy(actionRule.name)
    .limit(input.page_size + 1);
  return toPage(rows, input, (r) => [r.r.name], toActionRule);
}

/** Deliveries newest first, filtered by status, endpoint and alarm; visible where their endpoint is. */
export async function findDeliveries({
  actor,
  db,
  input,
}: {
  actor: Actor;
  db: Database;
  input: ListDeliveriesInput;
}): Promise<Page<Delivery>> {
  const cursor = readCursor(input, 2);
  const rows = await db
    .select({ d: delivery })
    .from(delivery)
    .innerJoin(webhookEndpoint, eq(webhookEndpoint.id, delivery.endpointId))
    .leftJoin(location, eq(location.id, webhookEndpoint.locationId))
    .where(
      and(
        endpointScope(actor),
        input.status ? eq(delivery.status, input.status) : undefined,
        input.endpoint ? eq(delivery.endpointId, input.endpoint) : undefined,
        input.alarm ? eq(delivery.alarmId, input.alarm) : undefined,
        cursor
          ? or(
              lt(delivery.createdAt, new Date(String(cursor[0]))),
              and(
                eq(delivery.createdAt, new Date(String(cursor[0]))),
                lt(delivery.id, String(cursor[1])),
              ),
            )
          : undefined,
      ),
    )
    .orderBy(desc(delivery.createdAt), desc(delivery.id))
    .limit(input.page_size + 1);
  return toPage(
    rows,
    input,
    (r) => [r.d.createdAt.toISOString(), r.d.id],
    (r) => toDelivery(r.d),
  );
}

const notFound = (what: string) => new OmniglassError("NOT_FOUND", `No ${what} has that id.`);
