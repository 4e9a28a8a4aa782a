import { Command } from "commander";
import { TRPCClientError } from "@omniglass/client";
import type { CliIo } from "../io";
import { emit, withOutput, type OutputOptions } from "../output";
import { clientFor, resolveTarget } from "../runner";

/** `omniglass status`: the server's health answer (the same as /api/healthz). Exit 0 up, 1 down, 2 unreachable. */
export function statusCommand(io: CliIo) {
  return withOutput(
    new Command("status")
      .description(
        "Print the health of the server, its database and NATS (exit 0 up, 1 down, 2 unreachable)",
      )
      .option("--url <url>", "the server (default: OMNIGLASS_URL, the current context, else local)")
      .option("--context <name>", "use this context's server"),
  ).action(async (options: OutputOptions & { url?: string; context?: string }) => {
    let url = options.url ?? "the server";
    try {
      url = resolveTarget(io, options).url;
      const health = await clientFor(io, { url }).platform.getHealth.query();
      emit(io, options, health, () => {
        const line = (name: string, check: typeof health.db) =>
          `${name.padEnd(10)}${check.status.padEnd(6)}${check.latencyMs === null ? "" : `${check.latencyMs} ms`}${check.error ? `  ${check.error}` : ""}`;
        io.out(`server    ${url}  (version ${health.version}, checked ${health.checkedAt})`);
        io.out(line("database", health.db));
        io.out(line("nats", health.nats));
        io.out(`overall   ${health.status}`);
      });
      process.exitCode = health.status === "up" ? 0 : 1;
    } catch (error) {
      const reason = error instanceof TRPCClientError ? error.message : (error as Error).message;
      io.err(`omniglass: cannot reach ${url}: ${reason}`);
      process.exitCode = 2;
    }
  });
}
