import type { Answer } from "../mapping";
import { takeLine } from "./pjlink";
import { openTcp } from "./tcp";
import { FunctionError, type Driver } from "./types";

/** Named groups of `pattern` in `text` as one record row; a non-matching text is malformed. */
export function matchGroups(text: string, pattern: string, flags: string): Answer {
  let re: RegExp;
  try {
    re = new RegExp(pattern, flags);
  } catch (error) {
    return {
      type: "malformed",
      detail: `the pattern does not compile: ${(error as Error).message}`,
    };
  }
  const match = re.exec(text);
  if (!match) {
    const shown = text.trim().replace(/\s+/g, " ").slice(0, 80);
    return {
      type: "malformed",
      detail: `the answer "${shown}" does not match ${pattern.slice(0, 120)}`,
    };
  }
  return { type: "record", rows: [{ index: "", values: { ...(match.groups ?? {}) } }] };
}

/** Everything before the first match of `prompt` (tested on the text so far), or null. */
export function takeUntilPrompt(prompt: RegExp) {
  return (buffer: string): { value: string; used: number } | null => {
    const match = prompt.exec(buffer);
    if (!match) return null;
    return { value: buffer.slice(0, match.index), used: match.index + match[0].length };
  };
}

export const textDriver: Driver = async ({ task, fn, signal }) => {
  if (fn.request.protocol !== "text" || task.interface.protocol !== "text")
    throw new FunctionError("not a text function");
  const { command, pattern, flags } = fn.request;
  const { terminator, prompt } = task.interface;
  const port = task.port ?? task.interface.port;
  let promptRe: RegExp | null = null;
  if (prompt !== null) {
    try {
      promptRe = new RegExp(prompt, "m");
    } catch (error) {
      throw new FunctionError(
        `the interface's prompt is not a valid regular expression: ${(error as Error).message}`,
      );
    }
  }
  const session = await openTcp({ host: task.host, port, signal, encoding: "utf8" });
  try {
    if (promptRe) await session.read(takeUntilPrompt(promptRe));
    session.write(command + terminator);
    let answer: string;
    if (promptRe) {
      answer = await session.read(takeUntilPrompt(promptRe));
    } else {
      // One line; skip empty lines (a CRLF split across reads, a device's blank line).
      do answer = await session.read(takeLine);
      while (answer.trim() === "");
    }
    // Some consoles echo the command: leave it in, the pattern decides what it reads.
    return matchGroups(answer, pattern, flags);
  } finally {
    session.close();
  }
};
