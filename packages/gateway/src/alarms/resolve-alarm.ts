import { eq, sql } from "drizzle-orm";
import type { AlarmDetail, ResolveAlarmInput } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import type { GatewayContext } from "../kit";
import { healthSeedsOfAlarmRow, recomputeHealth, type HealthChange } from "../health";
import { alarm } from "../schema";
import { unsafeReevaluateDependentsOf } from "../suppress/reevaluate-suppression";
import { resolveAlarm as lockAlarm } from "./read-alarm";
import type { AlarmChange } from "./transitions";
import { addAlarmEvent, writeAlarm } from "./write-alarm";

/**
 * Resolves an open alarm by hand, with a reason (409 when it is already resolved). The rule's
 * episode is left as it is: while the condition still holds no new alarm opens; the next clear
 * and fire open a new one. The open alarms it held as their dependency root are decided again
 * in the same transaction (released, or held by what still holds them).
 */
export async function resolveAlarm({
  input,
  onHealthChanged,
  onAlarmsChanged,
  ...ctx
}: GatewayContext & {
  input: ResolveAlarmInput;
  /** Told, after the commit, which verdicts the resolve moved (the host relays them live). */
  onHealthChanged?: (changes: HealthChange[]) => void;
  /** Told, after the commit, which other alarms the resolve suppressed or released. */
  onAlarmsChanged?: (changes: AlarmChange[]) => void;
}): Promise<AlarmDetail> {
  const { detail, health, released } = await ctx.db.transaction(async (tx) => {
    const row = await lockAlarm(tx, ctx.actor, input.id, { forUpdate: true });
    const detail = await writeAlarm(tx, ctx, row, {
      verb: "resolve",
      capability: "alarm:resolve",
      action: "resolve alarms",
      apply: async (tx, row) => {
        if (row.a.lifecycle !== "open")
          throw new OmniglassError("CONFLICT", "This alarm is already resolved.");
        await tx
          .update(alarm)
          .set({
            lifecycle: "resolved",
            resolvedAt: sql`now()`,
            resolvedBy: ctx.actor.id,
            resolveReason: input.reason,
            transitions: sql`${alarm.transitions} + 1`,
          })
          .where(eq(alarm.id, row.a.id));
        await addAlarmEvent(tx, row.a.id, {
          kind: "resolved",
          by: ctx.actor.id,
          comment: input.reason,
        });
        return true;
      },
    });
    // Its dependents are released (or re-explained) at once, not on their next sample.
    const released = await unsafeReevaluateDependentsOf(tx, [row.a.id], new Date());
    // The owner's verdict moves with the resolve, in its transaction (issue #13 §5).
    const health = await recomputeHealth(tx, healthSeedsOfAlarmRow(row.a));
    return { detail, health, released };
  });
  if (health.length > 0) onHealthChanged?.(health);
  if (released.length > 0) onAlarmsChanged?.(released);
  return detail;
}
