import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Written by `npm start` while it runs, so local tools find the instance without flags. */
export const RUNTIME_FILE = path.join(REPO_ROOT, ".data", "runtime.json");

export interface RuntimeInfo {
  pid: number;
  url: string;
  natsUrl: string;
  /** Present only for the embedded database (a local, loopback-only credential). */
  databaseUrl?: string;
  startedAt: string;
  /** The web and worker processes, so a run that was killed outright can be cleaned up by the next. */
  children?: { pid: number; command: string }[];
}

export function readRuntime(file = RUNTIME_FILE): RuntimeInfo | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as RuntimeInfo;
  } catch {
    return null;
  }
}
