import { eq, sql } from "drizzle-orm";
import type {
  AcknowledgeAlarmInput,
  AcknowledgeAlarmsInput,
  Alarm,
  AlarmDetail,
} from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import type { Transaction } from "../db";
import type { GatewayContext } from "../kit";
import { alarm } from "../schema";
import { lockAlarms, resolveAlarm, type AlarmRow } from "./read-alarm";
import { addAlarmEvent, writeAlarm } from "./write-alarm";

/*
 * Acknowledging: someone owns the alarm, with a comment and an optional expiry. A separate fact
 * from the lifecycle: it never opens or resolves anything, an open or a resolved alarm can be
 * acknowledged, and a clear racing it applies as well (each writes its own columns and event).
 */

function acknowledge(
  ctx: Omit<GatewayContext, "db">,
  input: { comment: string; expiresInMinutes?: number | undefined },
) {
  return async (tx: Transaction, row: AlarmRow) => {
    await tx
      .update(alarm)
      .set({
        acknowledgedBy: ctx.actor.id,
        acknowledgedAt: sql`now()`,
        ackComment: input.comment,
        ackExpiresAt: input.expiresInMinutes
          ? sql`now() + ${input.expiresInMinutes} * interval '1 minute'`
          : null,
      })
      .where(eq(alarm.id, row.a.id));
    await addAlarmEvent(tx, row.a.id, {
      kind: "acknowledged",
      by: ctx.actor.id,
      comment: input.comment,
    });
    return true;
  };
}

export async function acknowledgeAlarm({
  input,
  ...ctx
}: GatewayContext & { input: AcknowledgeAlarmInput }): Promise<AlarmDetail> {
  return ctx.db.transaction(async (tx) => {
    const row = await resolveAlarm(tx, ctx.actor, input.id, { forUpdate: true });
    return writeAlarm(tx, ctx, row, {
      verb: "acknowledge",
      capability: "alarm:acknowledge",
      action: "acknowledge alarms",
      apply: acknowledge(ctx, input),
    });
  });
}

/**
 * Acknowledges up to 1,000 alarms at once, all or nothing: one that is missing or outside read
 * scope is a 404 (naming none), one outside acknowledge scope a 403; one audit row per alarm.
 */
export async function acknowledgeAlarms({
  input,
  ...ctx
}: GatewayContext & { input: AcknowledgeAlarmsInput }): Promise<{
  acknowledged: number;
  /** What each acknowledged alarm is about, for the live notification after the commit. */
  alarms: (Pick<Alarm, "id" | "severity"> & { owner: Pick<Alarm["owner"], "kind" | "id"> })[];
}> {
  const ids = [...new Set(input.ids)];
  return ctx.db.transaction(async (tx) => {
    const rows = await lockAlarms(tx, ctx.actor, ids);
    if (rows.length !== ids.length)
      throw new OmniglassError(
        "NOT_FOUND",
        `${ids.length - rows.length} of the ${ids.length} alarms do not exist or are not yours to see; nothing was acknowledged.`,
      );
    for (const row of rows)
      await writeAlarm(tx, ctx, row, {
        verb: "acknowledge",
        capability: "alarm:acknowledge",
        action: "acknowledge alarms",
        apply: acknowledge(ctx, input),
      });
    return {
      acknowledged: rows.length,
      alarms: rows.map(({ a }) => ({
        id: a.id,
        severity: a.severity,
        owner: { kind: a.ownerKind, id: a.componentId ?? a.systemId ?? a.locationId ?? a.nodeId! },
      })),
    };
  });
}

/** Withdraws an acknowledgement (none: nothing changes, no audit row). */
export async function unacknowledgeAlarm({
  id,
  ...ctx
}: GatewayContext & { id: string }): Promise<AlarmDetail> {
  return ctx.db.transaction(async (tx) => {
    const row = await resolveAlarm(tx, ctx.actor, id, { forUpdate: true });
    return writeAlarm(tx, ctx, row, {
      verb: "unacknowledge",
      capability: "alarm:acknowledge",
      action: "acknowledge alarms",
      apply: async (tx, row) => {
        if (row.a.acknowledgedAt === null) return false;
        await tx
          .update(alarm)
          .set({ acknowledgedBy: null, acknowledgedAt: null, ackComment: null, ackExpiresAt: null })
          .where(eq(alarm.id, row.a.id));
        await addAlarmEvent(tx, row.a.id, { kind: "unacknowledged", by: ctx.actor.id });
        return true;
      },
    });
  });
}
