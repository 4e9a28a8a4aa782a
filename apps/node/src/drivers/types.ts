import type { NodeTask, TemplateFunction } from "@omniglass/contracts";
import type { Answer } from "../mapping";

/** What a driver is asked to do: run one function's request against one task's device. */
export interface DriverCall {
  task: NodeTask;
  fn: TemplateFunction;
  /** The interface's `timeout`, in ms: the whole request must finish within it. */
  timeoutMs: number;
  /** Aborted when the request is over (timeout, shutdown). */
  signal: AbortSignal;
}

/**
 * Runs the request; resolves with the decoded answer (a malformed one included), or throws a
 * FunctionError when there is no answer at all (timeout, refused, bad status, device error code).
 */
export type Driver = (call: DriverCall) => Promise<Answer>;

/** The function failed as a whole: no samples, and the node's lastError says why. */
export class FunctionError extends Error {
  override name = "FunctionError";
}

/** A secret the interface names, or a FunctionError naming the variable (never its value). */
export function secretOf(task: NodeTask, variable: string | null | undefined): string | null {
  if (!variable) return null;
  const value = task.secrets[variable];
  if (value === undefined) {
    throw new FunctionError(
      `the component variable "${variable}" is not set (the interface ${task.interface.name} needs it)`,
    );
  }
  return value;
}

export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
  }
  return String(error);
}
