export { startEmbeddedPostgres, type RunningPostgres } from "./postgres";
export { findNatsServer, startNatsServer, type RunningNats } from "./nats";
export {
  freePort,
  isPortFree,
  isProcessAlive,
  sleep,
  spawnManaged,
  waitForExit,
  type ManagedProcess,
} from "./processes";
export { REPO_ROOT, RUNTIME_FILE, readRuntime, type RuntimeInfo } from "./runtime-file";
export {
  backupEmbeddedPostgres,
  restoreEmbeddedPostgres,
  SECRET_KEY_REMINDER,
  type BackupManifest,
} from "./backup";
