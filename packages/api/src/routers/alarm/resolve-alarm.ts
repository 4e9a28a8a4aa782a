import { AlarmDetail, ResolveAlarmInput } from "@omniglass/contracts";
import { resolveAlarm as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";
import { notifyAlarms } from "./notify";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/alarms/{id}/resolve",
    tags: ["alarms"],
    summary: "Resolve an alarm by hand",
    description:
      "A reason is required; 409 when it is already resolved. While the rule's condition still holds no new alarm opens.",
  },
};

export const resolveAlarm = capability("alarm:resolve")
  .meta(meta)
  .input(ResolveAlarmInput)
  .output(AlarmDetail)
  .mutation(async ({ ctx, input }) => {
    const alarm = await inGateway({
      ...ctx.gw,
      input,
      onHealthChanged: ctx.deps.onHealthChanged,
      // Dependents this root released (or re-held) are told to the live stream too.
      onAlarmsChanged: ctx.deps.onAlarmsChanged,
    });
    notifyAlarms(ctx, "resolved", [alarm]);
    return alarm;
  });
