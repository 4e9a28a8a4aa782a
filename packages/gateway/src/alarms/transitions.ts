import { sql, type SQL } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { Severity } from "@omniglass/contracts";
import type { Transaction } from "../db";
import {
  decideSuppression,
  isRoot,
  planSuppressions,
  type SuppressionPlan,
  type SuppressionSubject,
} from "../suppress/decide-suppression";
import {
  unsafeReevaluateDependentsOf,
  unsafeSuppressDependentsOf,
} from "../suppress/reevaluate-suppression";

/*
 * What a rule's episode does to alarms, inside the transaction that evaluated it (ingest, or the
 * clock): open (or reopen within the flap window), resolve by the clear sample. Operators'
 * acknowledgements are another fact: nothing here reads or changes them.
 *
 * An alarm has exactly one owner (the table's owner check): a component (event rules on its
 * values), a node (the built-in collector-down rule), a system or a location (rules over members,
 * later). The owner column is chosen here from a closed list, never from input text.
 *
 * Suppression is decided here too (decision 0011): an alarm that opens or reopens is held or
 * not in the same transaction, before its timeline event, so the outbox snapshot carries it; a
 * root that opens holds its dependents' open alarms, and one that resolves releases them (or
 * names what still holds them) at once. Those follow-on changes ride on the returned change as
 * `cascade`.
 */

export type AlarmOwnerKind = "component" | "system" | "location" | "node" | "endpoint";

/** A component's episode: the shape evaluate-on-ingest passes. */
export interface AlarmOwner {
  ruleId: string;
  componentId: string;
  instance: string;
}

/** Any owner: `{ ruleId, owner: { kind, id }, instance }`. */
export interface AlarmTarget {
  ruleId: string;
  owner: { kind: AlarmOwnerKind; id: string };
  instance: string;
}

export interface AlarmChange {
  alarmId: string;
  kind: "opened" | "reopened" | "resolved" | "suppressed" | "unsuppressed";
  owner: { kind: AlarmOwnerKind; id: string };
  /** The owner when it is a component (null for node, system and location alarms). */
  componentId: string | null;
  severity: Severity | null;
  /** When it happened (the alarm's opened or resolved time), ISO. */
  at: string;
  /**
   * Other alarms this transition suppressed or released in the same transaction (a root's
   * dependents); `withCascade` flattens them for the live notification.
   */
  cascade?: AlarmChange[];
}

/** The change and the suppression changes it caused, for publishing (none: empty). */
export const withCascade = (change: AlarmChange | null): AlarmChange[] =>
  change ? [change, ...(change.cascade ?? [])] : [];

const OWNER_COLUMN: Record<AlarmOwnerKind, SQL> = {
  component: sql.raw("component_id"),
  system: sql.raw("system_id"),
  location: sql.raw("location_id"),
  node: sql.raw("node_id"),
  endpoint: sql.raw("endpoint_id"),
};

interface Owned {
  ruleId: string;
  kind: AlarmOwnerKind;
  id: string;
  instance: string;
}

function ownedOf(target: AlarmOwner | AlarmTarget): Owned {
  return "owner" in target
    ? {
        ruleId: target.ruleId,
        kind: target.owner.kind,
        id: target.owner.id,
        instance: target.instance,
      }
    : {
        ruleId: target.ruleId,
        kind: "component",
        id: target.componentId,
        instance: target.instance,
      };
}

const at = (ms: number) => new Date(ms).toISOString();
const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

function change(
  o: Owned,
  alarmId: string,
  kind: AlarmChange["kind"],
  when: number,
  severity: string | null,
): AlarmChange {
  return {
    alarmId,
    kind,
    owner: { kind: o.kind, id: o.id },
    componentId: o.kind === "component" ? o.id : null,
    severity: (severity as Severity | null) ?? null,
    at: at(when),
  };
}

/** Rows of this (rule, owner, instance), whatever their lifecycle. */
const sameEpisode = (o: Owned, alias = sql.raw("alarm")) => sql`
  ${alias}.rule_id = ${o.ruleId}::uuid and ${alias}.owner_kind = ${o.kind}
  and ${alias}.${OWNER_COLUMN[o.kind]} = ${o.id}::uuid and ${alias}.instance = ${o.instance}`;

async function addEvent(
  tx: Transaction,
  alarmId: string,
  seq: number,
  event: { kind: string; at: number; value?: unknown; sampleAt?: number | null },
) {
  await tx.execute(sql`
    insert into alarm_event (alarm_id, seq, kind, at, value, sample_at)
    values (${alarmId}::uuid, ${seq}, ${event.kind}, ${at(event.at)}::timestamptz,
      ${json(event.value)}::jsonb,
      ${event.sampleAt == null ? null : at(event.sampleAt)}::timestamptz)`);
}

/**
 * Opens the alarm of an episode that fired at `openedAt` (the sample at `sampleAt` proved it).
 * A resolved alarm of the same (rule, owner, instance) within the flap window reopens instead
 * (its acknowledgement survives), flapping once its transitions reach the threshold. A second
 * writer racing on the same open alarm meets the partial unique index and does nothing.
 */
export async function openAlarm(
  tx: Transaction,
  target: AlarmOwner | AlarmTarget,
  fired: {
    openedAt: number;
    sampleAt: number;
    value: unknown;
    severity: string;
    summary: string;
    flapWindowMs: number;
    flapThreshold: number;
    /** When windows and silences are judged (ms; default now): the pass's clock. */
    now?: number;
  },
  {
    plan,
  }: {
    /** A batch's suppression plan (`planSuppressions` over all its openings); else one is made. */
    plan?: SuppressionPlan;
  } = {},
): Promise<AlarmChange | null> {
  const o = ownedOf(target);
  const subject: SuppressionSubject = {
    ruleId: o.ruleId,
    owner: { kind: o.kind, id: o.id },
    severity: fired.severity,
  };
  const planned =
    plan?.covers(subject) === true
      ? plan
      : await planSuppressions(tx, [subject], new Date(fired.now ?? Date.now()));
  const held = await decideSuppression(tx, planned, subject, at(fired.openedAt));
  const suppression = held.suppression ? JSON.stringify(held.suppression) : null;
  // A root that opens holds the open alarms behind it (they may have opened first).
  const cascade = async (change: AlarmChange): Promise<AlarmChange> => {
    if (isRoot(subject, held))
      change.cascade = await unsafeSuppressDependentsOf(tx, [subject.owner], planned.at);
    return change;
  };
  const recent = await tx.execute(sql`
    select id, transitions, flapping from alarm
    where ${sameEpisode(o)}
      and lifecycle = 'resolved'
      and resolved_at >= ${at(fired.openedAt - fired.flapWindowMs)}::timestamptz
      and not exists (select 1 from alarm o where ${sameEpisode(o, sql.raw("o"))}
        and o.lifecycle = 'open')
    order by resolved_at desc limit 1
    for update`);
  const previous = recent.rows[0] as
    { id: string; transitions: number; flapping: boolean } | undefined;
  if (previous) {
    const transitions = previous.transitions + 1;
    const flapping = previous.flapping || transitions >= fired.flapThreshold;
    const newlyFlapping = flapping && !previous.flapping;
    const result = await tx.execute(sql`
      update alarm set lifecycle = 'open', resolved_at = null, resolved_by = null,
        resolve_reason = null, transitions = ${transitions}, flapping = ${flapping},
        fired_value = ${JSON.stringify(fired.value)}::jsonb,
        fired_sample_at = ${at(fired.sampleAt)}::timestamptz,
        suppressed = ${suppression !== null}, suppression = ${suppression}::jsonb,
        root_alarm_id = ${held.rootAlarmId}::uuid,
        seq = seq + ${newlyFlapping ? 2 : 1}, version = version + 1, updated_at = now()
      where id = ${previous.id}::uuid
      returning seq`);
    const seq = Number((result.rows[0] as { seq: number }).seq);
    await addEvent(tx, previous.id, newlyFlapping ? seq - 1 : seq, {
      kind: "reopened",
      at: fired.openedAt,
      value: fired.value,
      sampleAt: fired.sampleAt,
    });
    if (newlyFlapping)
      await addEvent(tx, previous.id, seq, { kind: "flapping", at: fired.openedAt });
    return cascade(change(o, previous.id, "reopened", fired.openedAt, fired.severity));
  }
  // The alarm and its first timeline event in one statement; nothing when another writer's alarm
  // is open (the partial unique index), and then no event either.
  const id = uuidv7();
  const inserted = await tx.execute(sql`
    with opened as (
      insert into alarm (id, rule_id, owner_kind, ${OWNER_COLUMN[o.kind]}, instance, severity, summary,
        lifecycle, opened_at, fired_value, fired_sample_at, suppressed, suppression, root_alarm_id)
      values (${id}::uuid, ${o.ruleId}::uuid, ${o.kind}, ${o.id}::uuid,
        ${o.instance}, ${fired.severity}, ${fired.summary}, 'open',
        ${at(fired.openedAt)}::timestamptz, ${JSON.stringify(fired.value)}::jsonb,
        ${at(fired.sampleAt)}::timestamptz, ${suppression !== null}, ${suppression}::jsonb,
        ${held.rootAlarmId}::uuid)
      on conflict (rule_id, owner_kind, (coalesce(component_id, system_id, location_id, node_id, endpoint_id)), instance)
        where lifecycle = 'open' do nothing
      returning id
    )
    insert into alarm_event (alarm_id, seq, kind, at, value, sample_at)
    select opened.id, 1, 'fired', ${at(fired.openedAt)}::timestamptz,
      ${json(fired.value)}::jsonb, ${at(fired.sampleAt)}::timestamptz
    from opened
    returning alarm_id`);
  if (inserted.rows.length === 0) return null;
  return cascade(change(o, id, "opened", fired.openedAt, fired.severity));
}

/**
 * Resolves the open alarm of an episode by the clear sample at `clearedAt` (none open: nothing).
 * The open alarms it held as their root are decided again in the same transaction.
 */
export async function resolveAlarmByClear(
  tx: Transaction,
  target: AlarmOwner | AlarmTarget,
  cleared: {
    clearedAt: number;
    value: unknown;
    /** When the released dependents' windows and silences are judged (ms; default now). */
    now?: number;
  },
): Promise<AlarmChange | null> {
  const o = ownedOf(target);
  // The resolve and its timeline event in one statement.
  const result = await tx.execute(sql`
    with resolved as (
      update alarm set lifecycle = 'resolved', resolved_at = ${at(cleared.clearedAt)}::timestamptz,
        resolved_by = null, resolve_reason = null, transitions = transitions + 1,
        seq = seq + 1, version = version + 1, updated_at = now()
      where ${sameEpisode(o)} and lifecycle = 'open'
      returning id, seq, severity
    ), event as (
      insert into alarm_event (alarm_id, seq, kind, at, value, sample_at)
      select resolved.id, resolved.seq, 'resolved', ${at(cleared.clearedAt)}::timestamptz,
        ${json(cleared.value)}::jsonb, ${at(cleared.clearedAt)}::timestamptz
      from resolved
    )
    select id, severity, exists (select 1 from alarm d
      where d.root_alarm_id = resolved.id and d.lifecycle = 'open') as holds
    from resolved`);
  const row = result.rows[0] as { id: string; severity: string; holds: boolean } | undefined;
  if (!row) return null;
  const resolved = change(o, row.id, "resolved", cleared.clearedAt, row.severity);
  if (row.holds)
    resolved.cascade = await unsafeReevaluateDependentsOf(
      tx,
      [row.id],
      new Date(cleared.now ?? Date.now()),
    );
  return resolved;
}
