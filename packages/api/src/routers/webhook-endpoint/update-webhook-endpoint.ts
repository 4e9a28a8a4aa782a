import { UpdateWebhookEndpointInput, WebhookEndpoint } from "@omniglass/contracts";
import { updateWebhookEndpoint as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "PATCH",
    path: "/webhook-endpoints/{ref}",
    tags: ["webhooks"],
    summary: "Change a webhook endpoint",
    description:
      "Its label, URL (checked as on create: loopback and link-local refused unless the server allows them) or enabled. Disabling holds its deliveries; enabling clears `disabledReason` (a 410's too) and sends them. A stale `version` is 409.",
  },
};

export const updateWebhookEndpoint = capability("action:write")
  .meta(meta)
  .input(UpdateWebhookEndpointInput)
  .output(WebhookEndpoint)
  .mutation(({ ctx, input }) =>
    inGateway({
      ...ctx.gw,
      input,
      options: { allowLoopback: ctx.deps.webhookAllowLoopback ?? false },
    }),
  );
