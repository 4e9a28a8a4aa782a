import { eq } from "drizzle-orm";
import { mutate, type GatewayContext } from "../kit";
import { eventRule } from "../schema";
import { resolveRule, ruleById } from "./read-rule";
import { forgetRuleCache } from "./rule-cache";
import { readOnly } from "./rule-input";

/** Deletes a custom rule with its episodes and alarms (template rules are read-only). */
export async function deleteRule({
  ref,
  ...ctx
}: GatewayContext & { ref: string }): Promise<{ id: string; deleted: true }> {
  const before = await mutate(ctx, {
    verb: "delete",
    resource: "rule",
    requires: [{ capability: "rule:delete", registry: true }],
    resolve: (tx) => resolveRule(tx, ref, { forUpdate: true }),
    id: (row) => row.r.id,
    read: (tx, id) => ruleById(tx, id),
    apply: async (tx, row) => {
      if (row.r.origin !== "custom") throw readOnly(row.r.name, row.r.origin);
      await tx.delete(eventRule).where(eq(eventRule.id, row.r.id));
      return { deleted: true };
    },
  });
  forgetRuleCache();
  return { id: before.id, deleted: true as const };
}
