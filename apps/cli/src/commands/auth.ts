import { hostname } from "node:os";
import { Command } from "commander";
import { createOmniglassClient } from "@omniglass/client";
import { configFileOf, contextNameFor, readConfig, writeConfig, type Context } from "../config";
import { envServerUrl, localServerUrl } from "../env";
import { InputError, reportError } from "../errors";
import type { CliIo } from "../io";
import { printRecord } from "../output";
import { readSecret } from "../prompt";
import { clientFor, createRunner, withConnection, type Connection } from "../runner";

/**
 * `omniglass login`, `logout` and `whoami`. A username and password sign in once, issue an API
 * token of the user's own (POST /auth/tokens) and end that session: only the token is stored,
 * in a context named for the server, never the password.
 */

/** The session's cookies, kept between the sign-in and the token request (double-submit CSRF). */
function sessionFetch(base: typeof fetch = fetch): typeof fetch {
  const jar = new Map<string, string>();
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.size > 0) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const csrf = jar.get("og_csrf");
    if (csrf) headers.set("x-csrf-token", csrf);
    const response = await base(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0]!;
      const at = pair.indexOf("=");
      if (at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return response;
  };
}

/** The name of the token a login issues: where it was made and when, for the user's token list. */
const tokenName = () =>
  `cli-${hostname()
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)}-${new Date().toISOString().slice(0, 19).replace(/\D/g, "")}`.replace(
    /^cli--/,
    "cli-",
  );

interface LoginOptions {
  url?: string;
  username?: string;
  token?: string;
  context?: string;
}

async function login(io: CliIo, options: LoginOptions, target: { url: string }): Promise<void> {
  const file = configFileOf(io);
  const config = readConfig(file);
  const named = options.context ? config.contexts[options.context] : undefined;
  const current = config.currentContext ? config.contexts[config.currentContext] : undefined;
  const url = options.url ?? envServerUrl() ?? named?.server ?? current?.server ?? localServerUrl();
  target.url = url;
  const name = options.context ?? contextNameFor(url);
  let stored: Context;
  if (options.token) {
    const me = await clientFor(io, { url, token: options.token }).auth.me.query();
    stored = { server: url, user: me.principal.name, token: options.token };
  } else {
    if (!options.username) throw new InputError("pass --username <name> (or --token <token>)");
    const password = await (io.readSecret ?? readSecret)(`Password for ${options.username}: `);
    if (!password) throw new InputError("no password given");
    const session = createOmniglassClient({
      url,
      client: "cli",
      fetch: sessionFetch(io.fetch),
    });
    const { principal } = await session.auth.signIn.mutate({
      username: options.username,
      password,
    });
    const created = await session.auth.createOwnToken.mutate({ name: tokenName() });
    await session.auth.signOut.mutate().catch(() => undefined);
    stored = { server: url, user: principal.name, token: created.token, tokenId: created.id };
  }
  const previous = config.contexts[name];
  writeConfig(file, {
    currentContext: name,
    contexts: { ...config.contexts, [name]: stored },
  });
  // A token an earlier login issued for the same user here is no longer needed: revoke it.
  if (previous?.tokenId && previous.user === stored.user && previous.token !== stored.token)
    await clientFor(io, { url, token: stored.token })
      .auth.revokeOwnToken.mutate({ tokenId: previous.tokenId })
      .catch(() => undefined);
  io.out(`logged in to ${url} as ${stored.user}; context ${name} is current`);
}

async function logout(
  io: CliIo,
  options: { context?: string },
  target: { url: string },
): Promise<void> {
  const file = configFileOf(io);
  const config = readConfig(file);
  const name = options.context ?? config.currentContext;
  const context = name ? config.contexts[name] : undefined;
  if (!name || !context) throw new InputError("not logged in (see omniglass context list)");
  target.url = context.server;
  if (context.token && context.tokenId) {
    // Revoke what login issued; a token given with `login --token` belongs to whoever made it.
    await clientFor(io, { url: context.server, token: context.token })
      .auth.revokeOwnToken.mutate({ tokenId: context.tokenId })
      .catch((error: unknown) => {
        io.err(`omniglass: warning: the token was not revoked on ${context.server}:`);
        reportError(io, context.server, error);
      });
  }
  writeConfig(file, {
    ...config,
    contexts: { ...config.contexts, [name]: { server: context.server } },
  });
  io.out(`logged out of ${context.server} (context ${name})`);
}

export function authCommands(io: CliIo): Command[] {
  /** Runs a login or logout; errors name the server it talked to. */
  const guarded =
    <O>(body: (options: O, target: { url: string }) => Promise<void>) =>
    async (options: O) => {
      const target = { url: "the server" };
      try {
        await body(options, target);
        process.exitCode = 0;
      } catch (error) {
        process.exitCode = reportError(io, target.url, error);
      }
    };
  const run = createRunner(io);
  return [
    new Command("login")
      .description(
        "Sign in and store an API token for the server in a context (the password is never stored)",
      )
      .option("--url <url>", "the server (default: OMNIGLASS_URL, the current context, else local)")
      .option("--username <name>", "sign in as this user; the password is read from the terminal")
      .option("--token <token>", "store this API token instead of signing in")
      .option("--context <name>", "the context's name (default: the server's host:port)")
      .action(guarded<LoginOptions>((options, target) => login(io, options, target))),
    new Command("logout")
      .description("Revoke the token login stored for a context and forget it")
      .option("--context <name>", "this context instead of the current one")
      .action(guarded<{ context?: string }>((options, target) => logout(io, options, target))),
    withConnection(
      new Command("whoami").description("Who the credential in use belongs to"),
    ).action(async (options: Connection) =>
      run(
        options,
        (client) => client.auth.me.query(),
        (me) => printRecord(io, { ...me.principal, permissions: me.permissions.length }),
      ),
    ),
  ];
}
