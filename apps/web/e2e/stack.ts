import { readFileSync, writeFileSync } from "node:fs";

/** What the global setup started, shared with specs through a file named in the environment. */
export interface Stack {
  baseUrl: string;
  webPid: number;
  workerPid: number;
  nats: { pid: number; port: number; monitorPort: number; dataDir: string };
}

function stackFile(): string {
  const file = process.env.OMNIGLASS_E2E_STACK;
  if (!file)
    throw new Error("OMNIGLASS_E2E_STACK is not set: run the specs through playwright.config.ts");
  return file;
}

export function readStack(): Stack {
  return JSON.parse(readFileSync(stackFile(), "utf8")) as Stack;
}

export function writeStack(stack: Stack) {
  writeFileSync(stackFile(), JSON.stringify(stack, null, 2));
}
