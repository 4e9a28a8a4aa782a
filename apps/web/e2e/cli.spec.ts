import { expect, test } from "@playwright/test";
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { HealthReport } from "@omniglass/contracts";
import { readStack } from "./stack";

const CLI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../cli");

test("omniglass status prints the server's health answer over the typed client", async () => {
  const { baseUrl } = readStack();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "src/main.ts", "status", "--json"],
    {
      cwd: CLI_DIR,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", OMNIGLASS_URL: baseUrl },
      encoding: "utf8",
    },
  );
  const health = HealthReport.parse(JSON.parse(stdout));
  expect(health).toMatchObject({ status: "up", db: { status: "up" }, nats: { status: "up" } });
  // The call is counted as coming from the CLI.
  const metrics = await (await fetch(`${baseUrl}/api/metrics`)).text();
  expect(metrics).toMatch(
    /omniglass_procedure_calls_total\{procedure="platform.getHealth",transport="cli",outcome="ok"\} [1-9]/,
  );
});
