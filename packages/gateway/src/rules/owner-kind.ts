import type { CreateRuleInput } from "@omniglass/contracts";
import { compileSystemExpression, OmniglassError, type Actor } from "@omniglass/domain";
import type { Transaction } from "../db";
import { resolveSystem } from "../systems/resolve-system";
import { scopeColumns, validateExpressions } from "./rule-input";

/*
 * What a custom rule judges (DESIGN.md §8): a component's values (`signals`, `fresh`, `age`,
 * `previous`) or a system's roles and members (`roles`, `members`, `verdict`). Each kind's
 * expressions are compiled in its own CEL environment, so a variable of the other kind is refused
 * on save naming the field and the position; a system rule's scope is all, a system type, a
 * location subtree or one system, and it has no sustain (it is judged when the system is).
 */

export type RuleOwnerKind = CreateRuleInput["ownerKind"];

const invalid = (field: string, message: string) =>
  new OmniglassError("INVALID", `${field}: ${message}`, { fieldErrors: [{ field, message }] });

/** Validates fire and clear in the owner kind's CEL environment, and a system rule's sustain. */
export function validateRuleExpressions(
  ownerKind: string,
  input: { fire?: string; clear?: string | null; sustainSeconds?: number },
) {
  if (ownerKind !== "system") return validateExpressions(input);
  if (input.fire !== undefined) compileSystemExpression("fire", input.fire);
  if (input.clear) compileSystemExpression("clear", input.clear);
  if (input.sustainSeconds)
    throw invalid(
      "sustainSeconds",
      "a system rule has no sustain (0): it is judged each time its system is",
    );
}

/** The scope columns of a rule of `ownerKind`: a system rule's kinds, or the component rules'. */
export async function ruleScopeColumns(
  tx: Transaction,
  actor: Actor,
  ownerKind: string,
  scope: CreateRuleInput["scope"],
) {
  if (ownerKind === "system") {
    if (scope.kind === "template" || scope.kind === "owner")
      throw invalid(
        "scope.kind",
        `a system rule's scope is all, system-type, location or system, not ${scope.kind}`,
      );
    if (scope.kind === "system") {
      if (!scope.ref)
        throw invalid("scope.ref", "scope system needs a ref (a system's path or id)");
      const found = await resolveSystem(tx, actor, scope.ref).catch(() => {
        throw invalid("scope.ref", `no system ${scope.ref}`);
      });
      return {
        scopeKind: "system" as const,
        scopeTemplateId: null,
        scopeSystemTypeId: null,
        scopeLocationId: null,
        scopeComponentId: null,
        scopeSystemId: found.row.id,
      };
    }
  } else if (scope.kind === "system") {
    throw invalid("scope.kind", "scope system is for system rules (ownerKind system)");
  }
  return { ...(await scopeColumns(tx, actor, scope)), scopeSystemId: null as string | null };
}
