import { eq, sql } from "drizzle-orm";
import type { AlarmDetail } from "@omniglass/contracts";
import { writeAudit, type AuditPlacement } from "../audit";
import type { Transaction } from "../db";
import { authorize, type GatewayContext } from "../kit";
import { systemIdsOf } from "../components/resolve-component";
import { alarm } from "../schema";
import { readAlarmDetail, type AlarmRow } from "./read-alarm";

/**
 * The shape of an operator's write on one alarm (the kit's `mutate`, with the audit row placed at
 * the alarm's owner): lock within read scope (404) → the capability on the owner's placement (403)
 * → change → timeline event → read back → audit, in the caller's transaction.
 */
export async function writeAlarm(
  tx: Transaction,
  { actor, meta }: Omit<GatewayContext, "db">,
  row: AlarmRow,
  spec: {
    verb: string;
    capability: string;
    action: string;
    /** Changes the row and adds its event; false: nothing to change (no audit row). */
    apply: (tx: Transaction, row: AlarmRow) => Promise<boolean>;
  },
): Promise<AlarmDetail> {
  authorize(actor, [
    alarmCheck(row, spec, row.a.componentId ? await systemIdsOf(tx, row.a.componentId) : []),
  ]);
  const before = await readAlarmDetail(tx, actor, row.a.id);
  if (!(await spec.apply(tx, row))) return before;
  const after = await readAlarmDetail(tx, actor, row.a.id);
  const image = (d: AlarmDetail) => {
    const { timeline: _timeline, ...rest } = d;
    return rest;
  };
  await writeAudit(tx, meta, {
    verb: spec.verb,
    resource: "alarm",
    resourceId: row.a.id,
    before: image(before),
    after: image(after),
    placement: alarmPlacement(row),
  });
  return after;
}

/**
 * The capability check of a write on one alarm, at its owner's placement: a component's alarm is
 * placed with its systems too (`memberOf`), a system's at the system, a node's by the node's
 * location (it serves no system).
 */
export function alarmCheck(
  row: AlarmRow,
  spec: { capability: string; action: string },
  memberOf: readonly string[],
) {
  return {
    capability: spec.capability,
    placed: {
      // An endpoint at the platform has no location: only scope all reaches it.
      locationPath: row.locationPath ?? "",
      memberOf: row.a.componentId ? [...memberOf] : row.a.systemId ? [row.a.systemId] : [],
      path: row.path,
    },
    action: spec.action,
  };
}

/** Where the audit row of a write on the alarm is placed: at its owner. */
export function alarmPlacement(row: AlarmRow): AuditPlacement {
  return row.a.componentId
    ? { kind: "component", path: row.path, id: row.a.componentId }
    : row.a.systemId
      ? { kind: "system", path: row.path, id: row.a.systemId }
      : row.locationPath !== null
        ? { kind: "location", path: row.locationPath }
        : { kind: "platform" };
}

/** Adds the next event of the alarm's timeline and bumps its sequence and version. */
export async function addAlarmEvent(
  tx: Transaction,
  alarmId: string,
  event: { kind: string; by: string | null; comment?: string | null },
) {
  const [bumped] = await tx
    .update(alarm)
    .set({ seq: sql`${alarm.seq} + 1`, version: sql`${alarm.version} + 1`, updatedAt: sql`now()` })
    .where(eq(alarm.id, alarmId))
    .returning({ seq: alarm.seq });
  await tx.execute(sql`
    insert into alarm_event (alarm_id, seq, kind, at, by, comment)
    values (${alarmId}::uuid, ${bumped!.seq}, ${event.kind}, now(), ${event.by}::uuid, ${event.comment ?? null})`);
}
