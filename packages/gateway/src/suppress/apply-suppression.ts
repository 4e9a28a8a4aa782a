import { sql } from "drizzle-orm";
import type { Suppression } from "@omniglass/contracts";
import {
  findDependencyRoot,
  type DependencyLink as WalkedLink,
  type RootAlarm,
  type Severity,
} from "@omniglass/domain";
import type { Transaction } from "../db";
import type { AlarmChange, AlarmOwnerKind } from "../alarms/transitions";
import { uuidArray } from "../rules/component-facts";
import { unsafeActiveSuppressions, type SuppressionFacts } from "./active-suppressions";
import {
  readDependencyModel,
  readDependentComponents,
  type LoadedDependencyModel,
} from "./dependency-model";

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

const idsOf = (list: readonly { id: string }[]) =>
  list
    .map((x) => x.id)
    .sort()
    .join(",");

/** Whether a decision holds for the same reasons as what is stored (`since` and labels aside). */
function sameHold(
  current: Suppression | null,
  currentRoot: string | null,
  next: SuppressionDecision,
): boolean {
  if (!current || !next.suppression) return !current && !next.suppression;
  return (
    currentRoot === next.rootAlarmId &&
    idsOf(current.windows) === idsOf(next.suppression.windows) &&
    idsOf(current.silences) === idsOf(next.suppression.silences)
  );
}

interface HeldRow {
  id: string;
  rule_id: string;
  owner_kind: AlarmOwnerKind;
  owner_id: string;
  severity: string;
  suppression: Suppression | null;
  root_alarm_id: string | null;
  opened_at: Date | string;
  path: string | null;
  rule: string;
}

/**
 * Decides again whether open alarms are held, and writes what changed: the row (suppressed,
 * suppression, root_alarm_id, seq, version) and a timeline event — `suppressed` with the
 * Suppression as its value when held (newly, or for other reasons), `unsuppressed` when nothing
 * holds it any more. Both leave through the outbox like every event: an unsuppressed alarm then
 * notifies with its full state. Rows are locked in id order; decided roots first, so an alarm
 * whose root cleared and that is a root itself now holds its own dependents.
 *
 * Statements: the lock and read (1), the plan (≈ 5 + the model's levels), the roots (1), and
 * one per alarm that changed.
 */
export async function unsafeReevaluateSuppressions(
  tx: Transaction,
  alarmIds: readonly string[],
  at: Date,
): Promise<AlarmChange[]> {
  if (alarmIds.length === 0) return [];
  const rows = (
    await tx.execute(sql`
      select a.id, a.rule_id, a.owner_kind,
        coalesce(a.component_id, a.system_id, a.location_id, a.node_id, a.endpoint_id) as owner_id,
        a.severity, a.suppression, a.root_alarm_id, a.opened_at,
        coalesce(c.path, p.name) as path, r.name as rule
      from alarm a
        join event_rule r on r.id = a.rule_id
        left join component c on c.id = a.component_id
        left join principal p on p.id = a.node_id
      where a.id = any(${uuidArray([...new Set(alarmIds)])}::uuid[]) and a.lifecycle = 'open'
      order by a.id
      for update of a`)
  ).rows as unknown as HeldRow[];
  if (rows.length === 0) return [];
  const subjectOf = (r: HeldRow): SuppressionSubject => ({
    ruleId: r.rule_id,
    owner: { kind: r.owner_kind, id: r.owner_id },
    severity: r.severity,
  });
  const plan = await planSuppressions(tx, rows.map(subjectOf), at);
  // Nothing else writes in between: the roots are read once and kept as the decisions land.
  let roots = await plan.roots(tx, rows.map(subjectOf));
  const ordered = rows
    .map((row) => ({ row, subject: subjectOf(row) }))
    .sort((a, b) => plan.rank(a.subject) - plan.rank(b.subject));
  const changes: AlarmChange[] = [];
  const when = at.toISOString();
  for (const { row, subject } of ordered) {
    const decision = plan.decide(subject, roots, row.suppression?.since ?? when);
    roots = roots.filter((r) => r.id !== row.id);
    if (isRoot(subject, decision) && row.path !== null)
      roots.push({
        id: row.id,
        ownerKind: row.owner_kind as "component" | "node",
        ownerId: row.owner_id,
        path: row.path,
        rule: row.rule,
        openedAt: new Date(row.opened_at),
      });
    if (sameHold(row.suppression, row.root_alarm_id, decision)) continue;
    await writeHold(tx, row.id, decision, when);
    changes.push({
      alarmId: row.id,
      kind: decision.suppression ? "suppressed" : "unsuppressed",
      owner: { kind: row.owner_kind, id: row.owner_id },
      componentId: row.owner_kind === "component" ? row.owner_id : null,
      severity: row.severity as Severity,
      at: when,
    });
  }
  return changes;
}

async function writeHold(
  tx: Transaction,
  alarmId: string,
  decision: SuppressionDecision,
  at: string,
): Promise<void> {
  const held = decision.suppression;
  const value = held ? JSON.stringify(held) : null;
  await tx.execute(sql`
    with held as (
      update alarm set suppressed = ${held !== null}, suppression = ${value}::jsonb,
        root_alarm_id = ${decision.rootAlarmId}::uuid,
        seq = seq + 1, version = version + 1, updated_at = now()
      where id = ${alarmId}::uuid
      returning id, seq
    )
    insert into alarm_event (alarm_id, seq, kind, at, value)
    select held.id, held.seq, ${held ? "suppressed" : "unsuppressed"}, ${at}::timestamptz,
      ${value}::jsonb
    from held`);
}

/**
 * A root just opened (critical, not itself held by a dependency): the open alarms of the
 * components behind it — by template hints, or polled by the node — are decided again, so
 * those that notify now become suppressed naming it (a `suppressed` event each).
 */
export async function unsafeSuppressDependentsOf(
  tx: Transaction,
  roots: readonly { kind: AlarmOwnerKind; id: string }[],
  at: Date,
): Promise<AlarmChange[]> {
  const componentIds = roots.filter((r) => r.kind === "component").map((r) => r.id);
  const nodeIds = roots.filter((r) => r.kind === "node").map((r) => r.id);
  if (componentIds.length === 0 && nodeIds.length === 0) return [];
  const dependents = await readDependentComponents(tx, { componentIds, nodeIds });
  if (dependents.length === 0) return [];
  const open = await tx.execute(sql`
    select id from alarm
    where lifecycle = 'open' and component_id = any(${uuidArray(dependents)}::uuid[])`);
  return unsafeReevaluateSuppressions(
    tx,
    (open.rows as { id: string }[]).map((r) => r.id),
    at,
  );
}

/**
 * Alarms resolved: the open alarms they held as root are decided again at once (another root,
 * a window or a silence may still hold them; else they are unsuppressed and notify).
 */
export async function unsafeReevaluateDependentsOf(
  tx: Transaction,
  rootAlarmIds: readonly string[],
  at: Date,
): Promise<AlarmChange[]> {
  if (rootAlarmIds.length === 0) return [];
  const held = await tx.execute(sql`
    select id from alarm
    where lifecycle = 'open' and root_alarm_id = any(${uuidArray([...rootAlarmIds])}::uuid[])`);
  return unsafeReevaluateSuppressions(
    tx,
    (held.rows as { id: string }[]).map((r) => r.id),
    at,
  );
}
