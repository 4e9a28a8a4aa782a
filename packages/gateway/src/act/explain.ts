import type { ActionRuleMatchers } from "@omniglass/contracts";
import { matchesActionRule, type RoutingFacts, type RuleRow } from "./route-transitions";

/*
 * The action-rule side of "why did (or didn't) this alarm notify": which matcher of a rule a
 * transition failed. Each matcher is tested alone with routing's own `matchesActionRule`, so the
 * explanation cannot drift from what routing decides.
 */

/** Why a rule did not match a transition (the first failing matcher, in this order). */
export type ActionRuleMiss =
  "disabled" | "severity" | "rule" | "scope" | "kind" | "acknowledged" | "suppressed";

export type TransitionFacts = Parameters<typeof matchesActionRule>[2];

/**
 * null when `rule` matches the transition (and is enabled); else the first miss: disabled (routing
 * reads enabled rules only), then what the rule never takes from this alarm (severity, event rule,
 * scope, transition kind), then its state as of the transition (acknowledged, suppressed).
 */
export function explainActionRule(
  rule: RuleRow & { enabled: boolean },
  facts: RoutingFacts,
  transition: TransitionFacts,
): ActionRuleMiss | null {
  if (!rule.enabled) return "disabled";
  if (matchesActionRule(rule, facts, transition)) return null;
  const m = rule.matchers;
  // One matcher (or the scope) alone; `suppressed: "any"` keeps the default out of the others.
  const alone = (matchers: ActionRuleMatchers, scoped = false) =>
    matchesActionRule(
      { ...rule, matchers, scope_kind: scoped ? rule.scope_kind : "all" },
      facts,
      transition,
    );
  if (m.severities && !alone({ suppressed: "any", severities: m.severities })) return "severity";
  if (m.ruleIds && !alone({ suppressed: "any", ruleIds: m.ruleIds })) return "rule";
  if (!alone({ suppressed: "any" }, true)) return "scope";
  if (m.kinds && !alone({ suppressed: "any", kinds: m.kinds })) return "kind";
  if (m.acknowledged !== undefined && !alone({ suppressed: "any", acknowledged: m.acknowledged }))
    return "acknowledged";
  // The rule is a conjunction: with every other matcher passing, suppression is what failed
  // (omitted means unsuppressed transitions only).
  return "suppressed";
}
