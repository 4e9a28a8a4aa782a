import { DeletedWebhookEndpoint, WebhookEndpointRefInput } from "@omniglass/contracts";
import { deleteWebhookEndpoint as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/webhook-endpoints/{ref}",
    tags: ["webhooks"],
    summary: "Delete a webhook endpoint",
    description:
      "Refused (409, naming them) while action rules deliver to it. Its deliveries go with it, unsent ones included (they are never sent), with their attempts and the alarms it owns; the answer counts them.",
  },
};

export const deleteWebhookEndpoint = capability("action:write")
  .meta(meta)
  .input(WebhookEndpointRefInput)
  .output(DeletedWebhookEndpoint)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, ref: input.ref }));
