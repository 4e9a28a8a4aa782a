import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import type { FieldError, Problem } from "@omniglass/contracts";
import { ERROR_CODES, OmniglassError, type ErrorCode } from "@omniglass/domain";
import type { z } from "zod";

/** The one place where domain errors meet transports. */

const TO_TRPC: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  INVALID: "BAD_REQUEST",
  UNAUTHENTICATED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  STALE_PLAN: "CONFLICT",
  METHOD_NOT_ALLOWED: "METHOD_NOT_SUPPORTED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  INTERNAL: "INTERNAL_SERVER_ERROR",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

const FROM_TRPC: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  PARSE_ERROR: "INVALID",
  BAD_REQUEST: "INVALID",
  UNAUTHORIZED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_SUPPORTED: "METHOD_NOT_ALLOWED",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  TOO_MANY_REQUESTS: "RATE_LIMITED",
  SERVICE_UNAVAILABLE: "UNAVAILABLE",
};

export function toTRPCError(error: OmniglassError): TRPCError {
  return new TRPCError({ code: TO_TRPC[error.code], message: error.message, cause: error });
}

function isZodError(value: unknown): value is z.ZodError {
  return (
    value instanceof Error &&
    value.name === "ZodError" &&
    Array.isArray((value as z.ZodError).issues)
  );
}

export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join(".") : "(input)",
    message: issue.message,
  }));
}

/** What a client may see of any error: code, status, a safe message and field errors. Never a stack or SQL. */
export interface PublicError {
  code: ErrorCode;
  status: number;
  title: string;
  detail: string;
  fieldErrors: FieldError[];
}

export function toPublicError(error: TRPCError): PublicError {
  const cause = error.cause;
  if (cause instanceof OmniglassError) {
    return {
      code: cause.code,
      status: cause.status,
      title: ERROR_CODES[cause.code].title,
      detail: cause.message,
      fieldErrors: cause.fieldErrors,
    };
  }
  if (error.code === "BAD_REQUEST" && isZodError(cause)) {
    const fieldErrors = fieldErrorsOf(cause);
    const fields = [...new Set(fieldErrors.map((f) => f.field))].join(", ");
    return {
      code: "INVALID",
      status: 400,
      title: ERROR_CODES.INVALID.title,
      detail: `Invalid input: ${fields}`,
      fieldErrors,
    };
  }
  const code = FROM_TRPC[error.code] ?? "INTERNAL";
  const { status, title } = ERROR_CODES[code];
  // An unexpected error's own message may carry internals (SQL, paths): only known codes keep theirs.
  const detail =
    code === "INTERNAL"
      ? "An unexpected error occurred; the request id identifies it in the server log."
      : error.message;
  return { code, status, title, detail, fieldErrors: [] };
}

export function toProblem(error: PublicError, requestId: string): Problem {
  return {
    type: `urn:omniglass:problem:${error.code.toLowerCase().replace(/_/g, "-")}`,
    title: error.title,
    status: error.status,
    detail: error.detail,
    code: error.code,
    requestId,
    ...(error.fieldErrors.length > 0 ? { errors: error.fieldErrors } : {}),
  };
}
