export {
  connectDatabase,
  type Database,
  type DatabaseHandle,
  type DatabaseOptions,
  type Transaction,
} from "./db";
export { unsafeMigrate, MIGRATIONS_FOLDER } from "./migrate";
export { isConstraintConflict, isDatabaseUnavailable, pingDatabase } from "./ping";
export type { Page } from "./list";
export { listWorkers } from "./workers/list-workers";
export {
  readOperations,
  readCollectors,
  readSchedules,
  COLLECTORS_SOURCE,
  SCHEDULES_SOURCE,
  type Operations,
} from "./command/operations";
export { unsafePruneWorkers } from "./workers/prune-workers";
export { unsafeRecordWorkerHeartbeat } from "./workers/record-worker-heartbeat";
export { databaseUrl, unsafeEnsureDatabase } from "./admin";
export { redact, writeAudit, type AuditEntry } from "./audit";
export {
  OFFICIAL_LOCATION_TYPES,
  OFFICIAL_ROLES,
  OFFICIAL_SYSTEM_TYPES,
  unsafeSeedRegistries,
} from "./seed";
export { unsafeAuthenticateSession, unsafeAuthenticateToken } from "./identity/authenticate";
export { unsafeBootstrapOwner, type BootstrapResult } from "./identity/bootstrap-owner";
export { loadActor } from "./identity/load-actor";
export {
  unsafeClearSignInFailures,
  unsafeRecordSignInFailure,
  unsafeSignInWait,
  type ThrottleRule,
} from "./identity/sign-in-throttle";
export { findLocations, getLocation, type FindLocationsInput } from "./locations/find-locations";
export { createLocation } from "./locations/create-location";
export { deleteLocation } from "./locations/delete-location";
export { moveLocation, renameLocation } from "./locations/relocate-location";
export { updateLocation } from "./locations/update-location";
export { createLocationType, listLocationTypes } from "./locations/location-types";
export { listRoles } from "./access/roles";
export { findAuditLog, unsafeCountAuditRows } from "./access/audit-log";
export {
  listOwnSessions,
  revokeOwnSession,
  SESSION_TTL_MS,
  signIn,
  signOut,
  type SessionInfo,
} from "./identity/sessions";
export * from "./principals";
export {
  claimIdempotencyKey,
  completeIdempotencyKey,
  idempotencyScope,
  releaseIdempotencyKey,
  unsafePruneIdempotencyKeys,
  type IdempotencyClaim,
} from "./idempotency";
export * from "./systems";
export * from "./components";
export {
  compareTemplateVersions,
  deleteTemplate,
  findTemplates,
  getTemplate,
  listTemplateVersions,
  publishTemplate,
} from "./catalog/templates";
export { createSignal, deleteSignal, findSignals, getSignal } from "./catalog/signal-registry";
export { OFFICIAL_SIGNALS } from "./catalog/signals";
export { loadTemplateLibrary, parseTemplateFile, TEMPLATES_FOLDER } from "./catalog/library";
export * from "./nodes";
export { deleteBinding, explainBindings, findBindings, setBinding } from "./bindings/bindings";
export { DEMO_DECLARATIONS, unsafeSeedDemoEstate, type DemoEstateResult } from "./demo/demo-estate";
export {
  unsafeSeedLargeEstate,
  type LargeEstateInput,
  type LargeEstateResult,
} from "./demo/large-estate";
export * from "./telemetry";
export * from "./readings";
export {
  DEMO_MISLABELLED,
  DEMO_NODE,
  unsafeDemoEnrollmentToken,
  unsafeWireDemoTelemetry,
  type DemoTelemetry,
  type SimulatedDevice,
} from "./demo/demo-telemetry";
export * from "./rules";
export * from "./alarms";
export * from "./health";
export * from "./suppress";
export * from "./act";
export * from "./estate";
export {
  readBriefStatus,
  type BriefProcessSource,
  type BriefStatusRead,
} from "./command/brief-status";
export { BRIEF_VIEWS } from "./command/brief-tile";
export * from "./assessment";
