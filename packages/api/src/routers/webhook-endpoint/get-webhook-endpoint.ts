import { WebhookEndpoint, WebhookEndpointRefInput } from "@omniglass/contracts";
import { getWebhookEndpoint as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/webhook-endpoints/{ref}",
    tags: ["webhooks"],
    summary: "Get a webhook endpoint",
    description:
      "By id or name: its URL, enabled (and why not), failing since, its newest delivery and how many are still to send. Never its secret.",
  },
};

export const getWebhookEndpoint = capability("action:read")
  .meta(meta)
  .input(WebhookEndpointRefInput)
  .output(WebhookEndpoint)
  .query(({ ctx, input }) => inGateway(ctx.gw.db, ctx.gw.actor, input.ref));
