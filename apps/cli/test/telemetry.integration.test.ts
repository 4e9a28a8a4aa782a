import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createApiDependencies, createContext } from "@omniglass/api";
import { connectDatabase, unsafeBootstrapOwner, type DatabaseHandle } from "@omniglass/gateway";
import { createTestDatabase, type TestDatabase } from "@omniglass/gateway/testing";
import { testInfra } from "@omniglass/testing";
import { estateCommands, type EstateIo } from "../src/commands/estate";
import { telemetryCommands } from "../src/commands/telemetry";

const run = promisify(execFile);
const CLI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function omniglass(args: string[], env: Record<string, string> = {}) {
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

describe("omniglass values and samples push", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let token: string;
  let io: EstateIo & { lines: string[]; errors: string[] };

  /** Runs `omniglass <args>` in-process against the API over a fetch routed to its tRPC handler. */
  async function cli(...args: string[]) {
    io.lines.length = 0;
    io.errors.length = 0;
    process.exitCode = undefined;
    const command = [...estateCommands(io), ...telemetryCommands(io)].find(
      (c) => c.name() === args[0],
    )!;
    await command.parseAsync(args.slice(1), { from: "user" });
    const code = process.exitCode ?? 0;
    process.exitCode = undefined;
    return { code, out: io.lines.join("\n"), err: io.errors.join("\n") };
  }

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url });
    const deps = createApiDependencies({
      version: "test",
      db: handle.db,
      probeBus: async () => ({ status: "up", latencyMs: 0, error: null }),
    });
    token = (
      await unsafeBootstrapOwner({
        db: handle.db,
        meta: { requestId: "cli-test", source: "cli", actor: null, realActor: null, ip: null },
        username: "root",
      })
    ).token;
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
    io = {
      lines: [],
      errors: [],
      out: (line) => io.lines.push(line),
      err: (line) => io.errors.push(line),
      fetch: fetchApi,
    };
  });
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  it("pushes samples from a file and shows the component's current values", async () => {
    const t = ["--url", "http://127.0.0.1", "--token", token];
    expect((await cli("location", "create", "--name", "hq", "--type", "campus", ...t)).code).toBe(
      0,
    );
    const created = await cli(
      "component",
      "create",
      "--name",
      "display-1",
      "--location",
      "hq",
      "--template",
      "http-json-display",
      ...t,
    );
    expect(created.code, created.err).toBe(0);
    const file = path.join(tmpdir(), `samples-${randomUUID()}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        samples: [
          { owner: "hq.display-1", signal: "temperature", value: 38.5, expectedInterval: 60 },
          { owner: "hq.display-1", signal: "no-such-signal", value: 1 },
        ],
      }),
    );
    const pushed = await cli("samples", "push", file, ...t);
    expect(pushed.code, pushed.err).toBe(0);
    expect(pushed.out).toMatch(/^accepted 1, rejected 1/);
    expect(pushed.out).toMatch(/#1 no-such-signal: unregistered-signal/);

    const values = await cli("values", "hq.display-1", ...t);
    expect(values.code, values.err).toBe(0);
    const lines = values.out.split("\n");
    expect(lines[0]).toMatch(/^SIGNAL\s+INSTANCE\s+VALUE\s+UNIT\s+AGE\s+STATE$/);
    expect(lines.find((l) => l.startsWith("temperature"))).toMatch(/38\.5\s+°C\s+\d+s\s+fresh/);
    expect(lines.find((l) => l.startsWith("power-state"))).toMatch(/unknown$/);

    const missing = await cli("values", "hq.nothing", ...t);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/404/);
    const bad = path.join(tmpdir(), `samples-${randomUUID()}.json`);
    writeFileSync(bad, "{}");
    expect((await cli("samples", "push", bad, ...t)).code).toBe(1);
  });

  it("is wired into the omniglass binary", async () => {
    const help = await omniglass(["--help"]);
    expect(help.stdout).toMatch(/values/);
    expect(help.stdout).toMatch(/samples/);
  });
});
