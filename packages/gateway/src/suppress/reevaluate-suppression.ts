import { sql } from "drizzle-orm";
import type { Suppression } from "@omniglass/contracts";
import type { Severity } from "@omniglass/domain";
import type { Transaction } from "../db";
import type { AlarmChange, AlarmOwnerKind } from "../alarms/transitions";
import { uuidArray } from "../rules/component-facts";
import { readDependentComponents } from "./dependency-model";
import {
  isRoot,
  planSuppressions,
  type SuppressionDecision,
  type SuppressionSubject,
} from "./decide-suppression";

/*
 * Deciding again (decision 0011): open alarms whose hold may have changed are re-decided with
 * `planSuppressions` and what changed is written — the row and a `suppressed`/`unsuppressed`
 * timeline event that leaves through the outbox. Trusted ("unsafe"): the callers are the alarm
 * transition writers and the clock's suppression pass, inside their transactions.
 */
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
