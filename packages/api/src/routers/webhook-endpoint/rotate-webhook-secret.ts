import { WebhookEndpointRefInput, WebhookEndpointWithSecret } from "@omniglass/contracts";
import { rotateWebhookSecret as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/webhook-endpoints/{ref}/rotate-secret",
    tags: ["webhooks"],
    summary: "Rotate an endpoint's signing secret",
    description: "A new `whsec_` secret, returned this once; the old one stops signing at once.",
  },
};

export const rotateWebhookSecret = capability("action:write")
  .meta(meta)
  .input(WebhookEndpointRefInput)
  .output(WebhookEndpointWithSecret)
  .mutation(({ ctx, input }) =>
    inGateway({ ...ctx.gw, ref: input.ref, secretKey: ctx.deps.secretKey }),
  );
