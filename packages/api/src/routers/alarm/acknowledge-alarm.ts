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
      "Someone owns it: a comment and an optional expiry. Never opens or resolves anything; it survives a flap of the same episode. Audited. Repeating the acknowledgement that stands (same principal, same comment, same expiry) changes nothing: no second event, no second audit row.",
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
