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
export { findLocations, getLocation, type FindLocationsInput } from "./locations/find-locations";
export {
  createLocation,
  deleteLocation,
  renameLocation,
  updateLocation,
} from "./locations/mutate-locations";
export { createLocationType, listLocationTypes } from "./locations/location-types";
export { listRoles } from "./access/roles";
export { findAuditLog } from "./access/audit-log";
export {
  listOwnSessions,
  revokeOwnSession,
  SESSION_TTL_MS,
  signIn,
  signOut,
  type SessionInfo,
} from "./identity/sessions";
export {
  createGrant,
  createPrincipal,
  createToken,
  deleteGrant,
  getPrincipal,
  listPrincipals,
  revokeToken,
  setPrincipalDisabled,
  updatePrincipal,
} from "./principals/principals";
export {
  claimIdempotencyKey,
  completeIdempotencyKey,
  idempotencyScope,
  releaseIdempotencyKey,
  unsafePruneIdempotencyKeys,
  type IdempotencyClaim,
} from "./idempotency";
export {
  createSystem,
  deleteSystem,
  findSystems,
  getSystem,
  listSystemTypes,
  updateSystem,
} from "./systems/systems";
export { OFFICIAL_SIGNALS } from "./catalog/signals";
export { loadTemplateLibrary, parseTemplateFile, TEMPLATES_FOLDER } from "./catalog/library";
