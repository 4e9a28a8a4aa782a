import { and, eq, gte, inArray, isNotNull, like, or, sql, type SQL } from "drizzle-orm";
import type { Alarm, ListAlarmsInput } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import type { GatewayContext } from "../kit";
import { refCondition } from "../kit/refs";
import { resolveLocation } from "../locations/resolve-location";
import { escapeLike } from "../locations/scope";
import { resolveSystem } from "../systems/resolve-system";
import { resolveComponent } from "../components/resolve-component";
import { resolveNode } from "../nodes/resolve-node";
import {
  alarm,
  component,
  eventRule,
  location,
  system as systemTable,
  systemMember,
} from "../schema";
import { keysetOrder, pageWithTotal, type Page } from "../list";
import {
  alarmQuery,
  alarmScope,
  alarmTotal,
  isAcknowledged,
  toAlarm,
  type AlarmRow,
} from "./read-alarm";

/** The orders of the alarm list, newest first: by when they fired or when they were resolved. */
const ORDER = {
  openedAt: { column: alarm.openedAt, value: (r: AlarmRow) => r.a.openedAt.toISOString() },
  resolvedAt: {
    column: alarm.resolvedAt,
    value: (r: AlarmRow) => r.a.resolvedAt!.toISOString(),
  },
};
const ID = { column: alarm.id, value: (r: AlarmRow) => r.a.id };

/**
 * The owner filter: a location (what is placed in or below it, nodes and webhook endpoints
 * too), a system (its members), a component or a node, tried in that order; a reference that
 * names none in read scope is a 404. An endpoint's name is no owner reference (none of these
 * resolves it): its alarms are found by its location, or by `rule=endpoint-failing`.
 */
async function ownerCondition(
  db: Database | Transaction,
  actor: GatewayContext["actor"],
  ref: string,
): Promise<SQL> {
  const miss = (e: unknown) => {
    if (e instanceof OmniglassError && e.code === "NOT_FOUND") return null;
    throw e;
  };
  const place = await resolveLocation(db, actor, ref).catch(miss);
  if (place)
    return or(
      like(component.path, `${escapeLike(place.path)}.%`),
      like(systemTable.path, `${escapeLike(place.path)}.%`),
      // A node's or an endpoint's alarm: the owner is placed in the location or below it (the
      // owner's location, joined by the list; an endpoint at the platform has none).
      and(
        sql`${alarm.ownerKind} in ('node', 'endpoint')`,
        or(eq(location.path, place.path), like(location.path, `${escapeLike(place.path)}.%`)),
      ),
    )!;
  const system = await resolveSystem(db, actor, ref).catch(miss);
  if (system)
    return or(
      eq(alarm.systemId, system.row.id),
      sql`exists (select 1 from ${systemMember} where ${systemMember.componentId} = ${alarm.componentId} and ${systemMember.systemId} = ${system.row.id})`,
    )!;
  const owner = await resolveComponent(db, actor, ref).catch(miss);
  if (owner) return eq(alarm.componentId, owner.row.id);
  const collector = await resolveNode(db, actor, ref).catch(miss);
  if (collector) return eq(alarm.nodeId, collector.row.id);
  throw new OmniglassError(
    "NOT_FOUND",
    "No location, system, component or node matches that owner.",
    {
      fieldErrors: [{ field: "owner", message: "not found" }],
    },
  );
}

/**
 * Alarms whose owner is in `alarm:read` scope, newest first (by when they fired, or by when they
 * were resolved: "resolved recently"), filtered by state, owner, severity, acknowledged, flapping,
 * suppressed (held from notifying: the queue's suppressed lane), rule and `resolvedSince`. Two
 * statements per page (the page and its total), plus one or two when `owner` or `rule` is given
 * (resolving the reference), whatever the page size.
 */
export async function findAlarms(
  context: GatewayContext & { input: ListAlarmsInput },
): Promise<Page<Alarm>> {
  const { input } = context;
  const { rows, total, cursorOf } = await alarmPageQueries(context);
  const now = new Date();
  return pageWithTotal(input, cursorOf, (r: AlarmRow) => toAlarm(r, now), rows, total);
}

/**
 * The list's two statements, built but not run (resolving `owner` runs its lookups): the page
 * and its total. Exported for the plan check (EXPLAIN) of the list's hot reads.
 */
export async function alarmPageQueries({
  db,
  actor,
  input,
}: GatewayContext & { input: ListAlarmsInput }) {
  const byResolution = input.order_by === "-resolvedAt";
  if (byResolution && input.state === "open")
    throw new OmniglassError("INVALID", "order_by -resolvedAt lists resolved alarms only.", {
      fieldErrors: [
        { field: "order_by", message: "-resolvedAt lists resolved alarms: drop state=open" },
      ],
    });
  const owner = input.owner ? await ownerCondition(db, actor, input.owner) : undefined;
  const rule = input.rule
    ? inArray(
        alarm.ruleId,
        db.select({ id: eventRule.id }).from(eventRule).where(refCondition(input.rule, eventRule)),
      )
    : undefined;
  const where = and(
    alarmScope(actor, "alarm:read"),
    // By resolution, `resolved_at is not null` says resolved (alarm_lifecycle_check), on the
    // index the lane walks; the lifecycle condition would pull the planner to another index.
    input.state && !byResolution ? eq(alarm.lifecycle, input.state) : undefined,
    input.severity ? eq(alarm.severity, input.severity) : undefined,
    input.acknowledged === undefined
      ? undefined
      : input.acknowledged
        ? isAcknowledged
        : sql`not ${isAcknowledged}`,
    input.flapping === undefined ? undefined : eq(alarm.flapping, input.flapping),
    // The suppressed lane: open and held, in the words of alarm_suppressed_idx's predicate (so
    // the planner can use it); `false`: every alarm not held now.
    input.suppressed === undefined
      ? undefined
      : input.suppressed
        ? sql`(${alarm.lifecycle} = 'open' and ${alarm.suppressed})`
        : sql`not ${alarm.suppressed}`,
    input.resolvedSince ? gte(alarm.resolvedAt, new Date(input.resolvedSince)) : undefined,
    byResolution ? isNotNull(alarm.resolvedAt) : undefined,
    owner,
    rule,
  );
  const order = keysetOrder(input, ORDER, ID);
  return {
    rows: alarmQuery(db)
      .where(and(where, order.after))
      .orderBy(...order.orderBy)
      .limit(input.page_size + 1),
    total: alarmTotal(db).where(where),
    cursorOf: order.cursorOf,
  };
}
