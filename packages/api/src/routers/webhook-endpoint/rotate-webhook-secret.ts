import { z } from "zod";
import { WebhookEndpointWithSecret } from "@omniglass/contracts";
import { rotateWebhookSecret as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/webhook-endpoints/{id}/rotate-secret",
    tags: ["webhooks"],
    summary: "Rotate an endpoint's signing secret",
    description: "A new `whsec_` secret, returned this once; the old one stops signing at once.",
  },
};

export const rotateWebhookSecret = capability("action:write")
  .meta(meta)
  .input(z.object({ id: z.uuid() }))
  .output(WebhookEndpointWithSecret)
  .mutation(({ ctx, input }) =>
    inGateway({ ...ctx.gw, id: input.id, secretKey: ctx.deps.secretKey }),
  );
