import { and, eq, inArray, isNotNull, or, type SQL } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type {
  ActionRule,
  ActionRuleMatchers,
  CreateActionRuleInput,
  UpdateActionRuleInput,
} from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import type { AuditPlacement } from "../audit";
import type { Database, Transaction } from "../db";
import { bumpVersion, mutate, refCondition, theOne, UNCHANGED, type GatewayContext } from "../kit";
import { resolveLocation } from "../locations/resolve-location";
import { locationScopeCondition, placedScopeCondition } from "../locations/scope";
import { resolveSystem } from "../systems/resolve-system";
import { actionRule, location, system, webhookEndpoint } from "../schema";
import { endpointScope } from "./read-endpoint";

/*
 * Action rules: which transitions go to which endpoints. A location scope is placed there, a
 * system scope at the system's location (its writer needs action:write there); all and template
 * scopes are the platform's. The endpoints named must exist within the writer's read scope —
 * unknown ones (or ones out of sight) are refused naming the field, never a 500. Deleting a rule
 * keeps its past deliveries in the log (their rule becomes null) and lets queued ones go out.
 */

const ACTION = "manage action rules";

type RuleRow = {
  r: typeof actionRule.$inferSelect;
  locationPath: string | null;
  systemPath: string | null;
};

export function ruleQuery(db: Database | Transaction) {
  return db
    .select({ r: actionRule, locationPath: location.path, systemPath: system.path })
    .from(actionRule)
    .leftJoin(location, eq(location.id, actionRule.scopeLocationId))
    .leftJoin(system, eq(system.id, actionRule.scopeSystemId));
}

/**
 * Where a rule is visible for `capability`: location-scoped ones within the reader's location
 * scope, system-scoped ones where the system is (or with a grant on it), all and template ones
 * only on scope all (undefined: everything).
 */
export function actionRuleScope(actor: Actor, capability = "action:read"): SQL | undefined {
  const atLocation = locationScopeCondition(actor, capability, location.path);
  if (atLocation === undefined) return undefined;
  const atSystem = placedScopeCondition(actor, capability, {
    path: system.path,
    systemId: system.id,
  });
  return or(
    and(isNotNull(actionRule.scopeLocationId), atLocation),
    and(isNotNull(actionRule.scopeSystemId), atSystem),
  );
}

export async function readActionRule(db: Database | Transaction, id: string): Promise<ActionRule> {
  const [row] = await ruleQuery(db).where(eq(actionRule.id, id));
  if (!row) throw ruleNotFound();
  return toActionRule(row);
}

export const ruleNotFound = () =>
  new OmniglassError("NOT_FOUND", "No action rule has that name or id.");

/** The rule a reference (id or name) names within read scope (else 404), locked when asked. */
export async function resolveActionRule(
  db: Database | Transaction,
  actor: Actor,
  ref: string,
  { forUpdate = false } = {},
): Promise<RuleRow> {
  const query = ruleQuery(db)
    .where(and(refCondition(ref, actionRule), actionRuleScope(actor)))
    .limit(2);
  const rows = forUpdate ? await query.for("update", { of: actionRule }) : await query;
  return theOne(rows, ref, "action rule", ruleNotFound);
}

export function toActionRule(row: RuleRow): ActionRule {
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

/**
 * The endpoints exist and the writer may read them; held (FOR SHARE) until the write commits, so
 * an endpoint cannot be deleted under a rule that is being pointed at it.
 */
async function checkEndpoints(tx: Transaction, actor: Actor, ids: string[]): Promise<void> {
  const found = await tx
    .select({ id: webhookEndpoint.id })
    .from(webhookEndpoint)
    .leftJoin(location, eq(location.id, webhookEndpoint.locationId))
    .where(and(inArray(webhookEndpoint.id, ids), endpointScope(actor)))
    .for("share", { of: webhookEndpoint });
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length > 0)
    throw new OmniglassError("INVALID", `No webhook endpoint has the id ${missing[0]}.`, {
      fieldErrors: missing.map((id) => ({
        field: "endpointIds",
        message: `unknown endpoint ${id}`,
      })),
    });
}

interface ResolvedScope {
  kind: "all" | "location" | "system" | "template";
  /** Where it is placed (a system's: its location); null: the platform. */
  path: string | null;
  id: string | null;
  template: string | null;
}

async function scopeOf(
  tx: Transaction,
  actor: Actor,
  scope: CreateActionRuleInput["scope"],
): Promise<ResolvedScope> {
  if (scope.kind === "all") return { kind: "all", path: null, id: null, template: null };
  if (!scope.ref)
    throw new OmniglassError("INVALID", "A location, system or template scope names its ref.", {
      fieldErrors: [{ field: "scope.ref", message: "required unless kind is all" }],
    });
  if (scope.kind === "template")
    return { kind: "template", path: null, id: null, template: scope.ref };
  if (scope.kind === "location") {
    const l = await resolveLocation(tx, actor, scope.ref);
    return { kind: "location", path: l.path, id: l.id, template: null };
  }
  // Within read scope: outside it, the same 404 as a missing system.
  const s = await resolveSystem(tx, actor, scope.ref);
  return { kind: "system", path: s.locationPath, id: s.row.id, template: null };
}

/** The scope a stored rule has now. */
function currentScope(row: RuleRow): ResolvedScope {
  const r = row.r;
  const systemLocation = row.systemPath
    ? row.systemPath.slice(0, row.systemPath.lastIndexOf("."))
    : null;
  return {
    kind: r.scopeKind,
    path: row.locationPath ?? systemLocation,
    id: r.scopeLocationId ?? r.scopeSystemId,
    template: r.scopeTemplate,
  };
}

/** Where its audit rows are placed (readable by who may read the rule's placement). */
const auditAt = (scope: ResolvedScope): AuditPlacement =>
  scope.path ? { kind: "location", path: scope.path } : { kind: "platform" };

const placedAt = (scope: ResolvedScope) =>
  scope.path
    ? { capability: "action:write", location: scope.path, action: ACTION }
    : { capability: "action:write", everywhere: true as const };

const scopeColumns = (scope: ResolvedScope) => ({
  scopeKind: scope.kind,
  scopeLocationId: scope.kind === "location" ? scope.id : null,
  scopeSystemId: scope.kind === "system" ? scope.id : null,
  scopeTemplate: scope.template,
});

export async function createActionRule({
  input,
  ...ctx
}: GatewayContext & { input: CreateActionRuleInput }): Promise<ActionRule> {
  return mutate(ctx, {
    verb: "create",
    resource: "action_rule",
    resolve: async (tx) => {
      await checkEndpoints(tx, ctx.actor, [...new Set(input.endpointIds)]);
      return scopeOf(tx, ctx.actor, input.scope);
    },
    needs: (scope) => [placedAt(scope)],
    read: (tx, id) => readActionRule(tx, id),
    placement: auditAt,
    apply: async (tx, scope) => {
      const id = uuidv7();
      await tx.insert(actionRule).values({
        id,
        name: input.name,
        label: input.label ?? null,
        enabled: input.enabled,
        matchers: input.matchers,
        ...scopeColumns(scope),
        endpointIds: [...new Set(input.endpointIds)],
      });
      return { id };
    },
  });
}

/**
 * Changes a rule's label, enabled, matchers (replaced whole), scope or endpoints. A new scope
 * needs action:write there as well as where the rule is now. A stale `version` is a 409.
 */
export async function updateActionRule({
  input,
  ...ctx
}: GatewayContext & { input: UpdateActionRuleInput }): Promise<ActionRule> {
  return mutate(ctx, {
    verb: "update",
    resource: "action_rule",
    resolve: async (tx) => {
      const row = await resolveActionRule(tx, ctx.actor, input.ref, { forUpdate: true });
      const current = currentScope(row);
      const next = input.scope ? await scopeOf(tx, ctx.actor, input.scope) : current;
      if (input.endpointIds) await checkEndpoints(tx, ctx.actor, [...new Set(input.endpointIds)]);
      return { row, current, next };
    },
    needs: ({ current, next }) => [
      placedAt(current),
      ...(next !== current ? [placedAt(next)] : []),
    ],
    id: ({ row }) => row.r.id,
    version: ({ row }) => ["This action rule", input.version, row.r.version],
    read: (tx, id) => readActionRule(tx, id),
    placement: ({ next }) => auditAt(next),
    apply: async (tx, { row, next }) => {
      const r = row.r;
      const values = {
        label: input.label === undefined ? r.label : input.label,
        enabled: input.enabled ?? r.enabled,
        matchers: input.matchers ?? (r.matchers as ActionRuleMatchers),
        ...scopeColumns(next),
        endpointIds: input.endpointIds ? [...new Set(input.endpointIds)] : r.endpointIds,
      };
      const same =
        values.label === r.label &&
        values.enabled === r.enabled &&
        JSON.stringify(values.matchers) === JSON.stringify(r.matchers) &&
        values.scopeKind === r.scopeKind &&
        values.scopeLocationId === r.scopeLocationId &&
        values.scopeSystemId === r.scopeSystemId &&
        values.scopeTemplate === r.scopeTemplate &&
        values.endpointIds.join() === r.endpointIds.join();
      if (same) return UNCHANGED;
      await tx
        .update(actionRule)
        .set({ ...values, ...bumpVersion(actionRule) })
        .where(eq(actionRule.id, r.id));
    },
  });
}

/**
 * Deletes a rule: no transition matches it from now on. Deliveries it already made stay in the
 * log (their rule becomes null) and queued ones are still sent — they were committed promises.
 */
export async function deleteActionRule({
  ref,
  ...ctx
}: GatewayContext & { ref: string }): Promise<{ id: string; deleted: true }> {
  const before = await mutate(ctx, {
    verb: "delete",
    resource: "action_rule",
    resolve: (tx) => resolveActionRule(tx, ctx.actor, ref, { forUpdate: true }),
    needs: (row) => [placedAt(currentScope(row))],
    id: (row) => row.r.id,
    read: (tx, id) => readActionRule(tx, id),
    placement: (row) => auditAt(currentScope(row)),
    apply: async (tx, row) => {
      await tx.delete(actionRule).where(eq(actionRule.id, row.r.id));
      return { deleted: true };
    },
  });
  return { id: before.id, deleted: true };
}
