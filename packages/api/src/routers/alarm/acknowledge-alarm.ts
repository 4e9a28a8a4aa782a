import { AcknowledgeAlarmInput, AlarmDetail } from "@omniglass/contracts";
import { acknowledgeAlarm as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";
import { notifyAlarms } from "./notify";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/alarms/{id}/acknowledge",
    tags: ["alarms"],
    summary: "Acknowledge an alarm",
    description:
      "Someone owns it: a comment and an optional expiry. Never opens or resolves anything; it survives a flap of the same episode. Audited.",
  },
};

export const acknowledgeAlarm = capability("alarm:acknowledge")
  .meta(meta)
  .input(AcknowledgeAlarmInput)
  .output(AlarmDetail)
  .mutation(async ({ ctx, input }) => {
    const alarm = await inGateway({ ...ctx.gw, input });
    notifyAlarms(ctx, "acknowledged", [alarm]);
    return alarm;
  });
