import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { databaseUrl, unsafeEnsureDatabase } from "@omniglass/gateway";
import { createTestDatabase, dropDatabase } from "@omniglass/gateway/testing";
import { testInfra } from "@omniglass/testing";

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

describe("omniglass CLI", () => {
  const name = `og_cli_${process.pid}`;
  let url: string;

  beforeAll(async () => {
    url = await unsafeEnsureDatabase(testInfra().postgresServerUrl, name);
  });
  afterAll(async () => {
    await dropDatabase(testInfra().postgresServerUrl, name);
  });

  it("migrates a database, and does nothing the second time", async () => {
    const first = await omniglass(["migrate", "--database-url", url]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/migrations: [1-9]\d* applied, [1-9]\d* in all/);
    expect(first.stdout).toContain("official registry rows: in place");
    const second = await omniglass(["migrate"], {
      DATABASE_URL: databaseUrl(testInfra().postgresServerUrl, name),
    });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/migrations: 0 applied/);
  }, 60_000);

  it("bootstraps one owner however often it runs, printing a new token as the last line", async () => {
    const infra = testInfra();
    const database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    try {
      const tokens: string[] = [];
      for (let i = 0; i < 2; i++) {
        const result = await omniglass(["bootstrap", "admin", "--database-url", database.url]);
        expect(result.code, result.stderr).toBe(0);
        const lines = result.stdout.trim().split("\n");
        expect(lines[0]).toBe(
          i === 0 ? "created owner admin, granted owner on all" : "found owner admin",
        );
        tokens.push(lines.at(-1)!);
      }
      expect(tokens[0]).toMatch(/^og_[A-Za-z0-9_-]{43}$/);
      expect(tokens[1]).toMatch(/^og_[A-Za-z0-9_-]{43}$/);
      expect(tokens[0]).not.toBe(tokens[1]);
      const bad = await omniglass(["bootstrap", "Not Valid", "--database-url", database.url]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("username");
    } finally {
      await database.drop();
    }
  }, 60_000);

  it("exits 2 naming the server when it cannot reach it", async () => {
    const result = await omniglass(["status", "--url", "http://127.0.0.1:1"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("cannot reach http://127.0.0.1:1");
  }, 60_000);

  it("explains itself", async () => {
    const result = await omniglass(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("status");
    expect(result.stdout).toContain("migrate");
  }, 60_000);
});
