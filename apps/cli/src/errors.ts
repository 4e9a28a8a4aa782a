import { TRPCClientError } from "@omniglass/client";
import type { CliIo } from "./io";

/** A mistake in what was typed or read (a flag, a file): exits 1 with the details, one per line. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

/** Nothing to authenticate with: exits 2, like an unreachable server (nothing was asked). */
export class NoCredentialError extends Error {}

interface ProblemData {
  httpStatus?: number;
  title?: string;
  fieldErrors?: { field: string; message: string }[];
}

/** The server's problem details of a tRPC error, when the server answered. */
export function problemOf(error: unknown): ProblemData | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data: unknown = (error as TRPCClientError<never>).data;
  return data && typeof data === "object" ? (data as ProblemData) : undefined;
}

/**
 * Prints what went wrong and returns the exit code: 1 for an answer (the server's detail and
 * field errors) or a bad input, 2 when the server cannot be reached or there is no credential.
 */
export function reportError(io: CliIo, url: string, error: unknown): number {
  if (error instanceof TRPCClientError) {
    const data = problemOf(error);
    if (data?.httpStatus) {
      io.err(`omniglass: ${data.title ?? "error"} (${data.httpStatus}): ${error.message}`);
      for (const f of data.fieldErrors ?? []) io.err(`  ${f.field}: ${f.message}`);
      return 1;
    }
    io.err(`omniglass: cannot reach ${url}: ${error.message}`);
    return 2;
  }
  if (error instanceof NoCredentialError) {
    io.err(`omniglass: ${error.message}`);
    return 2;
  }
  if (error instanceof InputError) {
    io.err(`omniglass: ${error.message}`);
    for (const line of error.details) io.err(`  ${line}`);
    return 1;
  }
  io.err(`omniglass: ${(error as Error).message}`);
  return 1;
}
