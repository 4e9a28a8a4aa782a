import { z } from "zod";
import { Delivery } from "@omniglass/contracts";
import { testWebhookEndpoint as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/webhook-endpoints/{id}/test",
    tags: ["webhooks"],
    summary: "Send a signed test event",
    description:
      "Queues a `webhook.test` delivery, signed like every other; the worker sends it at once. The answer is the delivery (read it again for its outcome).",
  },
};

export const testWebhookEndpoint = capability("action:write")
  .meta(meta)
  .input(z.object({ id: z.uuid() }))
  .output(Delivery)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, id: input.id }));
