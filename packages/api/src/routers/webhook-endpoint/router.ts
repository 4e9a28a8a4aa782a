import { router } from "../../trpc";
import { createWebhookEndpoint } from "./create-webhook-endpoint";
import { getWebhookEndpoint } from "./get-webhook-endpoint";
import { listWebhookEndpoints } from "./list-webhook-endpoints";
import { rotateWebhookSecret } from "./rotate-webhook-secret";
import { testWebhookEndpoint } from "./test-webhook-endpoint";

export const webhookEndpointRouter = router({
  list: listWebhookEndpoints,
  get: getWebhookEndpoint,
  create: createWebhookEndpoint,
  rotateSecret: rotateWebhookSecret,
  test: testWebhookEndpoint,
});
