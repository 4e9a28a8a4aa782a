import { Command } from "commander";
import { configFileOf, readConfig, writeConfig } from "../config";
import { InputError, reportError } from "../errors";
import type { CliIo } from "../io";
import { emit, printTable, withOutput, type OutputOptions } from "../output";

/**
 * `omniglass context list|use|delete`: the servers you logged in to (as kubectl contexts). The
 * current context gives the server and token when no flag or environment variable does.
 */
export function contextCommand(io: CliIo) {
  const file = () => configFileOf(io);
  const guarded = (body: () => void) => {
    try {
      body();
      process.exitCode = 0;
    } catch (error) {
      process.exitCode = reportError(io, "", error);
    }
  };
  const existing = (name: string) => {
    const config = readConfig(file());
    if (!config.contexts[name])
      throw new InputError(`no context named ${name} (see omniglass context list)`);
    return config;
  };

  const command = new Command("context").description(
    "Named servers and their stored credentials (created by `omniglass login`)",
  );
  command.addCommand(
    withOutput(
      new Command("list").description("List the contexts; * marks the current one"),
    ).action((options: OutputOptions) =>
      guarded(() => {
        const config = readConfig(file());
        // Never print a stored token, not even with --json.
        const rows = Object.entries(config.contexts).map(([name, c]) => ({
          name,
          current: name === config.currentContext,
          server: c.server,
          user: c.user ?? null,
          loggedIn: Boolean(c.token),
        }));
        emit(io, options, { currentContext: config.currentContext, contexts: rows }, () =>
          printTable(
            io,
            [
              { header: "CURRENT", value: (r) => (r.current ? "*" : "") },
              { header: "NAME", value: (r) => r.name },
              { header: "SERVER", value: (r) => r.server },
              { header: "USER", value: (r) => r.user },
              { header: "CREDENTIAL", value: (r) => (r.loggedIn ? "token" : "none") },
            ],
            rows,
          ),
        );
      }),
    ),
  );
  command.addCommand(
    new Command("use")
      .description("Make a context the current one")
      .argument("<name>", "the context")
      .action((name: string) =>
        guarded(() => {
          const config = existing(name);
          writeConfig(file(), { ...config, currentContext: name });
          io.out(`current context: ${name} (${config.contexts[name]!.server})`);
        }),
      ),
  );
  command.addCommand(
    new Command("delete")
      .description("Forget a context and its stored token (use `logout` to revoke the token too)")
      .argument("<name>", "the context")
      .action((name: string) =>
        guarded(() => {
          const config = existing(name);
          const { [name]: _deleted, ...contexts } = config.contexts;
          const current = config.currentContext === name ? null : config.currentContext;
          writeConfig(file(), { currentContext: current, contexts });
          io.out(`deleted context ${name}`);
        }),
      ),
  );
  return command;
}
