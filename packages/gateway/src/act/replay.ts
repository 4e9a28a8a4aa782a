import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type {
  Delivery,
  ReplayDeliveriesInput,
  WebhookEndpointWithSecret,
} from "@omniglass/contracts";
import { generateWebhookSecret, OmniglassError, parseWebhookSecret } from "@omniglass/domain";
import { mutate, UUID, type GatewayContext } from "../kit";
import { location, delivery, webhookEndpoint } from "../schema";
import { noSecretKey, sealSecret, type SecretKey } from "../secrets";
import { newDeliveryId } from "./route-transitions";
import { readDelivery } from "./read-delivery";
import { endpointScope, readEndpoint, resolveEndpoint } from "./read-endpoint";
import { endpointAudit } from "./write-endpoint";

/*
 * Replays (one delivery, or every delivery of a time range) and the endpoint's secret rotation
 * and test event. A replay sends the same message again: the same webhook-id and body, attempts
 * from zero, due now — a receiver that already applied it drops it by id (or by seq). Its
 * attempt log continues (attempt numbers keep counting up across replays).
 */

const ACTION = "manage webhook deliveries";

const placed = (path: string | null) =>
  path
    ? { capability: "action:write", location: path, action: ACTION }
    : { capability: "action:write", everywhere: true as const };

export async function replayDelivery({
  id,
  ...ctx
}: GatewayContext & { id: string }): Promise<Delivery> {
  return mutate(ctx, {
    verb: "replay",
    resource: "delivery",
    resolve: async (tx) => {
      const [row] = await tx
        .select({ d: delivery, path: location.path })
        .from(delivery)
        .innerJoin(webhookEndpoint, eq(webhookEndpoint.id, delivery.endpointId))
        .leftJoin(location, eq(location.id, webhookEndpoint.locationId))
        .where(and(eq(delivery.id, id), endpointScope(ctx.actor)))
        .for("update", { of: delivery });
      if (!row) throw new OmniglassError("NOT_FOUND", "No delivery has that id.");
      return row;
    },
    needs: (row) => [placed(row.path)],
    placement: (row) => endpointAudit(row.path),
    id: (row) => row.d.id,
    read: async (tx, did) => (await readDelivery(tx, did))!,
    apply: async (tx, row) => {
      await tx
        .update(delivery)
        .set({ status: "pending", attempts: 0, nextAttemptAt: sql`now()`, updatedAt: sql`now()` })
        .where(eq(delivery.id, row.d.id));
    },
  });
}

/** Replays every delivery created in [from, to) (optionally of one endpoint, one status); at most 10,000. */
export async function replayDeliveries({
  input,
  ...ctx
}: GatewayContext & { input: ReplayDeliveriesInput }): Promise<{ replayed: number }> {
  const from = new Date(input.from);
  const to = new Date(input.to);
  if (!(from < to))
    throw new OmniglassError("INVALID", "`from` must be before `to`.", {
      fieldErrors: [{ field: "to", message: "must be after from" }],
    });
  const result = await mutate(ctx, {
    verb: "replay",
    resource: "delivery",
    resolve: async (tx) => {
      const rows = await tx
        .select({ id: delivery.id, path: location.path })
        .from(delivery)
        .innerJoin(webhookEndpoint, eq(webhookEndpoint.id, delivery.endpointId))
        .leftJoin(location, eq(location.id, webhookEndpoint.locationId))
        .where(
          and(
            endpointScope(ctx.actor),
            gte(delivery.createdAt, from),
            lt(delivery.createdAt, to),
            input.endpoint === undefined
              ? undefined
              : UUID.test(input.endpoint)
                ? eq(delivery.endpointId, input.endpoint)
                : eq(webhookEndpoint.name, input.endpoint),
            input.status ? eq(delivery.status, input.status) : undefined,
          ),
        )
        .limit(10_001);
      if (rows.length > 10_000)
        throw new OmniglassError("INVALID", "More than 10,000 deliveries in that range.", {
          fieldErrors: [{ field: "to", message: "narrow the range (at most 10,000 deliveries)" }],
        });
      return rows;
    },
    needs: (rows) => {
      const paths = [...new Set(rows.map((r) => r.path))];
      return paths.length === 0 ? [] : paths.map(placed);
    },
    read: async (_tx, _id, rows) => ({ replayed: rows.length, from: input.from, to: input.to }),
    id: () => "range",
    apply: async (tx, rows) => {
      if (rows.length === 0) return;
      await tx
        .update(delivery)
        .set({ status: "pending", attempts: 0, nextAttemptAt: sql`now()`, updatedAt: sql`now()` })
        .where(
          inArray(
            delivery.id,
            rows.map((r) => r.id),
          ),
        );
    },
  });
  return { replayed: result.replayed };
}

/**
 * A new secret for the endpoint, returned this once; the old one stops signing at once.
 * `secret`: the value to rotate to instead of a generated one (an estate apply given it by
 * reference; checked as a `whsec_` secret).
 */
export async function rotateWebhookSecret({
  ref,
  secretKey,
  secret: given,
  ...ctx
}: GatewayContext & {
  ref: string;
  secretKey: SecretKey | null;
  secret?: string;
}): Promise<WebhookEndpointWithSecret> {
  if (!secretKey) throw noSecretKey();
  if (given !== undefined) parseWebhookSecret(given);
  const secret = given ?? generateWebhookSecret();
  const endpoint = await mutate(ctx, {
    verb: "rotate-secret",
    resource: "webhook_endpoint",
    resolve: (tx) => resolveEndpoint(tx, ctx.actor, ref, { forUpdate: true }),
    needs: (row) => [placed(row.path)],
    placement: (row) => endpointAudit(row.path),
    id: (row) => row.e.id,
    read: (tx, id) => readEndpoint(tx, id),
    apply: async (tx, { e }) => {
      await tx
        .update(webhookEndpoint)
        .set({
          secretCiphertext: sealSecret(secretKey, secret, e.id),
          version: sql`${webhookEndpoint.version} + 1`,
          updatedAt: sql`now()`,
        })
        .where(eq(webhookEndpoint.id, e.id));
    },
  });
  return { ...endpoint, secret };
}

/**
 * Queues a signed `webhook.test` event to the endpoint (the delivery lane sends it at once; read
 * the delivery again for its outcome). A disabled endpoint is refused: nothing would send it.
 */
export async function testWebhookEndpoint({
  ref,
  ...ctx
}: GatewayContext & { ref: string }): Promise<Delivery> {
  const did = newDeliveryId();
  return mutate(ctx, {
    verb: "test",
    resource: "webhook_endpoint",
    resolve: (tx) => resolveEndpoint(tx, ctx.actor, ref),
    needs: (row) => [placed(row.path)],
    placement: (row) => endpointAudit(row.path),
    id: (row) => row.e.id,
    // Before the insert there is no delivery yet (the audit row's before is null).
    read: async (tx) => (await readDelivery(tx, did)) as Delivery,
    apply: async (tx, { e }) => {
      if (!e.enabled)
        throw new OmniglassError(
          "CONFLICT",
          "This endpoint is disabled: nothing is sent to it. Enable it first.",
          { fieldErrors: [{ field: "ref", message: "disabled" }] },
        );
      const at = new Date().toISOString();
      await tx.insert(delivery).values({
        id: did,
        endpointId: e.id,
        eventType: "webhook.test",
        body: JSON.stringify({ type: "webhook.test", timestamp: at, data: { endpointId: e.id } }),
        status: "pending",
        nextAttemptAt: sql`now()`,
      });
    },
  });
}
