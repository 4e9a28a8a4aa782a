import { z } from "zod";
import { AcknowledgeAlarmsInput } from "@omniglass/contracts";
import { acknowledgeAlarms as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";
import { notifyAlarms } from "./notify";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/alarms/acknowledge",
    tags: ["alarms"],
    summary: "Acknowledge many alarms at once",
    description:
      "Up to 1,000 ids, all or nothing: one missing or out of read scope is a 404, one out of acknowledge scope a 403, and then nothing changes. One audit row per alarm acknowledged; an alarm whose standing acknowledgement this only repeats (same principal, same comment, same expiry) is left as it is, so `acknowledged` counts the changed ones and a retry applies nothing twice.",
  },
};

export const acknowledgeAlarms = capability("alarm:acknowledge")
  .meta(meta)
  .input(AcknowledgeAlarmsInput)
  .output(z.object({ acknowledged: z.number().int() }))
  .mutation(async ({ ctx, input }) => {
    const { acknowledged, alarms } = await inGateway({ ...ctx.gw, input });
    notifyAlarms(ctx, "acknowledged", alarms);
    return { acknowledged };
  });
