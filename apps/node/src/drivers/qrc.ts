import type { Answer, Raw } from "../mapping";
import { openTcp } from "./tcp";
import { FunctionError, secretOf, type Driver } from "./types";

/*
 * Q-SYS Remote Control: JSON-RPC 2.0 over TCP, every message terminated by NUL. The Core sends
 * unsolicited notifications (EngineStatus, no id) that are skipped; answers carry the request's id.
 */

/** One NUL-terminated message, or null while incomplete. */
export function takeQrcMessage(buffer: string): { value: string; used: number } | null {
  const end = buffer.indexOf("\0");
  if (end < 0) return null;
  return { value: buffer.slice(0, end), used: end + 1 };
}

export function encodeQrc(id: number, method: string, params: unknown): string {
  return `${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\0`;
}

export type QrcMessage =
  | { kind: "notification"; method: string }
  | { kind: "result"; id: unknown; result: Raw }
  | { kind: "error"; id: unknown; message: string }
  | { kind: "malformed"; detail: string };

export function parseQrcMessage(text: string): QrcMessage {
  let message: unknown;
  try {
    message = JSON.parse(text.trim());
  } catch {
    return { kind: "malformed", detail: `not JSON: "${text.slice(0, 60)}"` };
  }
  if (message === null || typeof message !== "object" || Array.isArray(message))
    return { kind: "malformed", detail: "not a JSON-RPC object" };
  const m = message as Record<string, unknown>;
  if (typeof m.method === "string" && !("id" in m))
    return { kind: "notification", method: m.method };
  if ("error" in m && m.error !== undefined && m.error !== null) {
    const e = m.error as { code?: unknown; message?: unknown };
    return {
      kind: "error",
      id: m.id,
      message:
        `QRC error ${String(e.code ?? "")}: ${String(e.message ?? JSON.stringify(m.error))}`.slice(
          0,
          300,
        ),
    };
  }
  if ("result" in m) return { kind: "result", id: m.id, result: m.result as Raw };
  if (typeof m.method === "string") return { kind: "notification", method: m.method };
  return { kind: "malformed", detail: "a JSON-RPC message with neither result nor error" };
}

export const qrcDriver: Driver = async ({ task, fn, signal }) => {
  if (fn.request.protocol !== "qrc" || task.interface.protocol !== "qrc")
    throw new FunctionError("not a QRC function");
  const { method, params } = fn.request;
  const username = secretOf(task, task.interface.username);
  const password = secretOf(task, task.interface.password);
  const port = task.port ?? task.interface.port;
  const session = await openTcp({ host: task.host, port, signal, encoding: "utf8" });
  let nextId = 1;
  const call = async (name: string, args: unknown): Promise<QrcMessage> => {
    const id = nextId++;
    session.write(encodeQrc(id, name, args));
    for (;;) {
      const message = parseQrcMessage(await session.read(takeQrcMessage));
      if (message.kind === "notification") continue;
      if (message.kind === "malformed") return message;
      if (message.id === id) return message;
    }
  };
  try {
    if (username !== null) {
      const logon = await call("Logon", { User: username, Password: password ?? "" });
      if (logon.kind === "error") throw new FunctionError(`Logon refused: ${logon.message}`);
    }
    const answer = await call(method, params);
    if (answer.kind === "error") throw new FunctionError(answer.message);
    if (answer.kind === "malformed")
      return { type: "malformed", detail: answer.detail } satisfies Answer;
    if (answer.kind === "result") return { type: "json", document: answer.result };
    throw new FunctionError("unexpected QRC answer");
  } finally {
    session.close();
  }
};
