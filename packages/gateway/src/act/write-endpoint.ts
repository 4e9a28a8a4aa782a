import { eq, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type {
  CreateWebhookEndpointInput,
  DeletedWebhookEndpoint,
  UpdateWebhookEndpointInput,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from "@omniglass/contracts";
import { generateWebhookSecret, OmniglassError, parseWebhookSecret } from "@omniglass/domain";
import type { AuditPlacement } from "../audit";
import type { Database } from "../db";
import { bumpVersion, mutate, UNCHANGED, type GatewayContext } from "../kit";
import { resolveLocation } from "../locations/resolve-location";
import { actionRule, webhookEndpoint } from "../schema";
import { noSecretKey, sealSecret, type SecretKey } from "../secrets";
import { readEndpoint, resolveEndpoint } from "./read-endpoint";

/*
 * Webhook endpoints. The signing secret is generated here, sealed like device credentials
 * (context = the endpoint's id) and returned once, by create (and rotate); no read returns it.
 * Loopback and link-local hosts are refused unless the server allows them (`allowLoopback`: tests
 * and development), on create and on every change of the URL, so an endpoint cannot aim the
 * worker at the machine's own services. Writes need `action:write` where the endpoint is placed
 * (a platform endpoint: on scope all).
 */

const ACTION = "manage webhook endpoints";

/** Where an endpoint's audit rows are placed. */
export const endpointAudit = (path: string | null): AuditPlacement =>
  path ? { kind: "location", path } : { kind: "platform" };

/** The check a write of an endpoint placed at `path` (null: the platform) needs. */
export const endpointCheck = (path: string | null) =>
  path
    ? { capability: "action:write", location: path, action: ACTION }
    : { capability: "action:write", everywhere: true as const };

export interface EndpointOptions {
  secretKey: SecretKey | null;
  /** Accept loopback URLs (127.0.0.0/8, ::1, localhost): tests and development only. */
  allowLoopback?: boolean;
}

export function checkEndpointUrl(url: string, allowLoopback = false): void {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const loopback =
    host === "localhost" ||
    host.endsWith(".localhost") ||
    /^127\./.test(host) ||
    host === "::1" ||
    host === "0.0.0.0" ||
    /^169\.254\./.test(host) ||
    /^fe80:/.test(host);
  if (loopback && !allowLoopback)
    throw new OmniglassError("INVALID", "Loopback and link-local webhook URLs are not allowed.", {
      fieldErrors: [{ field: "url", message: "loopback or link-local host not allowed here" }],
    });
}

/**
 * Creates an endpoint with a new secret, returned this once. `secret`: the value to use instead
 * of a generated one (an estate apply given it by reference; checked as a `whsec_` secret).
 */
export async function createWebhookEndpoint({
  input,
  options,
  secret: given,
  ...ctx
}: GatewayContext & {
  input: CreateWebhookEndpointInput;
  options: EndpointOptions;
  secret?: string;
}): Promise<WebhookEndpointWithSecret> {
  if (!options.secretKey) throw noSecretKey();
  const secretKey = options.secretKey;
  checkEndpointUrl(input.url, options.allowLoopback);
  if (given !== undefined) parseWebhookSecret(given);
  const secret = given ?? generateWebhookSecret();
  const endpoint = await mutate(ctx, {
    verb: "create",
    resource: "webhook_endpoint",
    resolve: async (tx) =>
      input.location ? await resolveLocation(tx, ctx.actor, input.location) : null,
    needs: (place) => [endpointCheck(place?.path ?? null)],
    placement: (place) => endpointAudit(place?.path ?? null),
    read: (tx, id) => readEndpoint(tx, id),
    apply: async (tx, place) => {
      const id = uuidv7();
      await tx.insert(webhookEndpoint).values({
        id,
        name: input.name,
        label: input.label ?? null,
        url: input.url,
        secretCiphertext: sealSecret(secretKey, secret, id),
        enabled: input.enabled,
        locationId: place?.id ?? null,
      });
      return { id };
    },
  });
  return { ...endpoint, secret };
}

/** Re-enables an endpoint a 410 disabled (or disables one), bumping its version. */
export async function unsafeSetEndpointEnabled(
  db: Database,
  id: string,
  enabled: boolean,
): Promise<void> {
  await db.execute(sql`update webhook_endpoint set enabled = ${enabled},
    disabled_reason = ${enabled ? null : "Disabled by hand"}, version = version + 1,
    updated_at = now() where id = ${id}::uuid`);
}

/**
 * Changes an endpoint's label, URL (checked as on create) or enabled. Disabling holds its
 * deliveries (the lane skips a disabled endpoint; nothing is dropped); enabling clears
 * `disabledReason` (a 410's included) and lets them go. A stale `version` is a 409.
 */
export async function updateWebhookEndpoint({
  input,
  options,
  ...ctx
}: GatewayContext & {
  input: UpdateWebhookEndpointInput;
  options: Pick<EndpointOptions, "allowLoopback">;
}): Promise<WebhookEndpoint> {
  if (input.url !== undefined) checkEndpointUrl(input.url, options.allowLoopback);
  return mutate(ctx, {
    verb: "update",
    resource: "webhook_endpoint",
    resolve: (tx) => resolveEndpoint(tx, ctx.actor, input.ref, { forUpdate: true }),
    needs: (row) => [endpointCheck(row.path)],
    placement: (row) => endpointAudit(row.path),
    id: (row) => row.e.id,
    version: (row) => ["This webhook endpoint", input.version, row.e.version],
    read: (tx, id) => readEndpoint(tx, id),
    apply: async (tx, { e }) => {
      const label = input.label === undefined ? e.label : input.label;
      const url = input.url ?? e.url;
      const enabled = input.enabled ?? e.enabled;
      if (label === e.label && url === e.url && enabled === e.enabled) return UNCHANGED;
      await tx
        .update(webhookEndpoint)
        .set({
          label,
          url,
          enabled,
          disabledReason: enabled
            ? null
            : enabled === e.enabled
              ? e.disabledReason
              : "Disabled by hand",
          // Re-enabled: a throttle the receiver asked for before, and the failures before it was
          // fixed, are not held against it (its endpoint-failing alarm resolves on the next pass).
          ...(enabled && !e.enabled ? { throttledUntil: null, failingSince: null } : {}),
          ...bumpVersion(webhookEndpoint),
        })
        .where(eq(webhookEndpoint.id, e.id));
    },
  });
}

/**
 * Deletes an endpoint. Refused (409 naming the rules) while an action rule delivers to it: edit
 * or delete those first, so no rule is left silently delivering nowhere. Its deliveries go with
 * it — the log and every unsent one (pending, failed, throttled: never sent) — and so do its
 * attempts and the alarms it owns (endpoint failing); the audit row keeps its image and the count.
 */
export async function deleteWebhookEndpoint({
  ref,
  ...ctx
}: GatewayContext & { ref: string }): Promise<DeletedWebhookEndpoint> {
  let dropped = 0;
  const before = await mutate(ctx, {
    verb: "delete",
    resource: "webhook_endpoint",
    resolve: (tx) => resolveEndpoint(tx, ctx.actor, ref, { forUpdate: true }),
    needs: (row) => [endpointCheck(row.path)],
    placement: (row) => endpointAudit(row.path),
    id: (row) => row.e.id,
    read: (tx, id) => readEndpoint(tx, id),
    apply: async (tx, { e }, image) => {
      const rules = await tx
        .select({ name: actionRule.name })
        .from(actionRule)
        .where(sql`${e.id}::uuid = any(${actionRule.endpointIds})`)
        .orderBy(actionRule.name)
        .for("update");
      if (rules.length > 0)
        throw new OmniglassError(
          "CONFLICT",
          `Action rules deliver to this endpoint (${rules.map((r) => r.name).join(", ")}); remove it from them first.`,
          { fieldErrors: [{ field: "ref", message: `named by ${rules.length} action rule(s)` }] },
        );
      const counted = await tx.execute(
        sql`select count(*)::int as n from delivery where endpoint_id = ${e.id}::uuid`,
      );
      dropped = Number((counted.rows[0] as { n: number }).n);
      await tx.delete(webhookEndpoint).where(eq(webhookEndpoint.id, e.id));
      return { deleted: true, before: { ...image, droppedDeliveries: dropped } };
    },
  });
  return { id: before.id, deleted: true, droppedDeliveries: dropped };
}
