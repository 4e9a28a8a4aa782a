import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The CLI's configuration: flags win, then the environment, then the instance `npm start` runs. */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const RUNTIME_FILE = path.join(REPO_ROOT, ".data", "runtime.json");

interface RuntimeInfo {
  url?: string;
  databaseUrl?: string;
}

function readRuntime(): RuntimeInfo {
  try {
    return JSON.parse(readFileSync(RUNTIME_FILE, "utf8")) as RuntimeInfo;
  } catch {
    return {};
  }
}

export function resolveServerUrl(flag?: string): string {
  return (
    flag ??
    process.env.OMNIGLASS_URL ??
    readRuntime().url ??
    `http://127.0.0.1:${process.env.OMNIGLASS_PORT ?? "3000"}`
  );
}

export function resolveDatabaseUrl(flag?: string): string | null {
  return flag ?? process.env.DATABASE_URL ?? readRuntime().databaseUrl ?? null;
}

/** The API token for the estate commands: the flag, else OMNIGLASS_TOKEN; never another identity. */
export function resolveToken(flag?: string): string | null {
  return flag ?? process.env.OMNIGLASS_TOKEN ?? null;
}
