import { Environment } from "@marcbachmann/cel-js";
import { checkExpression, COMPONENT_RULE_VARIABLES } from "./expression";
import type { Verdict } from "./health";

/**
 * System-rule expressions: CEL over one system's roles and members, judged where the system's
 * health is judged (DESIGN.md §8).
 *
 * - `roles["displays"]` — `{ quorum, installed, working, impact, verdict }` of the role named
 *   `displays` (`working` counts members healthy or degraded, `verdict` is the role's contribution);
 * - `members["display-left"]` — a member's verdict by its component name (`"outage"`, …);
 * - `verdict` — the system's verdict from its roles, members and the alarms of component rules
 *   (never from system-rule alarms, so a rule cannot feed on its own alarm).
 *
 * A role or member that does not exist makes the expression undecided: it neither fires nor
 * clears. Component variables (`signals`, `fresh`, `age`, `previous`) are refused on save, naming
 * the field and the position, and so are system variables in a component rule.
 */
export interface SystemRoleContext {
  quorum: number;
  installed: number;
  working: number;
  impact: "outage" | "degraded" | "none";
  verdict: Verdict;
}

export interface SystemRuleContext {
  roles: Record<string, SystemRoleContext>;
  members: Record<string, Verdict>;
  verdict: Verdict;
}

export const SYSTEM_RULE_VARIABLES = ["roles", "members", "verdict"] as const;

const environment = new Environment({ unlistedVariablesAreDyn: false })
  .registerVariable("roles", "map")
  .registerVariable("members", "map")
  .registerVariable("verdict", "string");

export interface CompiledSystemExpression {
  source: string;
  /** Role names the expression reads through `roles[…]`. */
  roles: string[];
  /** true or false; null when undecided (a role or member it reads is absent). */
  evaluate(context: SystemRuleContext): boolean | null;
}

/** Compiles a system rule's `fire` or `clear`, or throws INVALID naming the field and position. */
export function compileSystemExpression(field: string, source: string): CompiledSystemExpression {
  const parsed = checkExpression(environment, field, source, {
    variables: COMPONENT_RULE_VARIABLES,
    hint: 'is a component-rule variable; a system rule reads roles, members and verdict (or save it with ownerKind "component")',
  });
  const roles = new Set<string>();
  const read = /\broles\s*\[\s*"([^"]+)"\s*\]/g;
  for (let m = read.exec(source); m; m = read.exec(source)) roles.add(m[1]!);
  return {
    source,
    roles: [...roles].sort(),
    evaluate(context) {
      try {
        const result = parsed({
          roles: context.roles,
          members: context.members,
          verdict: context.verdict,
        });
        return typeof result === "boolean" ? result : null;
      } catch {
        return null;
      }
    },
  };
}
