import { sql } from "drizzle-orm";
import type { Suppression } from "@omniglass/contracts";
import {
  findDependencyRoot,
  type DependencyLink as WalkedLink,
  type RootAlarm,
  type Severity,
} from "@omniglass/domain";
import type { Transaction } from "../db";
import type { AlarmOwnerKind } from "../alarms/transitions";
import { uuidArray } from "../rules/component-facts";
import { unsafeActiveSuppressions, type SuppressionFacts } from "./active-suppressions";
import { readDependencyModel, type LoadedDependencyModel } from "./dependency-model";

/*
 * Suppression decided at the transition (decision 0011): when an alarm opens or reopens, in its
 * transaction and before its timeline event (so the outbox snapshot carries it), and again for
 * open alarms whenever what held them may have changed — their root resolved, a root opened
 * behind which they sit, a window or silence began or ended (the clock's suppression pass).
 *
 * Reasons: the maintenance windows and silences in force (`unsafeActiveSuppressions`) and the
 * dependency root (`findDependencyRoot` on the model read by `readDependencyModel`). A **root**
 * is an open **critical** alarm on a component or a node that is not itself suppressed by a
 * dependency (`root_alarm_id is null`): critical is what makes an owner an outage (it stops
 * filling its roles), so a switch's port-errors warning never holds a display's alarms, while
 * its unreachable alarm, or a node's collector-down, does. A window- or silence-suppressed
 * alarm still counts as a root: maintenance on the switch explains its room too.
 *
 * Trusted ("unsafe"): the callers are the alarm transition writers, inside their transactions.
 */

export interface SuppressionSubject {
  ruleId: string;
  owner: { kind: AlarmOwnerKind; id: string };
  severity: string;
}

export interface SuppressionDecision {
  /** null: nothing holds it (it notifies). */
  suppression: Suppression | null;
  /** The root alarm holding it, when a dependency does. */
  rootAlarmId: string | null;
}

export interface RootCandidate {
  id: string;
  ownerKind: "component" | "node";
  ownerId: string;
  path: string;
  rule: string;
  openedAt: Date;
}

export interface SuppressionPlan {
  /** The instant windows and silences were judged at. */
  at: Date;
  covers(subject: SuppressionSubject): boolean;
  /** Roots before dependents (see `rankOf`); 0 for owners outside the model. */
  rank(subject: SuppressionSubject): number;
  /** The open roots the subjects' components may depend on (one statement; none if nothing is reachable). */
  roots(tx: Transaction, subjects: readonly SuppressionSubject[]): Promise<RootCandidate[]>;
  /** The windows and silences in force and the nearest root among `roots`. */
  decide(
    subject: SuppressionSubject,
    roots: readonly RootCandidate[],
    since: string,
  ): SuppressionDecision;
}

const NONE: SuppressionDecision = { suppression: null, rootAlarmId: null };
const keyOf = (s: SuppressionSubject) => `${s.ruleId}|${s.owner.kind}|${s.owner.id}`;

/** Whether an alarm with this decision is a root others may be held by. */
export function isRoot(subject: SuppressionSubject, decision: SuppressionDecision): boolean {
  return (
    subject.severity === "critical" &&
    (subject.owner.kind === "component" || subject.owner.kind === "node") &&
    decision.rootAlarmId === null
  );
}

interface FactsRow {
  k: string;
  rule_name: string;
  owner_path: string;
  template_id: string | null;
  template_name: string | null;
}

/** What the window and silence matchers read of each subject, in one statement. */
async function readFacts(
  tx: Transaction,
  subjects: readonly SuppressionSubject[],
): Promise<Map<string, SuppressionFacts>> {
  const out = new Map<string, SuppressionFacts>();
  // Endpoint alarms (a failing webhook receiver) are about the notification path itself:
  // nothing holds them.
  const judged = subjects.filter((s) => s.owner.kind !== "endpoint");
  if (judged.length === 0) return out;
  const result = await tx.execute(sql`
    select u.k, r.name as rule_name, coalesce(c.path, s.path, l.path, p.name, '') as owner_path,
      t.id as template_id,
      case when t.id is null then null else t.name || '@' || t.version end as template_name
    from unnest(${sql.param(judged.map(keyOf))}::text[],
        ${uuidArray(judged.map((s) => s.ruleId))}::uuid[],
        ${sql.param(judged.map((s) => s.owner.kind))}::text[],
        ${uuidArray(judged.map((s) => s.owner.id))}::uuid[]) as u(k, rule_id, kind, id)
      join event_rule r on r.id = u.rule_id
      left join component c on u.kind = 'component' and c.id = u.id
      left join template t on t.id = c.template_id
      left join system s on u.kind = 'system' and s.id = u.id
      left join location l on u.kind = 'location' and l.id = u.id
      left join principal p on u.kind = 'node' and p.id = u.id`);
  const byKey = new Map(judged.map((s) => [keyOf(s), s]));
  for (const row of result.rows as unknown as FactsRow[]) {
    const s = byKey.get(row.k)!;
    out.set(row.k, {
      ruleId: s.ruleId,
      ruleName: row.rule_name,
      ownerKind: s.owner.kind as SuppressionFacts["ownerKind"],
      ownerId: s.owner.id,
      ownerPath: row.owner_path,
      severity: s.severity as Severity,
      templateId: row.template_id,
      templateName: row.template_name,
    });
  }
  return out;
}

const linkOf = (l: WalkedLink): NonNullable<Suppression["root"]>["links"][number] =>
  l.via === "template"
    ? { via: "template", from: l.from, to: l.to, reason: l.reason, system: l.system, role: l.role }
    : { via: "poller", from: l.from, to: l.to, reason: l.reason, system: null, role: null };

/**
 * Everything the decisions of these subjects need that does not change while they are written:
 * their facts (one statement), the windows and silences in force at `at` (three or four), the
 * dependency model from their components (one per level). The roots are read per decision
 * (`plan.roots`), so an alarm opened earlier in the same transaction is seen.
 */
export async function planSuppressions(
  tx: Transaction,
  subjects: readonly SuppressionSubject[],
  at: Date,
): Promise<SuppressionPlan> {
  const unique = [...new Map(subjects.map((s) => [keyOf(s), s])).values()];
  const facts = await readFacts(tx, unique);
  const judged = [...facts.entries()];
  const active = await unsafeActiveSuppressions(
    tx,
    judged.map(([, f]) => f),
    at,
  );
  const held = new Map(judged.map(([k], i) => [k, active[i]!]));
  const componentIds = unique.filter((s) => s.owner.kind === "component").map((s) => s.owner.id);
  const model: LoadedDependencyModel | null =
    componentIds.length > 0 ? await readDependencyModel(tx, componentIds) : null;
  const planned = new Set(unique.map(keyOf));

  return {
    at,
    covers: (s) => planned.has(keyOf(s)),
    rank: (s) =>
      s.owner.kind === "component" && model
        ? model.rankOf(s.owner.id)
        : s.owner.kind === "node"
          ? -1
          : 0,
    async roots(tx, list) {
      if (!model) return [];
      const components = new Set<string>();
      const nodes = new Set<string>();
      for (const s of list) {
        if (s.owner.kind !== "component") continue;
        const reach = model.reachableFrom(s.owner.id);
        for (const c of reach.componentIds) components.add(c);
        for (const n of reach.nodeIds) nodes.add(n);
      }
      if (components.size === 0 && nodes.size === 0) return [];
      const result = await tx.execute(sql`
        select a.id, a.owner_kind, coalesce(a.component_id, a.node_id) as owner_id,
          coalesce(c.path, p.name) as path, r.name as rule, a.opened_at
        from alarm a
          join event_rule r on r.id = a.rule_id
          left join component c on c.id = a.component_id
          left join principal p on p.id = a.node_id
        where a.lifecycle = 'open' and a.severity = 'critical' and a.root_alarm_id is null
          and (a.component_id = any(${uuidArray([...components])}::uuid[])
            or a.node_id = any(${uuidArray([...nodes])}::uuid[]))`);
      return (
        result.rows as {
          id: string;
          owner_kind: "component" | "node";
          owner_id: string;
          path: string;
          rule: string;
          opened_at: Date | string;
        }[]
      ).map((r) => ({
        id: r.id,
        ownerKind: r.owner_kind,
        ownerId: r.owner_id,
        path: r.path,
        rule: r.rule,
        openedAt: new Date(r.opened_at),
      }));
    },
    decide(s, roots, since) {
      const reasons = held.get(keyOf(s)) ?? { windows: [], silences: [] };
      let root: Suppression["root"] = null;
      if (s.owner.kind === "component" && model && roots.length > 0) {
        const path = model.pathOf(s.owner.id);
        const candidates: RootAlarm[] = roots.map((r) => ({
          id: r.id,
          owner: { kind: r.ownerKind, path: r.path },
          openedAt: r.openedAt,
        }));
        const found = path ? findDependencyRoot(path, model.model, candidates) : null;
        if (found?.suppressed) {
          const r = roots.find((x) => x.id === found.root.id)!;
          root = {
            alarmId: r.id,
            owner: { kind: r.ownerKind, path: r.path },
            rule: r.rule,
            links: found.links.map(linkOf),
          };
        }
      }
      if (reasons.windows.length === 0 && reasons.silences.length === 0 && !root) return NONE;
      return {
        suppression: {
          since,
          windows: reasons.windows.map((w) => ({ id: w.id, name: w.name, label: w.label })),
          silences: reasons.silences.map((x) => ({
            id: x.id,
            reason: x.reason,
            author: x.author,
            expiresAt: x.expiresAt,
          })),
          root,
        },
        rootAlarmId: root?.alarmId ?? null,
      };
    },
  };
}

/** One subject's decision with the roots as they stand in the transaction now. */
export async function decideSuppression(
  tx: Transaction,
  plan: SuppressionPlan,
  subject: SuppressionSubject,
  since: string,
): Promise<SuppressionDecision> {
  return plan.decide(subject, await plan.roots(tx, [subject]), since);
}
