import { DeliveryDetail, DeliveryRefInput } from "@omniglass/contracts";
import { getDelivery as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/deliveries/{id}",
    tags: ["webhooks"],
    summary: "Get a delivery with its attempts",
    description:
      "The delivery, the exact body sent and every attempt (when, status code or none, latency, error, at most 1 KB of the answer).",
  },
};

export const getDelivery = capability("action:read")
  .meta(meta)
  .input(DeliveryRefInput)
  .output(DeliveryDetail)
  .query(({ ctx, input }) => inGateway(ctx.gw.db, ctx.gw.actor, input.id));
