import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { configFilePath } from "./env";
import { InputError } from "./errors";
import type { CliIo } from "./io";

/**
 * The contexts file: named servers, each with the API token `omniglass login` stored for it, and
 * the current one (as kubectl contexts). Written with mode 0600 in a 0700 directory: it holds
 * credentials. A password is never stored, only a token the user can revoke.
 */

export const Context = z.object({
  server: z.string(),
  user: z.string().optional(),
  token: z.string().optional(),
  /** The token's id when `login` issued it, so `logout` can revoke it. */
  tokenId: z.string().optional(),
});
export type Context = z.infer<typeof Context>;

export const CliConfig = z.object({
  currentContext: z.string().nullable().default(null),
  contexts: z.record(z.string(), Context).default({}),
});
export type CliConfig = z.infer<typeof CliConfig>;

export const configFileOf = (io: CliIo) => io.configFile ?? configFilePath();

export function readConfig(file: string): CliConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return CliConfig.parse({});
    throw error;
  }
  try {
    return CliConfig.parse(JSON.parse(text));
  } catch (error) {
    throw new InputError(`${file} is not a valid omniglass config: ${(error as Error).message}`);
  }
}

/** Replaces the file atomically, readable by its owner only. */
export function writeConfig(file: string, config: CliConfig): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

/** `https://og.example.com/` and `https://og.example.com` are the same server. */
export const sameServer = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

/** A context's default name: the server's host and port. */
export function contextNameFor(server: string): string {
  try {
    return new URL(server).host || server;
  } catch {
    return server;
  }
}
