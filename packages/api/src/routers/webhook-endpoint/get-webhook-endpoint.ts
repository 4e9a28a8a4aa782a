import { z } from "zod";
import { WebhookEndpoint } from "@omniglass/contracts";
import { getWebhookEndpoint as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/webhook-endpoints/{id}",
    tags: ["webhooks"],
    summary: "Get a webhook endpoint",
  },
};

export const getWebhookEndpoint = capability("action:read")
  .meta(meta)
  .input(z.object({ id: z.uuid() }))
  .output(WebhookEndpoint)
  .query(({ ctx, input }) => inGateway(ctx.gw.db, ctx.gw.actor, input.id));
