import type { Command } from "commander";
import { createOmniglassClient, type OmniglassClient } from "@omniglass/client";
import { configFileOf, readConfig, sameServer, type Context } from "./config";
import { envServerUrl, envToken, localServerUrl } from "./env";
import { NoCredentialError, reportError } from "./errors";
import type { CliIo } from "./io";
import { emit, withOutput, type OutputOptions } from "./output";

/**
 * The runner every server command shares: where to connect, with which credential, the typed
 * client, the output (table, `--json`, `--yaml`) and the exit code (0 ok, 1 the server said no
 * or the input is wrong, 2 unreachable or no credential).
 */

export interface Connection extends OutputOptions {
  url?: string;
  token?: string;
  context?: string;
}

export function withConnection(command: Command): Command {
  return withOutput(
    command
      .option("--url <url>", "the server (default: OMNIGLASS_URL, the current context, else local)")
      .option("--token <token>", "an API token (default: OMNIGLASS_TOKEN, else the context's)")
      .option("--context <name>", "use this context instead of the current one"),
  );
}

export interface Target {
  url: string;
  token: string | null;
  /** The context the server or token came from, if any. */
  context: { name: string; value: Context } | null;
}

/**
 * Where and as whom: the server is `--url`, OMNIGLASS_URL, the context's, else the local
 * instance; the token is `--token`, OMNIGLASS_TOKEN, else the token stored for that server in the
 * context (never one stored for another server).
 */
export function resolveTarget(io: CliIo, options: Connection): Target {
  const config = readConfig(configFileOf(io));
  const name = options.context ?? config.currentContext;
  const value = name ? config.contexts[name] : undefined;
  if (options.context && !value)
    throw new NoCredentialError(`no context named ${options.context} (see omniglass context list)`);
  const context = name && value ? { name, value } : null;
  const url = options.url ?? envServerUrl() ?? context?.value.server ?? localServerUrl();
  const stored =
    context && sameServer(context.value.server, url)
      ? context.value.token
      : Object.values(config.contexts).find((c) => sameServer(c.server, url))?.token;
  return { url, token: options.token ?? envToken() ?? stored ?? null, context };
}

export function clientFor(io: CliIo, target: { url: string; token?: string | null }) {
  return createOmniglassClient({
    url: target.url,
    client: "cli",
    token: target.token ?? undefined,
    fetch: io.fetch,
  });
}

export type Run = <T>(
  options: Connection,
  call: (client: OmniglassClient) => Promise<T>,
  print: (result: T) => void,
) => Promise<void>;

/** The shared body of an authenticated command: resolve, call, print, set the exit code. */
export function createRunner(io: CliIo): Run {
  return async (options, call, print) => {
    let url = options.url ?? "the server";
    try {
      const target = resolveTarget(io, options);
      url = target.url;
      if (!target.token)
        throw new NoCredentialError(
          `no API token for ${target.url}: run \`omniglass login\`, pass --token or set OMNIGLASS_TOKEN (\`pnpm omniglass bootstrap <user>\` prints one)`,
        );
      const result = await call(clientFor(io, target));
      emit(io, options, result, print);
      process.exitCode = 0;
    } catch (error) {
      process.exitCode = reportError(io, url, error);
    }
  };
}
