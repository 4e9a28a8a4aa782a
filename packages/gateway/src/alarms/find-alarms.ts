import { and, desc, eq, inArray, like, or, sql, type SQL } from "drizzle-orm";
import type { Alarm, ListAlarmsInput } from "@omniglass/contracts";
import { decodeCursor, encodeCursor, OmniglassError } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import type { GatewayContext } from "../kit";
import { refCondition } from "../kit/refs";
import { resolveLocation } from "../locations/resolve-location";
import { escapeLike } from "../locations/scope";
import { resolveSystem } from "../systems/resolve-system";
import { resolveComponent } from "../components/resolve-component";
import { resolveNode } from "../nodes/resolve-node";
import { alarm, component, eventRule, location, systemMember } from "../schema";
import type { Page } from "../list";
import { alarmQuery, alarmScope, alarmTotal, isAcknowledged, toAlarm } from "./read-alarm";

/**
 * The owner filter: a location (what is placed in or below it, nodes too), a system (its
 * members), a component or a node, tried in that order; a reference that names none in read
 * scope is a 404.
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
      // A node's alarm: the node is placed in the location or below it.
      and(
        sql`${alarm.ownerKind} = 'node'`,
        or(eq(location.path, place.path), like(location.path, `${escapeLike(place.path)}.%`)),
      ),
    )!;
  const system = await resolveSystem(db, actor, ref).catch(miss);
  if (system)
    return sql`exists (select 1 from ${systemMember} where ${systemMember.componentId} = ${alarm.componentId} and ${systemMember.systemId} = ${system.row.id})`;
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
 * Alarms whose owner is in `alarm:read` scope, newest first, filtered by state, owner, severity,
 * acknowledged, flapping and rule. Two statements per page (the page and its total), plus one
 * or two when `owner` or `rule` is given (resolving the reference), whatever the page size.
 */
export async function findAlarms({
  db,
  actor,
  input,
}: GatewayContext & { input: ListAlarmsInput }): Promise<Page<Alarm>> {
  const owner = input.owner ? await ownerCondition(db, actor, input.owner) : undefined;
  const rule = input.rule
    ? inArray(
        alarm.ruleId,
        db.select({ id: eventRule.id }).from(eventRule).where(refCondition(input.rule, eventRule)),
      )
    : undefined;
  const where = and(
    alarmScope(actor, "alarm:read"),
    input.state ? eq(alarm.lifecycle, input.state) : undefined,
    input.severity ? eq(alarm.severity, input.severity) : undefined,
    input.acknowledged === undefined
      ? undefined
      : input.acknowledged
        ? isAcknowledged
        : sql`not ${isAcknowledged}`,
    input.flapping === undefined ? undefined : eq(alarm.flapping, input.flapping),
    owner,
    rule,
  );
  const cursor = input.page_token ? decodeCursor(input.page_token, 2) : null;
  const after = cursor
    ? sql`(${alarm.openedAt}, ${alarm.id}) < (${String(cursor[0])}::timestamptz, ${String(cursor[1])}::uuid)`
    : undefined;
  const [rows, [total]] = await Promise.all([
    alarmQuery(db)
      .where(and(where, after))
      .orderBy(desc(alarm.openedAt), desc(alarm.id))
      .limit(input.page_size + 1),
    alarmTotal(db).where(where),
  ]);
  const hasMore = rows.length > input.page_size;
  const page = hasMore ? rows.slice(0, input.page_size) : rows;
  const last = page[page.length - 1];
  const now = new Date();
  return {
    items: page.map((r) => toAlarm(r, now)),
    nextPageToken:
      hasMore && last ? encodeCursor([last.a.openedAt.toISOString(), last.a.id]) : null,
    totalSize: total?.n ?? 0,
  };
}
