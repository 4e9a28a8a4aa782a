import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The CLI's environment, read here only: flags win, then the environment, then local defaults. */

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

/** OMNIGLASS_URL, when set. */
export function envServerUrl(): string | undefined {
  return process.env.OMNIGLASS_URL || undefined;
}

/** The instance `npm start` runs here, else 127.0.0.1 on OMNIGLASS_PORT (3000). */
export function localServerUrl(): string {
  return readRuntime().url ?? `http://127.0.0.1:${process.env.OMNIGLASS_PORT ?? "3000"}`;
}

export function resolveServerUrl(flag?: string): string {
  return flag ?? envServerUrl() ?? localServerUrl();
}

export function resolveDatabaseUrl(flag?: string): string | null {
  return flag ?? process.env.DATABASE_URL ?? readRuntime().databaseUrl ?? null;
}

/** OMNIGLASS_TOKEN, when set: it beats the stored contexts, the `--token` flag beats it. */
export function envToken(): string | undefined {
  return process.env.OMNIGLASS_TOKEN || undefined;
}

/** The contexts file: $XDG_CONFIG_HOME/omniglass/config.json, else ~/.config/omniglass/config.json. */
export function configFilePath(): string {
  const base = process.env.XDG_CONFIG_HOME || path.join(homedir(), ".config");
  return path.join(base, "omniglass", "config.json");
}

/**
 * The value of `${env:NAME}` for an estate apply (a secret reference in the files): read from
 * this process's environment at apply time and sent only in the apply request.
 */
export function estateSecretFromEnv(name: string): string | undefined {
  return process.env[name] || undefined;
}
