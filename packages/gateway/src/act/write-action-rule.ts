import { eq, inArray } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { ActionRule, ActionRuleMatchers, CreateActionRuleInput } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { mutate, type GatewayContext } from "../kit";
import { resolveLocation } from "../locations/resolve-location";
import { resolveSystem } from "../systems/resolve-system";
import { actionRule, location, system, webhookEndpoint } from "../schema";

/*
 * Action rules: which transitions go to which endpoints. A location scope is placed there (its
 * writer needs action:write on it); all and template scopes are the platform's. Unknown endpoint
 * ids are refused naming the field, never a 500.
 */

const ACTION = "manage action rules";

export async function readActionRule(db: Database | Transaction, id: string): Promise<ActionRule> {
  const [row] = await db
    .select({ r: actionRule, locationPath: location.path, systemPath: system.path })
    .from(actionRule)
    .leftJoin(location, eq(location.id, actionRule.scopeLocationId))
    .leftJoin(system, eq(system.id, actionRule.scopeSystemId))
    .where(eq(actionRule.id, id));
  if (!row) throw new OmniglassError("NOT_FOUND", "No action rule has that id.");
  return toActionRule(row);
}

export function toActionRule(row: {
  r: typeof actionRule.$inferSelect;
  locationPath: string | null;
  systemPath: string | null;
}): ActionRule {
  const r = row.r;
  return {
    id: r.id,
    name: r.name,
    label: r.label,
    enabled: r.enabled,
    matchers: r.matchers as ActionRuleMatchers,
    scope: {
      kind: r.scopeKind,
      ref: r.scopeTemplate ?? row.locationPath ?? row.systemPath ?? null,
      id: r.scopeLocationId ?? r.scopeSystemId ?? null,
    },
    endpointIds: r.endpointIds,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

async function checkEndpoints(tx: Transaction, ids: string[]): Promise<void> {
  const found = await tx
    .select({ id: webhookEndpoint.id })
    .from(webhookEndpoint)
    .where(inArray(webhookEndpoint.id, ids));
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length > 0)
    throw new OmniglassError("INVALID", `No webhook endpoint has the id ${missing[0]}.`, {
      fieldErrors: missing.map((id) => ({
        field: "endpointIds",
        message: `unknown endpoint ${id}`,
      })),
    });
}

async function scopeOf(
  tx: Transaction,
  ctx: GatewayContext,
  scope: CreateActionRuleInput["scope"],
) {
  if (scope.kind === "all") return { kind: "all" as const, path: null, id: null, template: null };
  if (!scope.ref)
    throw new OmniglassError("INVALID", "A location, system or template scope names its ref.", {
      fieldErrors: [{ field: "scope.ref", message: "required unless kind is all" }],
    });
  if (scope.kind === "template")
    return { kind: "template" as const, path: null, id: null, template: scope.ref };
  if (scope.kind === "location") {
    const l = await resolveLocation(tx, ctx.actor, scope.ref);
    return { kind: "location" as const, path: l.path, id: l.id, template: null };
  }
  // Within read scope: outside it, the same 404 as a missing system.
  const s = await resolveSystem(tx, ctx.actor, scope.ref);
  return { kind: "system" as const, path: s.locationPath, id: s.row.id, template: null };
}

export async function createActionRule({
  input,
  ...ctx
}: GatewayContext & { input: CreateActionRuleInput }): Promise<ActionRule> {
  return mutate(ctx, {
    verb: "create",
    resource: "action_rule",
    resolve: async (tx) => {
      await checkEndpoints(tx, [...new Set(input.endpointIds)]);
      return scopeOf(tx, ctx, input.scope);
    },
    needs: (scope) => [
      scope.path
        ? { capability: "action:write", location: scope.path, action: ACTION }
        : { capability: "action:write", everywhere: true },
    ],
    read: (tx, id) => readActionRule(tx, id),
    apply: async (tx, scope) => {
      const id = uuidv7();
      await tx.insert(actionRule).values({
        id,
        name: input.name,
        label: input.label ?? null,
        enabled: input.enabled,
        matchers: input.matchers,
        scopeKind: scope.kind,
        scopeLocationId: scope.kind === "location" ? scope.id : null,
        scopeSystemId: scope.kind === "system" ? scope.id : null,
        scopeTemplate: scope.template,
        endpointIds: [...new Set(input.endpointIds)],
      });
      return { id };
    },
  });
}
