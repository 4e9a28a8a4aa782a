import { CreateWebhookEndpointInput, WebhookEndpointWithSecret } from "@omniglass/contracts";
import { createWebhookEndpoint as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/webhook-endpoints",
    tags: ["webhooks"],
    summary: "Create a webhook endpoint",
    description:
      "An http(s) URL that receives Standard Webhooks deliveries. The answer carries the `whsec_` signing secret this once; it is stored sealed and never returned again (rotate for a new one). Loopback and link-local URLs are refused unless the server allows them. Needs `action:write` at its location (none: on scope all). 503 when the server has no OMNIGLASS_SECRET_KEY.",
  },
};

export const createWebhookEndpoint = capability("action:write")
  .meta(meta)
  .input(CreateWebhookEndpointInput)
  .output(WebhookEndpointWithSecret)
  .mutation(({ ctx, input }) =>
    inGateway({
      ...ctx.gw,
      input,
      options: {
        secretKey: ctx.deps.secretKey,
        allowLoopback: ctx.deps.webhookAllowLoopback ?? false,
      },
    }),
  );
