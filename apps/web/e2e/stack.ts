import type { Page } from "@playwright/test";
import { readFileSync, writeFileSync } from "node:fs";

/** What the global setup started, shared with specs through a file named in the environment. */
export interface Stack {
  baseUrl: string;
  /** The PostgreSQL server (no database): specs that need a stack of their own make a database there. */
  postgresServerUrl: string;
  /** An owner bootstrapped by the setup, for signing in. */
  owner: { username: string; password: string; token: string };
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

/** Signs in through the real form and waits for the console. */
export async function signIn(
  page: Page,
  next = "/platform",
  who?: { username: string; password: string },
) {
  const { baseUrl, owner: defaultUser } = readStack();
  const owner = who ?? defaultUser;
  await page.goto(`${baseUrl}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Username").fill(owner.username);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${baseUrl}${next}`);
}
