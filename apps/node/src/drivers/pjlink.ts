import { createHash } from "node:crypto";
import type { Answer } from "../mapping";
import { openTcp } from "./tcp";
import { FunctionError, secretOf, type Driver } from "./types";

/*
 * PJLink class 1 (JBMIA): the device greets `PJLINK 0` (no authentication) or `PJLINK 1 <random>`
 * (the first command is prefixed by md5(random + password) in lowercase hex); a query is
 * `%1CMD ?\r`, answered `%1CMD=value\r`; ERR1–ERR4 and `PJLINK ERRA` are errors.
 */

export type PjlinkGreeting = { auth: false } | { auth: true; random: string } | { error: string };

/** One CR-terminated line (a lone LF is tolerated), or null while incomplete. */
export function takeLine(buffer: string): { value: string; used: number } | null {
  const end = buffer.search(/[\r\n]/);
  if (end < 0) return null;
  const used = buffer[end] === "\r" && buffer[end + 1] === "\n" ? end + 2 : end + 1;
  return { value: buffer.slice(0, end), used };
}

export function parsePjlinkGreeting(line: string): PjlinkGreeting {
  const text = line.trim();
  if (text === "PJLINK 0") return { auth: false };
  const match = /^PJLINK 1 ([0-9A-Za-z]{1,32})$/.exec(text);
  if (match) return { auth: true, random: match[1]! };
  if (text === "PJLINK ERRA") return { error: "the device refused authentication (PJLINK ERRA)" };
  return { error: `not a PJLink greeting: "${text.slice(0, 60)}"` };
}

/** The digest prefixed to the first command when the device asks for authentication. */
export function pjlinkDigest(random: string, password: string): string {
  return createHash("md5")
    .update(random + password, "latin1")
    .digest("hex");
}

export function pjlinkCommand(command: string, parameter: string): string {
  return `%1${command} ${parameter}\r`;
}

const PJLINK_ERRORS: Record<string, string> = {
  ERR1: "undefined command (ERR1)",
  ERR2: "out of parameter (ERR2)",
  ERR3: "unavailable time (ERR3)",
  ERR4: "projector/display failure (ERR4)",
};

export type PjlinkAnswer =
  | { ok: true; value: string }
  | { ok: false; kind: "error"; detail: string }
  | { ok: false; kind: "malformed"; detail: string };

/** `%1CMD=value` → value; `ERRn` / `PJLINK ERRA` → an error; anything else is malformed. */
export function parsePjlinkAnswer(line: string, command: string): PjlinkAnswer {
  if (line.trim() === "PJLINK ERRA")
    return { ok: false, kind: "error", detail: "the device refused authentication (PJLINK ERRA)" };
  const prefix = `%1${command}=`;
  if (!line.toUpperCase().startsWith(prefix))
    return {
      ok: false,
      kind: "malformed",
      detail: `expected "${prefix}…", got "${line.slice(0, 60)}"`,
    };
  const value = line.slice(prefix.length);
  const error = PJLINK_ERRORS[value.trim().toUpperCase()];
  if (error) return { ok: false, kind: "error", detail: `${command}: ${error}` };
  return { ok: true, value };
}

export const pjlinkDriver: Driver = async ({ task, fn, signal }) => {
  if (fn.request.protocol !== "pjlink" || task.interface.protocol !== "pjlink")
    throw new FunctionError("not a PJLink function");
  const { command, parameter } = fn.request;
  const port = task.port ?? task.interface.port;
  const session = await openTcp({ host: task.host, port, signal });
  try {
    const greeting = parsePjlinkGreeting(await session.read(takeLine));
    if ("error" in greeting) throw new FunctionError(greeting.error);
    let prefix = "";
    if (greeting.auth) {
      const password = secretOf(task, task.interface.password);
      if (password === null)
        throw new FunctionError(
          "the device asks for a PJLink password and the interface names no password variable",
        );
      prefix = pjlinkDigest(greeting.random, password);
    }
    session.write(prefix + pjlinkCommand(command, parameter));
    const answer = parsePjlinkAnswer(await session.read(takeLine), command);
    if (answer.ok) return { type: "pjlink", value: answer.value } satisfies Answer;
    if (answer.kind === "error") throw new FunctionError(answer.detail);
    return { type: "malformed", detail: answer.detail };
  } finally {
    session.close();
  }
};
