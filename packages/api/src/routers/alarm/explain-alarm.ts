import { z } from "zod";
import { AlarmWhy } from "@omniglass/contracts";
import { explainAlarm as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/alarms/{id}/why",
    tags: ["alarms"],
    summary: "Why did (or didn't) an alarm notify",
    description:
      "The rule that opened it; the maintenance windows, silences and root alarm that held it (now and over time, with the dependency chain); and for every transition of its timeline whether it was suppressed, each action rule matched or not (and which matcher missed), and the webhooks delivered (status, code, latency, time). Action rules and endpoints outside your `action:read` scope are counted, not named. 404 outside your `alarm:read` scope, like GET /alarms/{id}.",
  },
};

export const explainAlarm = capability("alarm:read")
  .meta(meta)
  .input(z.object({ id: z.uuid() }))
  .output(AlarmWhy)
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, id: input.id }));
