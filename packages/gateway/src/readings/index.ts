// Reads and the push API over telemetry (issue #5): current values, history, rejections; and the
// API engineer's other data-plane pieces (node enrollment and worklists, secret variables).
export { newSecretKeyBase64, noSecretKey, parseSecretKey, type SecretKey } from "../secrets";
