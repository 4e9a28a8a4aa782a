import { eq } from "drizzle-orm";
import type { Rule, UpdateRuleInput } from "@omniglass/contracts";
import { bumpVersion, mutate, UNCHANGED, type GatewayContext } from "../kit";
import { eventRule } from "../schema";
import { resolveRule, ruleById } from "./read-rule";
import { forgetRuleCache } from "./rule-cache";
import { ruleScopeColumns, validateRuleExpressions } from "./owner-kind";
import { readOnlyFields } from "./rule-input";

/**
 * Changes a rule. A custom rule: any field. A template or built-in rule: only `enabled` (an
 * operator may switch it off or on; its expressions belong to its template version or the
 * product), any other field sent is refused naming it. Open alarms stay open; the next samples
 * are judged by the new rule (a disabled rule stops evaluating: the rule cache's stamp moves).
 */
export async function updateRule({
  input,
  ...ctx
}: GatewayContext & { input: UpdateRuleInput }): Promise<Rule> {
  const rule = await mutate(ctx, {
    verb: "update",
    resource: "rule",
    requires: [{ capability: "rule:update", registry: true }],
    resolve: (tx) => resolveRule(tx, input.ref, { forUpdate: true }),
    id: (row) => row.r.id,
    version: (row) => [row.r.name, input.version, row.r.version],
    read: (tx, id) => ruleById(tx, id),
    apply: async (tx, row) => {
      const { ref: _ref, version: _version, scope, ...fields } = input;
      const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      if (row.r.origin !== "custom") {
        const refused = [...Object.keys(set), ...(scope ? ["scope"] : [])].filter(
          (field) => field !== "enabled",
        );
        if (refused.length > 0) throw readOnlyFields(row.r.name, row.r.origin, refused);
        if (set.enabled === undefined || set.enabled === row.r.enabled) return UNCHANGED;
        await tx
          .update(eventRule)
          .set({ enabled: set.enabled as boolean, ...bumpVersion(eventRule) })
          .where(eq(eventRule.id, row.r.id));
        return;
      }
      // Checked in the rule's own owner kind (component or system), which an update keeps.
      validateRuleExpressions(row.r.ownerKind, input);
      const scoped = scope ? await ruleScopeColumns(tx, ctx.actor, row.r.ownerKind, scope) : {};
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
