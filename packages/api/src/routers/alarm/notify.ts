import type { AlarmChangeKind, AlarmDetail } from "@omniglass/contracts";
import type { Context } from "../../context";

/*
 * After the gateway's transaction committed, the host tells the console's live alarm stream what
 * an operator changed (the worker does the same for what samples and the clock change).
 */

type Changed = Pick<AlarmDetail, "id" | "severity"> & {
  owner: Pick<AlarmDetail["owner"], "kind" | "id">;
};

export function notifyAlarms(ctx: Context, kind: AlarmChangeKind, alarms: Changed[]): void {
  ctx.deps.onAlarmsChanged(
    alarms.map((a) => ({
      alarmId: a.id,
      kind,
      owner: { kind: a.owner.kind, id: a.owner.id },
      severity: a.severity,
    })),
  );
}
