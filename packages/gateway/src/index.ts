export {
  connectDatabase,
  type Database,
  type DatabaseHandle,
  type DatabaseOptions,
  type Transaction,
} from "./db";
export { unsafeMigrate, MIGRATIONS_FOLDER } from "./migrate";
export { isDatabaseUnavailable, pingDatabase } from "./ping";
export type { Page } from "./list";
export { listWorkers } from "./workers/list-workers";
export { unsafePruneWorkers } from "./workers/prune-workers";
export { unsafeRecordWorkerHeartbeat } from "./workers/record-worker-heartbeat";
export { databaseUrl, unsafeEnsureDatabase } from "./admin";
