// Reads and the push API over telemetry (issue #5): current values, history, rejections; and the
// API engineer's other data-plane pieces (node enrollment and worklists, secret variables).
export { newSecretKeyBase64, noSecretKey, parseSecretKey, type SecretKey } from "../secrets";
export { enrollNode } from "../nodes/enroll";
export { credentialVariables, getWorklist } from "../nodes/worklist";
export { unsafeResolveVariables, type VariableOwner } from "../bindings/resolve-variables";
export { getOwnerValues, freshnessAt } from "./values";
export { getOwnerSamples, MAX_RAW_POINTS } from "./samples";
export { listComponentRejections, listNodeRejections, MAX_REJECTION_ROWS } from "./rejections";
export { pushSamples } from "./push";
export { resolveOwner, type ResolvedOwner } from "./owners";
