export { createNode } from "./create-node";
export { deleteNode } from "./delete-node";
export { findNodes, getNode } from "./find-nodes";
export { issueEnrollment, moveNode, updateNode } from "./update-node";
export {
  COLLECTOR_DOWN_RULE_ID,
  COLLECTOR_DOWN_RULE_NAME,
  unsafeEnsureCollectorRule,
} from "./collector-rule";
export { unsafeSyncNodeAlarms, type NodeAlarmPassResult } from "./node-alarms";
