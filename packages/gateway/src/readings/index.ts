// Reads and the push API over telemetry (issue #5): current values, history, rejections.
export {};
