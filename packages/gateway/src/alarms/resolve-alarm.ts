import { eq, sql } from "drizzle-orm";
import type { AlarmDetail, ResolveAlarmInput } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import type { GatewayContext } from "../kit";
import { healthSeedsOfAlarmRow, recomputeHealth, type HealthChange } from "../health";
import { alarm } from "../schema";
import { resolveAlarm as lockAlarm } from "./read-alarm";
import { addAlarmEvent, writeAlarm } from "./write-alarm";

/**
 * Resolves an open alarm by hand, with a reason (409 when it is already resolved). The rule's
 * episode is left as it is: while the condition still holds no new alarm opens; the next clear
 * and fire open a new one.
 */
export async function resolveAlarm({
  input,
  onHealthChanged,
  ...ctx
}: GatewayContext & {
  input: ResolveAlarmInput;
  /** Told, after the commit, which verdicts the resolve moved (the host relays them live). */
  onHealthChanged?: (changes: HealthChange[]) => void;
}): Promise<AlarmDetail> {
  const { detail, health } = await ctx.db.transaction(async (tx) => {
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
    // The owner's verdict moves with the resolve, in its transaction (issue #13 §5).
    const health = await recomputeHealth(tx, healthSeedsOfAlarmRow(row.a));
    return { detail, health };
  });
  if (health.length > 0) onHealthChanged?.(health);
  return detail;
}
