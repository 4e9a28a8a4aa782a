import { eq, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type {
  CreateWebhookEndpointInput,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from "@omniglass/contracts";
import { generateWebhookSecret, OmniglassError } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { mutate, type GatewayContext } from "../kit";
import { resolveLocation } from "../locations/resolve-location";
import { location, webhookEndpoint } from "../schema";
import { noSecretKey, sealSecret, type SecretKey } from "../secrets";

/*
 * Webhook endpoints. The signing secret is generated here, sealed like device credentials
 * (context = the endpoint's id) and returned once, by create; no read returns it. Loopback and
 * link-local hosts are refused unless the server allows them (`allowLoopback`: tests and
 * development), so an endpoint cannot aim the worker at the machine's own services.
 */

const ACTION = "manage webhook endpoints";

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

export async function readEndpoint(
  db: Database | Transaction,
  id: string,
): Promise<WebhookEndpoint> {
  const [row] = await db
    .select({ e: webhookEndpoint, path: location.path })
    .from(webhookEndpoint)
    .leftJoin(location, eq(location.id, webhookEndpoint.locationId))
    .where(eq(webhookEndpoint.id, id));
  if (!row) throw new OmniglassError("NOT_FOUND", "No webhook endpoint has that id.");
  return toEndpoint(row.e, row.path);
}

export function toEndpoint(
  e: typeof webhookEndpoint.$inferSelect,
  path: string | null,
): WebhookEndpoint {
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
    version: e.version,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

/** Creates an endpoint with a new secret, returned this once. */
export async function createWebhookEndpoint({
  input,
  options,
  ...ctx
}: GatewayContext & {
  input: CreateWebhookEndpointInput;
  options: EndpointOptions;
}): Promise<WebhookEndpointWithSecret> {
  if (!options.secretKey) throw noSecretKey();
  const secretKey = options.secretKey;
  checkEndpointUrl(input.url, options.allowLoopback);
  const secret = generateWebhookSecret();
  const endpoint = await mutate(ctx, {
    verb: "create",
    resource: "webhook_endpoint",
    resolve: async (tx) =>
      input.location ? await resolveLocation(tx, ctx.actor, input.location) : null,
    needs: (place) => [
      place
        ? { capability: "action:write", location: place.path, action: ACTION }
        : { capability: "action:write", everywhere: true },
    ],
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
