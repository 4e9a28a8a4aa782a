import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Command } from "commander";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createApiDependencies, createContext } from "@omniglass/api";
import {
  connectDatabase,
  newSecretKeyBase64,
  parseSecretKey,
  unsafeBootstrapOwner,
  type SecretKey,
} from "@omniglass/gateway";
import { createTestDatabase } from "@omniglass/gateway/testing";
import { testInfra } from "@omniglass/testing";
import type { CliIo } from "../src/io";

/** The CLI tests' shared harness: the real process, or commands in-process against the API. */

const run = promisify(execFile);
const CLI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Runs the real `omniglass` process (src/main.ts) with only PATH and `env`. */
export async function omniglass(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    cwd: CLI_DIR,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", ...env },
    encoding: "utf8",
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

export interface InProcessCli {
  /** An owner's API token on the test database. */
  token: string;
  /** The owner's username (`root`) and console password. */
  username: string;
  password: string;
  /** The contexts file the in-process commands use (in a fresh temporary directory). */
  configFile: string;
  databaseUrl: string;
  /** The server's master key of sealed secrets (a test that sends webhooks opens them). */
  secretKey: SecretKey;
  /** Runs `omniglass <args>` in-process, over a fetch routed to the API's tRPC handler. */
  cli(...args: string[]): Promise<{ code: number; out: string; err: string }>;
  /** The same, answering the password prompt with `secret`. */
  cliWithSecret(
    secret: string,
    ...args: string[]
  ): Promise<{ code: number; out: string; err: string }>;
  stop(): Promise<void>;
}

const PASSWORD = "correct horse battery staple";

/** A fresh test database with an owner, and the given command groups wired to it in-process. */
export async function startInProcessCli(commands: (io: CliIo) => Command[]): Promise<InProcessCli> {
  const infra = testInfra();
  const database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
  const handle = connectDatabase({ url: database.url });
  // Sealed secrets (webhook endpoints' signing secrets) need a master key.
  const secretKey = parseSecretKey(newSecretKeyBase64());
  const deps = createApiDependencies({
    version: "test",
    db: handle.db,
    probeBus: async () => ({ status: "up", latencyMs: 0, error: null }),
    secretKey,
  });
  const { token } = await unsafeBootstrapOwner({
    db: handle.db,
    meta: { requestId: "cli-test", source: "cli", actor: null, realActor: null, ip: null },
    username: "root",
    password: PASSWORD,
  });
  const configFile = path.join(mkdtempSync(path.join(tmpdir(), "omniglass-cli-")), "config.json");
  const fetchApi = (async (input: RequestInfo | URL, init?: RequestInit) =>
    fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request(input, init),
      router: appRouter,
      createContext: ({ req, resHeaders }) =>
        createContext({
          deps,
          requestId: randomUUID(),
          source: "cli",
          ip: "127.0.0.1",
          headers: req.headers,
          responseHeaders: resHeaders,
        }),
    })) as typeof fetch;
  let secret = PASSWORD;
  const lines: string[] = [];
  const errors: string[] = [];
  const io: CliIo = {
    out: (line) => lines.push(line),
    err: (line) => errors.push(line),
    fetch: fetchApi,
    configFile,
    readSecret: async () => secret,
  };
  const cli = async (...args: string[]) => {
    lines.length = 0;
    errors.length = 0;
    process.exitCode = undefined;
    const command = commands(io).find((c) => c.name() === args[0])!;
    await command.parseAsync(args.slice(1), { from: "user" });
    const code = process.exitCode ?? 0;
    process.exitCode = undefined;
    return { code, out: lines.join("\n"), err: errors.join("\n") };
  };
  return {
    token: token!,
    username: "root",
    password: PASSWORD,
    configFile,
    databaseUrl: database.url,
    secretKey,
    cli,
    cliWithSecret: async (given, ...args) => {
      secret = given;
      try {
        return await cli(...args);
      } finally {
        secret = PASSWORD;
      }
    },
    stop: async () => {
      await handle.close();
      await database.drop();
    },
  };
}
