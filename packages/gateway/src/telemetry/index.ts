// The data plane's writers and the clock (issue #5): ingest, partitions, freshness.
export {
  forgetSeriesCache,
  loadSignalCatalog,
  MAX_FUTURE_MS,
  unsafeWriteSamples,
  type CatalogSignal,
  type ChangedOwner,
  type IncomingRejection,
  type IncomingSample,
  type WriteSamplesInput,
  type WriteSamplesResult,
  type WrittenRejection,
} from "./ingest";
export {
  DEFAULT_RETENTION_DAYS,
  isMissingPartition,
  listSamplePartitions,
  partitionName,
  unsafeDropExpiredPartitions,
  unsafeEnsureCurrentPartitions,
  unsafeEnsureSamplePartitions,
} from "./partitions";
export {
  assignmentKey,
  ASSIGNMENTS_TTL_MS,
  createAssignmentCache,
  unsafeLoadNodeAssignments,
  type AssignmentCache,
  type NodeAssignments,
} from "./assignments";
export {
  unsafeMarkStale,
  unsafeRecordNodeHeartbeat,
  unsafeStalePass,
  STALE_BATCH,
  type StalePassResult,
} from "./freshness";
export { unsafeSeedPolledComponents, type PolledEstate } from "./fixtures";
export { unsafeWriteNodeBatches, type NodeBatchesResult } from "./node-batches";
export { parseSampleBatch } from "./sample-batch";
export { unsafeTelemetrySnapshot, type TelemetrySnapshot } from "./inspect";
export {
  unsafeCopySamplesForBench,
  unsafeSeriesIdsForBench,
  unsafeTruncateSamplesForBench,
} from "./bench";
