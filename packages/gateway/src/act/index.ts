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
  deleteWebhookEndpoint,
  unsafeSetEndpointEnabled,
  updateWebhookEndpoint,
  type EndpointOptions,
} from "./write-endpoint";
export { readEndpoint } from "./read-endpoint";
export {
  createActionRule,
  deleteActionRule,
  readActionRule,
  updateActionRule,
} from "./write-action-rule";
export { toDelivery, unsafeListDeliveries, unsafeListDeliveryAttempts } from "./read-delivery";
export {
  endpointScope,
  findActionRules,
  findDeliveries,
  findWebhookEndpoints,
  getActionRule,
  getDelivery,
  getWebhookEndpoint,
} from "./find-act";
export {
  replayDeliveries,
  replayDelivery,
  rotateWebhookSecret,
  testWebhookEndpoint,
} from "./replay";
export {
  STORM_DEPENDENTS_LISTED,
  STORM_GROUP_WAIT_MS,
  STORM_UPDATE_EVERY_MS,
  unsafeStormPass,
  type StormPassResult,
} from "./storms";
export {
  DEFAULT_ENDPOINT_FAILING_DAYS,
  ENDPOINT_FAILING_RULE_ID,
  ENDPOINT_FAILING_RULE_NAME,
  unsafeEnsureEndpointFailingRule,
  unsafeSyncEndpointAlarms,
  type EndpointAlarmPassResult,
} from "./endpoint-alarms";
