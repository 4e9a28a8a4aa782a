import { Delivery, WebhookEndpointRefInput } from "@omniglass/contracts";
import { testWebhookEndpoint as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/webhook-endpoints/{ref}/test",
    tags: ["webhooks"],
    summary: "Send a signed test event",
    description:
      "Queues a `webhook.test` delivery, signed like every other; the worker sends it at once. The answer is the delivery (GET /deliveries/{id} for its outcome and attempts). A disabled endpoint is 409.",
  },
};

export const testWebhookEndpoint = capability("action:write")
  .meta(meta)
  .input(WebhookEndpointRefInput)
  .output(Delivery)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, ref: input.ref }));
