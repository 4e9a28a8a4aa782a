import { z } from "zod";
import { AlarmDetail } from "@omniglass/contracts";
import { getAlarm as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/alarms/{id}",
    tags: ["alarms"],
    summary: "Get an alarm with its timeline",
    description:
      "Fired (with the values and the sample that fired it), acknowledged, unacknowledged, flapping, reopened, resolved (by the clear sample or by whom).",
  },
};

export const getAlarm = capability("alarm:read")
  .meta(meta)
  .input(z.object({ id: z.uuid() }))
  .output(AlarmDetail)
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, id: input.id }));
