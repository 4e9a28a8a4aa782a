/**
 * The one logger factory of every Omniglass process (web, worker, node, simulator, the `npm start`
 * supervisor, the CLI): pino, one JSON line per event with `level`, `time`, `process`, `pid` and,
 * where there is one, `requestId` (a child logger's binding). Pretty (pino-pretty) when asked —
 * the supervisor prettifies its children's lines for a terminal.
 *
 * What is never written: tokens, passwords, secret values, cookies and SQL parameters. Keys are
 * censored by pino's redaction (`REDACT_PATHS`); errors go through `serializeError`, which drops
 * the pg / drizzle fields carrying a statement's values and cuts them out of the message; every
 * message string goes through `scrubText` (URL credentials, bearer tokens, `og_` / `ogs_` /
 * `whsec_` secrets).
 */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";
import pretty, { prettyFactory } from "pino-pretty";

export type { Logger };
export { createRepeatGate, type RepeatGate } from "./repeat-gate";

const SECRET_KEYS = [
  "password",
  "newPassword",
  "currentPassword",
  "token",
  "secret",
  "secrets",
  "generatedSecrets",
  "secretKey",
  "apiKey",
  "authorization",
  "cookie",
  "credential",
  "credentials",
  "enrollmentToken",
  "databaseUrl",
  "connectionString",
  "parameters",
  "params",
  "value",
];

/** Keys censored wherever they appear at the top level, one level down, or in request/response headers. */
export const REDACT_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`]),
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  'headers["set-cookie"]',
  "*.headers.authorization",
  "*.headers.cookie",
];

const CENSOR = "[redacted]";

/**
 * Cuts values out of a message: a drizzle "Failed query: … params: …" keeps neither the statement
 * nor its parameters; URL passwords, bearer tokens and Omniglass secrets become `***`.
 */
export function scrubText(text: string): string {
  let out = text;
  const failed = out.indexOf("Failed query:");
  if (failed >= 0)
    out = `${out.slice(0, failed)}query failed (statement and parameters not logged)`;
  const params = out.search(/\n\s*params:/);
  if (params >= 0) out = out.slice(0, params);
  return out
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:@/\s]+):[^@/\s]+@/gi, "$1:***@")
    .replace(/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 ***")
    .replace(/\bogs?_[A-Za-z0-9_-]{8,}/g, (m) => `${m.slice(0, m.indexOf("_") + 1)}***`)
    .replace(/\bwhsec_[A-Za-z0-9+/=]{8,}/g, "whsec_***");
}

interface SerializedError {
  type: string;
  message: string;
  code?: string;
  stack?: string;
  cause?: SerializedError;
}

/**
 * An error as a log line may hold it: its class, scrubbed message, code and stack, and its cause
 * the same way — never pg's `parameters`, drizzle's `params` / `query`, or any other own field.
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) return { type: typeof error, message: scrubText(String(error)) };
  const code = (error as { code?: unknown }).code;
  const out: SerializedError = {
    type: error.name || error.constructor?.name || "Error",
    message: scrubText(error.message),
  };
  if (typeof code === "string") out.code = code;
  if (error.stack) {
    // The first line of a stack repeats the message: scrub it the same way.
    const [, ...frames] = error.stack.split("\n");
    out.stack = [`${out.type}: ${out.message}`, ...frames.filter((f) => /^\s+at /.test(f))].join(
      "\n",
    );
  }
  if (error.cause !== undefined && depth < 3) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

/** A one-line reason for an error, safe to log or to show (the message of `serializeError`, with its cause). */
export function describeError(error: unknown): string {
  const s = serializeError(error);
  const cause = s.cause && s.cause.message !== s.message ? `: ${s.cause.message}` : "";
  return `${s.message}${cause}`;
}

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export interface LoggerConfig {
  /** The process's name, written on every line: `web`, `worker`, `node`, `simulator`, `start`, `cli`. */
  process: string;
  level?: LogLevel;
  /** Human-readable lines (pino-pretty) instead of JSON. */
  pretty?: boolean;
  /** Where lines go (stdout by default; tests pass a stream to capture them). */
  destination?: DestinationStream;
  /** Bindings written on every line besides `process` and `pid`. */
  base?: Record<string, unknown>;
}

export const LOGGER_OPTIONS = (config: LoggerConfig): LoggerOptions => ({
  level: config.level ?? "info",
  base: { process: config.process, pid: process.pid, ...config.base },
  timestamp: pino.stdTimeFunctions.isoTime,
  messageKey: "msg",
  formatters: { level: (label) => ({ level: label }) },
  redact: { paths: REDACT_PATHS, censor: CENSOR },
  serializers: { err: serializeError, error: serializeError },
  hooks: {
    logMethod(args, method) {
      const scrubbed = args.map((arg) => (typeof arg === "string" ? scrubText(arg) : arg));
      return method.apply(this, scrubbed as Parameters<typeof method>);
    },
  },
});

/** The logger of a process. */
export function createLogger(config: LoggerConfig): Logger {
  const options = LOGGER_OPTIONS(config);
  if (config.destination) return pino(options, config.destination);
  if (config.pretty) return pino(options, pretty({ sync: true, ...PRETTY_OPTIONS }));
  return pino(options, pino.destination({ sync: true }));
}

const PRETTY_OPTIONS = {
  colorize: process.stdout.isTTY === true,
  translateTime: "SYS:HH:MM:ss.l",
  ignore: "pid,hostname,process",
  messageFormat: "[{process}] {msg}",
  singleLine: true,
};

/**
 * Formats one line a child process wrote: its JSON log line made readable (the supervisor uses
 * this for a terminal), or the text as it came when it is not a log line.
 */
export function createLinePrettifier(): (line: string) => string {
  const format = prettyFactory(PRETTY_OPTIONS);
  return (line) => {
    if (!line.startsWith("{")) return line;
    try {
      return format(JSON.parse(line) as object).trimEnd();
    } catch {
      return line;
    }
  };
}
