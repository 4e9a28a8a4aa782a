import { and, eq, inArray } from "drizzle-orm";
import type { ActionRuleMatchers } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import { bodyOf, type Address, type SecretRef } from "@omniglass/estate";
import { rotateWebhookSecret } from "../act/replay";
import { createActionRule, deleteActionRule, updateActionRule } from "../act/write-action-rule";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  updateWebhookEndpoint,
} from "../act/write-endpoint";
import type { Transaction } from "../db";
import { eventRule, webhookEndpoint } from "../schema";
import { noSecretKey, openSecret } from "../secrets";
import { same, specsOf, type ApplySecrets, type ChangeArgs } from "./apply-model";

/**
 * The value of a secret reference for `address` from what the apply request carried: only
 * `${env:NAME}` (a `{ secretRef }` is refused before anything is written). A missing value is a
 * 400 naming the variable, never the value.
 */
export function suppliedSecret(secrets: ApplySecrets, address: Address, ref: SecretRef): string {
  if (!("env" in ref))
    throw new OmniglassError("INVALID", `${address}: a { secretRef } is not resolved by applies.`);
  const value = secrets.supplied.get(ref.env);
  if (value === undefined || value === "")
    throw new OmniglassError(
      "INVALID",
      `${address} needs the value of \${env:${ref.env}}: the apply request carries none (the CLI sends it from its environment).`,
      { fieldErrors: [{ field: `secrets.${ref.env}`, message: "required by the plan" }] },
    );
  return value;
}

/**
 * A webhook endpoint through the endpoints API. Create: the file's secret if it names one,
 * else a generated one answered once by the apply. Update: label, URL, enabled; a changed
 * secret reference rotates to the value supplied for it (the current secret is never read or
 * compared); a reference removed from the files leaves the secret as it is. A replace (moved
 * location) is a delete and a create.
 */
export async function writeEndpoint(a: ChangeArgs): Promise<string | undefined> {
  const { ctx, change, path, secrets } = a;
  const { want, was } = specsOf<"endpoint">(a);
  const rotated = want?.secret !== undefined && !same(want.secret, was?.secret);
  // A moved endpoint (replace) keeps its secret unless the files name a new one: carried over
  // sealed, server-side, so its receivers keep verifying (never answered or logged).
  const kept =
    change.operation === "replace" && !rotated
      ? await currentSecret(a.tx, secrets, change.address)
      : undefined;
  if (change.operation === "delete" || change.operation === "replace")
    await deleteWebhookEndpoint({ ...ctx, ref: path });
  if (change.operation === "delete") return;
  const given =
    kept ??
    (want!.secret && (change.operation !== "update" || rotated)
      ? secretValue(secrets, change.address, want!.secret)
      : undefined);
  if (change.operation === "update" && was) {
    await updateWebhookEndpoint({
      ...ctx,
      input: { ref: path, label: want!.label ?? null, url: want!.url, enabled: want!.enabled },
      options: { allowLoopback: secrets.allowLoopback },
    });
    if (given !== undefined)
      await rotateWebhookSecret({
        ...ctx,
        ref: path,
        secretKey: secrets.secretKey,
        secret: given,
      });
    return;
  }
  const made = await createWebhookEndpoint({
    ...ctx,
    input: {
      name: path,
      url: want!.url,
      enabled: want!.enabled,
      ...(want!.label ? { label: want!.label } : {}),
      ...(want!.location ? { location: bodyOf(want!.location) } : {}),
    },
    options: { secretKey: secrets.secretKey, allowLoopback: secrets.allowLoopback },
    ...(given !== undefined ? { secret: given } : {}),
  });
  if (given === undefined) secrets.generated.push({ address: change.address, secret: made.secret });
  return made.id;
}

/** The secret an endpoint signs with now (opened here only to seal it again for its replacement). */
async function currentSecret(
  tx: Transaction,
  secrets: ApplySecrets,
  address: Address,
): Promise<string> {
  if (!secrets.secretKey) throw noSecretKey();
  const [row] = await tx
    .select({ id: webhookEndpoint.id, sealed: webhookEndpoint.secretCiphertext })
    .from(webhookEndpoint)
    .where(eq(webhookEndpoint.name, bodyOf(address)));
  if (!row) throw new OmniglassError("NOT_FOUND", `${address} is gone.`);
  return openSecret(secrets.secretKey, row.sealed, row.id);
}

/** The supplied value, checked as a webhook secret (a 400 names the address, not the value). */
function secretValue(secrets: ApplySecrets, address: Address, ref: SecretRef): string {
  const value = suppliedSecret(secrets, address, ref);
  if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(value))
    throw new OmniglassError(
      "INVALID",
      `${address}: the value of the secret's reference is not a webhook secret (whsec_ and base64 of 24…64 bytes).`,
      { fieldErrors: [{ field: `${address}.secret`, message: "not a whsec_ secret" }] },
    );
  return value;
}

/** An action rule through the action-rules API (endpoints and event rules named → ids). */
export async function writeActionRule(a: ChangeArgs): Promise<string | undefined> {
  const { tx, ctx, change, path, op } = a;
  const { want } = specsOf<"action-rule">(a);
  if (op === "delete") {
    await deleteActionRule({ ...ctx, ref: path });
    return;
  }
  const spec = want!;
  const endpointIds = await idsByName(tx, "webhook_endpoint", spec.endpoints, change.address);
  const { rules, ...rest } = spec.matchers;
  // The loader checked severities and kinds against the same enums the API takes.
  const matchers = {
    ...rest,
    ...(rules ? { ruleIds: await idsByName(tx, "event_rule", rules, change.address) } : {}),
  } as ActionRuleMatchers;
  const scope =
    spec.scope === "all"
      ? { kind: "all" as const }
      : {
          kind: spec.scope.slice(0, spec.scope.indexOf(".")) as "location" | "system" | "template",
          ref: bodyOf(spec.scope),
        };
  if (op === "update") {
    await updateActionRule({
      ...ctx,
      input: {
        ref: path,
        label: spec.label ?? null,
        enabled: spec.enabled,
        matchers,
        scope,
        endpointIds,
      },
    });
    return;
  }
  const made = await createActionRule({
    ...ctx,
    input: {
      name: path,
      enabled: spec.enabled,
      matchers,
      scope,
      endpointIds,
      ...(spec.label ? { label: spec.label } : {}),
    },
  });
  return made.id;
}

/** Ids of named rows (created earlier in this apply or not); an unknown name is a 400. */
async function idsByName(
  tx: Transaction,
  table: "webhook_endpoint" | "event_rule",
  addresses: Address[],
  owner: Address,
): Promise<string[]> {
  const names = addresses.map(bodyOf);
  const found =
    table === "webhook_endpoint"
      ? await tx
          .select({ id: webhookEndpoint.id, name: webhookEndpoint.name })
          .from(webhookEndpoint)
          .where(inArray(webhookEndpoint.name, names))
      : await tx
          .select({ id: eventRule.id, name: eventRule.name })
          .from(eventRule)
          .where(and(eq(eventRule.origin, "custom"), inArray(eventRule.name, names)));
  return names.map((name) => {
    const row = found.find((f) => f.name === name);
    if (!row)
      throw new OmniglassError(
        "INVALID",
        `${owner} names ${table === "event_rule" ? "rule" : "endpoint"} ${name}, which does not exist.`,
        { fieldErrors: [{ field: owner, message: `unknown ${name}` }] },
      );
    return row.id;
  });
}
