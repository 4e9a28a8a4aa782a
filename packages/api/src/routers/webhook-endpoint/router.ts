import { router } from "../../trpc";
import { createWebhookEndpoint } from "./create-webhook-endpoint";
import { deleteWebhookEndpoint } from "./delete-webhook-endpoint";
import { getWebhookEndpoint } from "./get-webhook-endpoint";
import { listWebhookEndpoints } from "./list-webhook-endpoints";
import { rotateWebhookSecret } from "./rotate-webhook-secret";
import { testWebhookEndpoint } from "./test-webhook-endpoint";
import { updateWebhookEndpoint } from "./update-webhook-endpoint";

export const webhookEndpointRouter = router({
  list: listWebhookEndpoints,
  get: getWebhookEndpoint,
  create: createWebhookEndpoint,
  update: updateWebhookEndpoint,
  delete: deleteWebhookEndpoint,
  rotateSecret: rotateWebhookSecret,
  test: testWebhookEndpoint,
});
