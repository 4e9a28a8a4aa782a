import { eq, inArray, sql } from "drizzle-orm";
import type {
  AcknowledgeAlarmInput,
  AcknowledgeAlarmsInput,
  Alarm,
  AlarmDetail,
} from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import { writeAudits } from "../audit";
import type { Transaction } from "../db";
import { authorize, type GatewayContext } from "../kit";
import { alarm, systemMember } from "../schema";
import { alarmQuery, lockAlarms, resolveAlarm, toAlarm, type AlarmRow } from "./read-alarm";
import { addAlarmEvent, alarmCheck, alarmPlacement, writeAlarm } from "./write-alarm";

/*
 * Acknowledging: someone owns the alarm, with a comment and an optional expiry. A separate fact
 * from the lifecycle: it never opens or resolves anything, an open or a resolved alarm can be
 * acknowledged, and a clear racing it applies as well (each writes its own columns and event).
 */

/** How close a repeated expiry must land to the standing one to count as the same request. */
const SAME_EXPIRY_MS = 60_000;

/**
 * Whether acknowledging `row` with `input` would only repeat the acknowledgement that stands: the
 * same principal, the same comment, and no expiry either way or one landing within a minute of
 * the standing one (a retried click or request). A repeat changes nothing — no event, no audit
 * row — so a retry never applies twice; a new comment or a later expiry is a new acknowledgement.
 */
export function isRepeatAcknowledgement(
  row: AlarmRow,
  actorId: string,
  input: { comment: string; expiresInMinutes?: number | undefined },
  now = new Date(),
): boolean {
  const a = row.a;
  if (a.acknowledgedAt === null || a.acknowledgedBy !== actorId) return false;
  if (a.ackExpiresAt !== null && a.ackExpiresAt <= now) return false;
  if (a.ackComment !== input.comment) return false;
  if (!input.expiresInMinutes) return a.ackExpiresAt === null;
  if (a.ackExpiresAt === null) return false;
  const wanted = now.getTime() + input.expiresInMinutes * 60_000;
  return Math.abs(wanted - a.ackExpiresAt.getTime()) <= SAME_EXPIRY_MS;
}

function acknowledge(
  ctx: Omit<GatewayContext, "db">,
  input: { comment: string; expiresInMinutes?: number | undefined },
) {
  return async (tx: Transaction, row: AlarmRow) => {
    if (isRepeatAcknowledgement(row, ctx.actor.id, input)) return false;
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
    // Set-based (a fixed number of statements for 1 or 1,000): authorize every alarm first, then
    // one update, one insert of their timeline events, one read back, one insert of the audit.
    const components = rows.flatMap((r) => (r.a.componentId ? [r.a.componentId] : []));
    const memberships = components.length
      ? await tx
          .select({ componentId: systemMember.componentId, systemId: systemMember.systemId })
          .from(systemMember)
          .where(inArray(systemMember.componentId, components))
      : [];
    const systemsOf = (id: string | null) =>
      memberships.filter((m) => m.componentId === id).map((m) => m.systemId);
    const spec = { capability: "alarm:acknowledge", action: "acknowledge alarms" };
    authorize(
      ctx.actor,
      rows.map((row) => alarmCheck(row, spec, systemsOf(row.a.componentId))),
    );
    // A repeat of the acknowledgement that stands changes nothing (isRepeatAcknowledgement).
    const changing = rows.filter((row) => !isRepeatAcknowledgement(row, ctx.actor.id, input));
    const changingIds = changing.map((row) => row.a.id);
    if (changing.length === 0) return { acknowledged: 0, alarms: [] };
    const bumped = await tx
      .update(alarm)
      .set({
        acknowledgedBy: ctx.actor.id,
        acknowledgedAt: sql`now()`,
        ackComment: input.comment,
        ackExpiresAt: input.expiresInMinutes
          ? sql`now() + ${input.expiresInMinutes} * interval '1 minute'`
          : null,
        seq: sql`${alarm.seq} + 1`,
        version: sql`${alarm.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(inArray(alarm.id, changingIds))
      .returning({ id: alarm.id, seq: alarm.seq });
    await tx.execute(sql`
      insert into alarm_event (alarm_id, seq, kind, at, by, comment)
      select u.id, u.seq, 'acknowledged', now(), ${ctx.actor.id}::uuid, ${input.comment}
      from unnest(${sql.param(bumped.map((b) => b.id))}::uuid[],
                  ${sql.param(bumped.map((b) => b.seq))}::int[]) as u(id, seq)
      order by u.id`);
    const after = new Map(
      (await alarmQuery(tx).where(inArray(alarm.id, changingIds))).map((r) => [r.a.id, r]),
    );
    await writeAudits(
      tx,
      ctx.meta,
      changing.map((row) => ({
        verb: "acknowledge",
        resource: "alarm",
        resourceId: row.a.id,
        before: toAlarm(row),
        after: toAlarm(after.get(row.a.id)!),
        placement: alarmPlacement(row),
      })),
    );
    return {
      acknowledged: changing.length,
      alarms: changing.map(({ a }) => ({
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
