import { Command } from "commander";
import { createOmniglassClient, TRPCClientError } from "@omniglass/client";
import { resolveServerUrl } from "../env";

/** `omniglass status`: the server's health answer (the same as /api/healthz). Exit 0 up, 1 down, 2 unreachable. */
export function statusCommand() {
  return new Command("status")
    .description(
      "Print the health of the server, its database and NATS (exit 0 up, 1 down, 2 unreachable)",
    )
    .option("--url <url>", "server URL (default: OMNIGLASS_URL, else the instance npm start runs)")
    .option("--json", "print the raw JSON answer")
    .action(async (options: { url?: string; json?: boolean }) => {
      const url = resolveServerUrl(options.url);
      const client = createOmniglassClient({ url, client: "cli" });
      try {
        const health = await client.platform.getHealth.query();
        if (options.json) {
          console.log(JSON.stringify(health, null, 2));
        } else {
          const line = (name: string, check: typeof health.db) =>
            `${name.padEnd(10)}${check.status.padEnd(6)}${check.latencyMs === null ? "" : `${check.latencyMs} ms`}${check.error ? `  ${check.error}` : ""}`;
          console.log(`server    ${url}  (version ${health.version}, checked ${health.checkedAt})`);
          console.log(line("database", health.db));
          console.log(line("nats", health.nats));
          console.log(`overall   ${health.status}`);
        }
        process.exitCode = health.status === "up" ? 0 : 1;
      } catch (error) {
        const reason = error instanceof TRPCClientError ? error.message : (error as Error).message;
        console.error(`omniglass: cannot reach ${url}: ${reason}`);
        process.exitCode = 2;
      }
    });
}
