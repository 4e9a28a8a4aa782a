export { snapshotToAlarm, transitionKind, webhookBody } from "./payload";
export { unsafeMarkOutboxPublished, unsafePruneOutbox, unsafeUnpublishedOutbox } from "./outbox";
export { newDeliveryId, unsafeRouteTransitions } from "./route-transitions";
export {
  DELIVERY_LEASE_MS,
  DELIVERY_RETENTION_MS,
  unsafeClaimDueDeliveries,
  unsafePruneDeliveries,
  unsafeRecordDeliveryAttempt,
  type AttemptRecord,
  type ClaimedDelivery,
} from "./deliveries";
// The worker signs and classifies with the domain's Standard Webhooks core (it does not depend
// on the domain package itself).
export {
  WEBHOOK_TIMEOUT_MS,
  verifyWebhook,
  webhookHeaders,
  type AttemptResult,
} from "@omniglass/domain";
export {
  checkEndpointUrl,
  createWebhookEndpoint,
  readEndpoint,
  unsafeSetEndpointEnabled,
  type EndpointOptions,
} from "./write-endpoint";
export { createActionRule, readActionRule } from "./write-action-rule";
export { toDelivery, unsafeListDeliveries } from "./read-delivery";
export {
  endpointScope,
  findActionRules,
  findDeliveries,
  findWebhookEndpoints,
  getWebhookEndpoint,
} from "./find-act";
export {
  replayDeliveries,
  replayDelivery,
  rotateWebhookSecret,
  testWebhookEndpoint,
} from "./replay";
export {
  DEFAULT_ENDPOINT_FAILING_DAYS,
  ENDPOINT_FAILING_RULE_ID,
  ENDPOINT_FAILING_RULE_NAME,
  unsafeEnsureEndpointFailingRule,
  unsafeSyncEndpointAlarms,
  type EndpointAlarmPassResult,
} from "./endpoint-alarms";
