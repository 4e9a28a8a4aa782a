import { z } from "zod";
import { AlarmDetail } from "@omniglass/contracts";
import { unacknowledgeAlarm as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";
import { notifyAlarms } from "./notify";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/alarms/{id}/unacknowledge",
    tags: ["alarms"],
    summary: "Withdraw an acknowledgement",
    description: "Nobody owns it any more; an alarm that is not acknowledged is left as it is.",
  },
};

export const unacknowledgeAlarm = capability("alarm:acknowledge")
  .meta(meta)
  .input(z.object({ id: z.uuid() }))
  .output(AlarmDetail)
  .mutation(async ({ ctx, input }) => {
    const alarm = await inGateway({ ...ctx.gw, id: input.id });
    notifyAlarms(ctx, "unacknowledged", [alarm]);
    return alarm;
  });
