import { v7 as uuidv7 } from "uuid";
import type { CreateRuleInput, Rule } from "@omniglass/contracts";
import { mutate, nameTaken, type GatewayContext } from "../kit";
import { eventRule } from "../schema";
import { ruleById } from "./read-rule";
import { forgetRuleCache } from "./rule-cache";
import { ruleScopeColumns, validateRuleExpressions } from "./owner-kind";

/**
 * Adds a custom rule (a registry: `rule:create` on scope all), its CEL checked on save in the
 * environment of its owner kind (component or system).
 */
export async function createRule({
  input,
  ...ctx
}: GatewayContext & { input: CreateRuleInput }): Promise<Rule> {
  validateRuleExpressions(input.ownerKind, input);
  const rule = await mutate(ctx, {
    verb: "create",
    resource: "rule",
    requires: [{ capability: "rule:create", registry: true }],
    resolve: async () => null,
    read: (tx, id) => ruleById(tx, id),
    apply: async (tx) => {
      const [created] = await tx
        .insert(eventRule)
        .values({
          id: uuidv7(),
          name: input.name,
          label: input.label ?? null,
          description: input.description ?? "",
          severity: input.severity,
          fire: input.fire,
          clear: input.clear ?? null,
          sustainSeconds: input.sustainSeconds,
          ...(await ruleScopeColumns(tx, ctx.actor, input.ownerKind, input.scope)),
          ownerKind: input.ownerKind,
          origin: "custom",
          enabled: input.enabled,
          flapWindowSeconds: input.flapWindowSeconds,
          flapThreshold: input.flapThreshold,
        })
        .onConflictDoNothing()
        .returning({ id: eventRule.id });
      if (!created) throw nameTaken("rule", input.name);
      return { id: created.id };
    },
  });
  forgetRuleCache();
  return rule;
}
