import type { FieldError } from "@omniglass/contracts";

/**
 * The one error type thrown below the transport. The transport converts it, in exactly one
 * place, to a tRPC error and to a REST problem+json body; its `code` is stable API.
 */
export const ERROR_CODES = {
  INVALID: { status: 400, title: "Invalid request" },
  UNAUTHENTICATED: { status: 401, title: "Authentication required" },
  FORBIDDEN: { status: 403, title: "Forbidden" },
  NOT_FOUND: { status: 404, title: "Not found" },
  METHOD_NOT_ALLOWED: { status: 405, title: "Method not allowed" },
  CONFLICT: { status: 409, title: "Conflict" },
  STALE_PLAN: { status: 409, title: "Stale plan" },
  PAYLOAD_TOO_LARGE: { status: 413, title: "Payload too large" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "Unsupported media type" },
  RATE_LIMITED: { status: 429, title: "Too many requests" },
  INTERNAL: { status: 500, title: "Internal error" },
  UNAVAILABLE: { status: 503, title: "Service unavailable" },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class OmniglassError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors: FieldError[];

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; fieldErrors?: FieldError[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OmniglassError";
    this.code = code;
    this.fieldErrors = options?.fieldErrors ?? [];
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value);
}
