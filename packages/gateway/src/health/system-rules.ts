import {
  compileSystemExpression,
  judgeRole,
  judgeSystem,
  type CompiledSystemExpression,
  type Judgement,
  type OpenAlarm,
  type RoleFacts,
  type SystemFacts,
  type SystemRuleContext,
} from "@omniglass/domain";
import { openAlarm, resolveAlarmByClear } from "../alarms/transitions";
import type { Transaction } from "../db";

/*
 * System rules (DESIGN.md §8), judged where the system is judged: right after its roles' facts are
 * read, inside the recompute's transaction and under its system lock. A rule fires on the role
 * facts (`roles`, `members`, and `verdict` judged WITHOUT system-rule alarms, so a rule never feeds
 * on its own alarm), opens or resolves its one alarm per (rule, system), and the system's judgement
 * then includes the alarms open after that step — one pass, no loop. No sustain: a system has no
 * stored episode, so a rule acts on the judgement at hand (0 s, refused otherwise on save).
 */

/** A system rule applying to this system (its scope matched in the facts' statement). */
export interface SystemRuleRow {
  id: string;
  name: string;
  label: string | null;
  severity: "info" | "warning" | "critical";
  fire: string;
  clear: string | null;
  flapWindowSeconds: number;
  flapThreshold: number;
}

/** The open alarm of a system rule on this system (any severity). */
export interface SystemRuleAlarm {
  id: string;
  ruleId: string;
}

const compiled = new Map<string, CompiledSystemExpression | null>();

function compile(field: string, source: string): CompiledSystemExpression | null {
  const key = `${field}\u0000${source}`;
  if (!compiled.has(key)) {
    if (compiled.size > 1000) compiled.clear();
    try {
      compiled.set(key, compileSystemExpression(field, source));
    } catch {
      // Saved rules were validated; one that no longer compiles is skipped, never fatal.
      compiled.set(key, null);
    }
  }
  return compiled.get(key)!;
}

const lastName = (path: string) => path.slice(path.lastIndexOf(".") + 1);

/** What a system rule reads: its roles by name, its members by component name, its verdict. */
export function systemRuleContext(facts: SystemFacts, base: Judgement): SystemRuleContext {
  const roles: SystemRuleContext["roles"] = {};
  for (const role of facts.roles) {
    const judged = judgeRole(facts.path, role);
    const cause = judged.cause as Extract<typeof judged.cause, { kind: "role" }>;
    roles[role.name] = {
      quorum: role.quorum,
      installed: cause.installed,
      working: cause.working,
      impact: role.impact,
      verdict: judged.verdict,
    };
  }
  const members: SystemRuleContext["members"] = {};
  const all = [...facts.roles.flatMap((r: RoleFacts) => r.members), ...facts.others];
  for (const m of all) members[lastName(m.path)] = m.judgement.verdict;
  return { roles, members, verdict: base.verdict };
}

/**
 * Judges one system with its rules: fire opens (or reopens within the flap window) the rule's
 * system alarm, clear — or fire false when the rule has no clear — resolves it; undecided (a role
 * or member it reads is absent) changes nothing. Returns the system's judgement including the
 * alarms open after this step.
 */
export async function judgeSystemWithRules(
  tx: Transaction,
  system: { id: string; nowMs: number },
  facts: SystemFacts,
  rules: readonly SystemRuleRow[],
  ruleAlarms: readonly SystemRuleAlarm[],
): Promise<Judgement> {
  if (rules.length === 0 && ruleAlarms.length === 0) return judgeSystem(facts);
  const ruleAlarmIds = new Set(ruleAlarms.map((a) => a.id));
  const others = facts.alarms.filter((a) => !ruleAlarmIds.has(a.id));
  const base = judgeSystem({ ...facts, alarms: others });
  const context = systemRuleContext(facts, base);
  const value = { verdict: context.verdict, roles: context.roles };
  const resolved = new Set<string>();
  const opened: OpenAlarm[] = [];
  for (const rule of rules) {
    const fire = compile("fire", rule.fire);
    if (!fire) continue;
    const clear = rule.clear ? compile("clear", rule.clear) : null;
    const target = {
      ruleId: rule.id,
      owner: { kind: "system" as const, id: system.id },
      instance: "",
    };
    const open = ruleAlarms.find((a) => a.ruleId === rule.id);
    if (!open) {
      if (fire.evaluate(context) !== true) continue;
      const change = await openAlarm(tx, target, {
        openedAt: system.nowMs,
        sampleAt: system.nowMs,
        value,
        severity: rule.severity,
        summary: `${rule.label ?? rule.name} on ${facts.path}`,
        flapWindowMs: rule.flapWindowSeconds * 1000,
        flapThreshold: rule.flapThreshold,
      });
      if (change && rule.severity !== "info")
        opened.push({
          id: change.alarmId,
          rule: rule.name,
          severity: rule.severity,
          summary: rule.label ?? rule.name,
        });
      continue;
    }
    const clears = clear ? clear.evaluate(context) === true : fire.evaluate(context) === false;
    if (!clears) continue;
    const change = await resolveAlarmByClear(tx, target, { clearedAt: system.nowMs, value });
    if (change) resolved.add(open.id);
  }
  const alarms = [...facts.alarms.filter((a) => !resolved.has(a.id)), ...opened].sort(
    (a, b) => Number(b.severity === "critical") - Number(a.severity === "critical"),
  );
  return judgeSystem({ ...facts, alarms });
}
