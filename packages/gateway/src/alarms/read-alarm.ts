import { and, asc, count, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Alarm, AlarmDetail, Suppression } from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { locationScopeCondition, placedScopeCondition } from "../locations/scope";
import {
  alarm,
  alarmEvent,
  component,
  eventRule,
  location,
  node,
  principal,
  system,
  webhookEndpoint,
} from "../schema";

/*
 * Reading alarms: an alarm is visible when its owner is within the scope of `alarm:read` (the one
 * scope helper on the owner's path). Owners are components (event rules), systems (system rules:
 * placed at the system's path, visible to a grant on the system too), nodes (the built-in
 * collector-down rule: a node is placed in its location, like the node list scopes it, and its
 * path is its name) and webhook endpoints (the built-in endpoint-failing rule: placed at the
 * endpoint's location, its path is its name; an endpoint at the platform — no location — is
 * visible to readers of scope all only).
 */

const acker = alias(principal, "acker");
const nodePrincipal = alias(principal, "node_principal");

export const alarmColumns = {
  a: alarm,
  ruleName: eventRule.name,
  ruleOrigin: eventRule.origin,
  path: sql<string>`coalesce(${component.path}, ${system.path}, ${nodePrincipal.name}, ${webhookEndpoint.name}, ${location.path})`,
  locationPath: location.path,
  ackName: acker.name,
  ackDisabledAt: acker.disabledAt,
};

export type AlarmRow = {
  a: typeof alarm.$inferSelect;
  ruleName: string;
  ruleOrigin: "custom" | "template" | "builtin";
  path: string;
  /** Where the owner is placed; null: an endpoint at the platform. */
  locationPath: string | null;
  ackName: string | null;
  /** When the acknowledging principal was disabled (null: enabled, or deleted: ackName null). */
  ackDisabledAt: Date | null;
};

/**
 * Where the owner is placed: a component's, a system's, a node's or an endpoint's location (null
 * for an endpoint at the platform, hence the left join).
 */
const ownerLocation = sql`coalesce(${component.locationId}, ${system.locationId}, ${node.locationId}, ${webhookEndpoint.locationId}, ${alarm.locationId})`;

export function alarmQuery(db: Database | Transaction) {
  return db
    .select(alarmColumns)
    .from(alarm)
    .innerJoin(eventRule, eq(eventRule.id, alarm.ruleId))
    .leftJoin(component, eq(component.id, alarm.componentId))
    .leftJoin(system, eq(system.id, alarm.systemId))
    .leftJoin(node, eq(node.id, alarm.nodeId))
    .leftJoin(nodePrincipal, eq(nodePrincipal.id, alarm.nodeId))
    .leftJoin(webhookEndpoint, eq(webhookEndpoint.id, alarm.endpointId))
    .leftJoin(location, eq(location.id, ownerLocation))
    .leftJoin(acker, eq(acker.id, alarm.acknowledgedBy));
}

/** The count of alarms under the same joins as `alarmQuery` (the list's total). */
export function alarmTotal(db: Database | Transaction) {
  return db
    .select({ n: count() })
    .from(alarm)
    .leftJoin(component, eq(component.id, alarm.componentId))
    .leftJoin(system, eq(system.id, alarm.systemId))
    .leftJoin(node, eq(node.id, alarm.nodeId))
    .leftJoin(webhookEndpoint, eq(webhookEndpoint.id, alarm.endpointId))
    .leftJoin(location, eq(location.id, ownerLocation));
}

/**
 * The scope condition of alarms for `capability`, on the owner's placement: a component's or a
 * system's path (a grant on the system reaches both), or a node's or an endpoint's location (the
 * node list's rule; an endpoint at the platform has none, so only scope all reaches it).
 * Undefined (scope all) when the actor's scope is everything.
 */
export function alarmScope(actor: Actor, capability: string): SQL | undefined {
  const components = placedScopeCondition(actor, capability, {
    path: component.path,
    componentId: component.id,
  });
  if (components === undefined) return undefined;
  const systems = placedScopeCondition(actor, capability, {
    path: system.path,
    systemId: system.id,
  });
  const placed = locationScopeCondition(actor, capability, location.path);
  return or(
    and(sql`${alarm.ownerKind} = 'component'`, components),
    and(sql`${alarm.ownerKind} = 'system'`, systems ?? sql`true`),
    and(sql`${alarm.ownerKind} = 'node'`, placed ?? sql`true`),
    // location.path is null for an endpoint at the platform: the condition is then not true.
    and(sql`${alarm.ownerKind} = 'endpoint'`, placed ?? sql`true`),
  );
}

/** Acknowledged and not lapsed (as of the statement). */
export const isAcknowledged = sql<boolean>`(${alarm.acknowledgedAt} is not null and (${alarm.ackExpiresAt} is null or ${alarm.ackExpiresAt} > now()))`;

export const alarmNotFound = () => new OmniglassError("NOT_FOUND", "No alarm has that id.");

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toAlarm(r: AlarmRow, now = new Date()): Alarm {
  const a = r.a;
  const acknowledged =
    a.acknowledgedAt !== null && (a.ackExpiresAt === null || a.ackExpiresAt > now);
  return {
    id: a.id,
    rule: { id: a.ruleId, name: r.ruleName, origin: r.ruleOrigin },
    owner: {
      kind: a.ownerKind,
      id: a.componentId ?? a.systemId ?? a.locationId ?? a.nodeId ?? a.endpointId!,
      path: r.path,
    },
    instance: a.instance,
    severity: a.severity,
    summary: a.summary,
    lifecycle: a.lifecycle,
    openedAt: a.openedAt.toISOString(),
    resolvedAt: iso(a.resolvedAt),
    resolvedBy: a.resolvedBy,
    resolveReason: a.resolveReason,
    acknowledgement: acknowledged
      ? {
          by: a.acknowledgedBy,
          byName: r.ackName,
          byStatus:
            a.acknowledgedBy === null || r.ackName === null
              ? "deleted"
              : r.ackDisabledAt
                ? "disabled"
                : "active",
          at: a.acknowledgedAt!.toISOString(),
          comment: a.ackComment ?? "",
          expiresAt: iso(a.ackExpiresAt),
        }
      : null,
    flapping: a.flapping,
    transitions: a.transitions,
    firedValue: a.firedValue ?? null,
    firedSampleAt: iso(a.firedSampleAt),
    suppression: a.suppressed ? (a.suppression as Suppression) : null,
    version: a.version,
  };
}

/** One alarm within read scope (else 404), optionally locked for a write. */
export async function resolveAlarm(
  db: Database | Transaction,
  actor: Actor,
  id: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<AlarmRow> {
  const query = alarmQuery(db).where(and(eq(alarm.id, id), alarmScope(actor, "alarm:read")));
  const [row] = forUpdate ? await query.for("update", { of: alarm }) : await query;
  if (!row) throw alarmNotFound();
  return row;
}

/** Several alarms within read scope, locked in id order (a bulk write). */
export async function lockAlarms(tx: Transaction, actor: Actor, ids: string[]) {
  return alarmQuery(tx)
    .where(and(inArray(alarm.id, ids), alarmScope(actor, "alarm:read")))
    .orderBy(asc(alarm.id))
    .for("update", { of: alarm });
}

const eventActor = alias(principal, "event_actor");

/** The alarm with its timeline, each event naming who (two statements). */
export async function readAlarmDetail(
  db: Database | Transaction,
  actor: Actor,
  id: string,
): Promise<AlarmDetail> {
  const row = await resolveAlarm(db, actor, id);
  const events = await db
    .select({ e: alarmEvent, byName: eventActor.name })
    .from(alarmEvent)
    .leftJoin(eventActor, eq(eventActor.id, alarmEvent.by))
    .where(eq(alarmEvent.alarmId, id))
    .orderBy(asc(alarmEvent.seq));
  return {
    ...toAlarm(row),
    timeline: events.map(({ e, byName }) => ({
      seq: e.seq,
      kind: e.kind,
      at: e.at.toISOString(),
      by: e.by,
      byName,
      value: e.value ?? null,
      sampleAt: iso(e.sampleAt),
      comment: e.comment,
    })),
  };
}
