import { and, desc, eq, gte, lt, or, sql } from "drizzle-orm";
import type {
  ActionRule,
  Delivery,
  DeliveryDetail,
  ListActionRulesInput,
  ListDeliveriesInput,
  ListInput,
  WebhookEndpoint,
} from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { UUID } from "../kit";
import { readCursor, toPage, type Page } from "../list";
import { actionRule, delivery, deliveryAttempt, location, webhookEndpoint } from "../schema";
import { toAttempt, toDelivery, type AttemptJson } from "./read-delivery";
import { endpointQuery, endpointScope, resolveEndpoint, toEndpoint } from "./read-endpoint";
import { actionRuleScope, resolveActionRule, ruleQuery, toActionRule } from "./write-action-rule";

/*
 * Reading endpoints, rules and deliveries, scoped by `action:read`: an endpoint placed in a
 * location is visible within that subtree's scope; a platform one (no location) needs scope all.
 * A delivery is visible where its endpoint is. One statement per page whatever its size.
 */

export { endpointScope } from "./read-endpoint";

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
  const rows = await endpointQuery(db)
    .where(
      and(endpointScope(actor), cursor ? sql`${webhookEndpoint.name} > ${cursor[0]}` : undefined),
    )
    .orderBy(webhookEndpoint.name)
    .limit(input.page_size + 1);
  return toPage(rows, input, (r) => [r.e.name], toEndpoint);
}

/** One endpoint (by id or name) within read scope (else 404, naming nothing). */
export async function getWebhookEndpoint(
  db: Database | Transaction,
  actor: Actor,
  ref: string,
  capability = "action:read",
): Promise<WebhookEndpoint> {
  return toEndpoint(await resolveEndpoint(db, actor, ref, { capability }));
}

export async function findActionRules({
  actor,
  db,
  input,
}: {
  actor: Actor;
  db: Database;
  input: ListActionRulesInput;
}): Promise<Page<ActionRule>> {
  const cursor = readCursor(input, 1);
  const rows = await ruleQuery(db)
    .where(
      and(
        actionRuleScope(actor),
        input.endpoint ? sql`${input.endpoint}::uuid = any(${actionRule.endpointIds})` : undefined,
        cursor ? sql`${actionRule.name} > ${cursor[0]}` : undefined,
      ),
    )
    .orderBy(actionRule.name)
    .limit(input.page_size + 1);
  return toPage(rows, input, (r) => [r.r.name], toActionRule);
}

/** One action rule (by id or name) within read scope (else 404). */
export async function getActionRule(
  db: Database | Transaction,
  actor: Actor,
  ref: string,
): Promise<ActionRule> {
  return toActionRule(await resolveActionRule(db, actor, ref));
}

/**
 * Deliveries newest first, filtered by status, endpoint (id or name), alarm and creation time;
 * visible where their endpoint is.
 */
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
  const endpoint = input.endpoint;
  const rows = await db
    .select({ d: delivery, endpointName: webhookEndpoint.name })
    .from(delivery)
    .innerJoin(webhookEndpoint, eq(webhookEndpoint.id, delivery.endpointId))
    .leftJoin(location, eq(location.id, webhookEndpoint.locationId))
    .where(
      and(
        endpointScope(actor),
        input.status ? eq(delivery.status, input.status) : undefined,
        endpoint === undefined
          ? undefined
          : UUID.test(endpoint)
            ? eq(delivery.endpointId, endpoint)
            : eq(webhookEndpoint.name, endpoint),
        input.alarm ? eq(delivery.alarmId, input.alarm) : undefined,
        input.since ? gte(delivery.createdAt, new Date(input.since)) : undefined,
        input.until ? lt(delivery.createdAt, new Date(input.until)) : undefined,
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
    (r) => toDelivery(r.d, r.endpointName),
  );
}

/** One delivery with its body and every attempt, within read scope of its endpoint (else 404). */
export async function getDelivery(
  db: Database | Transaction,
  actor: Actor,
  id: string,
): Promise<DeliveryDetail> {
  const [row] = await db
    .select({
      d: delivery,
      endpointName: webhookEndpoint.name,
      attempts: sql<AttemptJson[] | null>`(select json_agg(json_build_object(
        'attempt', a.attempt, 'at', a.at, 'statusCode', a.status_code, 'latencyMs', a.latency_ms,
        'error', a.error, 'responseExcerpt', a.response_excerpt) order by a.attempt)
        from ${deliveryAttempt} a where a.delivery_id = ${delivery.id})`,
    })
    .from(delivery)
    .innerJoin(webhookEndpoint, eq(webhookEndpoint.id, delivery.endpointId))
    .leftJoin(location, eq(location.id, webhookEndpoint.locationId))
    .where(and(eq(delivery.id, id), endpointScope(actor)));
  if (!row) throw new OmniglassError("NOT_FOUND", "No delivery has that id.");
  return {
    ...toDelivery(row.d, row.endpointName),
    body: row.d.body,
    attemptLog: (row.attempts ?? []).map(toAttempt),
  };
}
