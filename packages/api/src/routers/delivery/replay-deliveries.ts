import { z } from "zod";
import { ReplayDeliveriesInput } from "@omniglass/contracts";
import { replayDeliveries as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/deliveries/replay",
    tags: ["webhooks"],
    summary: "Replay the deliveries of a time range",
    description:
      "Every delivery created in [from, to) you may write (optionally one endpoint, one status), at most 10,000.",
  },
};

export const replayDeliveries = capability("action:write")
  .meta(meta)
  .input(ReplayDeliveriesInput)
  .output(z.object({ replayed: z.number().int() }))
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
