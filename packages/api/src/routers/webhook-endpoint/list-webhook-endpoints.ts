import { ListWebhookEndpointsInput, listOf, WebhookEndpoint } from "@omniglass/contracts";
import { findWebhookEndpoints as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/webhook-endpoints",
    tags: ["webhooks"],
    summary: "List webhook endpoints",
    description: "By name; never with their secrets.",
  },
};

export const listWebhookEndpoints = capability("action:read")
  .meta(meta)
  .input(ListWebhookEndpointsInput)
  .output(listOf(WebhookEndpoint))
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
