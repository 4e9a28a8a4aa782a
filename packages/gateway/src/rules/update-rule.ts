import { eq } from "drizzle-orm";
import type { Rule, UpdateRuleInput } from "@omniglass/contracts";
import { bumpVersion, mutate, UNCHANGED, type GatewayContext } from "../kit";
import { eventRule } from "../schema";
import { resolveRule, ruleById } from "./read-rule";
import { forgetRuleCache } from "./rule-cache";
import { readOnly, scopeColumns, validateExpressions } from "./rule-input";

/**
 * Changes a custom rule (template rules are read-only). Open alarms stay open; the next samples
 * are judged by the new expressions.
 */
export async function updateRule({
  input,
  ...ctx
}: GatewayContext & { input: UpdateRuleInput }): Promise<Rule> {
  validateExpressions(input);
  const rule = await mutate(ctx, {
    verb: "update",
    resource: "rule",
    requires: [{ capability: "rule:update", registry: true }],
    resolve: (tx) => resolveRule(tx, input.ref, { forUpdate: true }),
    id: (row) => row.r.id,
    version: (row) => [row.r.name, input.version, row.r.version],
    read: (tx, id) => ruleById(tx, id),
    apply: async (tx, row) => {
      if (row.r.origin !== "custom") throw readOnly(row.r.name, row.r.origin);
      const { ref: _ref, version: _version, scope, ...fields } = input;
      const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      const scoped = scope ? await scopeColumns(tx, ctx.actor, scope) : {};
      if (Object.keys(set).length === 0 && !scope) return UNCHANGED;
      await tx
        .update(eventRule)
        .set({ ...set, ...scoped, ...bumpVersion(eventRule) })
        .where(eq(eventRule.id, row.r.id));
    },
  });
  forgetRuleCache();
  return rule;
}
