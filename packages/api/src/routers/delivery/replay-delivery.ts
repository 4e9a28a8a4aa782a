import { z } from "zod";
import { Delivery } from "@omniglass/contracts";
import { replayDelivery as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/deliveries/{id}/replay",
    tags: ["webhooks"],
    summary: "Replay a delivery",
    description:
      "Sends the same message again (same webhook-id and body, attempts from zero), e.g. a dead one after the receiver is fixed.",
  },
};

export const replayDelivery = capability("action:write")
  .meta(meta)
  .input(z.object({ id: z.string().regex(/^msg_[0-9a-f]{32}$/, "a delivery id msg_…") }))
  .output(Delivery)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, id: input.id }));
