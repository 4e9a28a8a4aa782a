import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { serverCommands } from "../src/program";
import { omniglass, startInProcessCli, type InProcessCli } from "./harness";

/** login, logout and contexts, against a real API in-process; the contexts file in a temp dir. */
describe("omniglass login, logout and contexts", () => {
  let harness: InProcessCli;
  const cli = (...args: string[]) => harness.cli(...args);
  const config = () =>
    JSON.parse(readFileSync(harness.configFile, "utf8")) as {
      currentContext: string | null;
      contexts: Record<string, { server: string; user?: string; token?: string; tokenId?: string }>;
    };

  beforeAll(async () => {
    harness = await startInProcessCli(serverCommands);
  });
  afterAll(() => harness.stop());

  it("logs in with a password, stores only a new API token (mode 0600), and uses it", async () => {
    const login = await cli("login", "--url", "http://og-a.test", "--username", harness.username);
    expect(login.code, login.err).toBe(0);
    expect(login.out).toContain("logged in to http://og-a.test as root; context og-a.test");
    expect(statSync(harness.configFile).mode & 0o777).toBe(0o600);
    const text = readFileSync(harness.configFile, "utf8");
    expect(text).not.toContain(harness.password);
    const stored = config();
    expect(stored.currentContext).toBe("og-a.test");
    expect(stored.contexts["og-a.test"]).toMatchObject({
      server: "http://og-a.test",
      user: "root",
      token: expect.stringMatching(/^og_/),
      tokenId: expect.any(String),
    });
    expect(stored.contexts["og-a.test"]!.token).not.toBe(harness.token);

    // No flag, no environment: the current context gives server and token.
    const me = await cli("whoami");
    expect(me.code, me.err).toBe(0);
    expect(me.out).toMatch(/^name\s+root$/m);
    expect((await cli("location", "list")).code).toBe(0);
  });

  it("resolves --token, then OMNIGLASS_TOKEN, then the context", async () => {
    const previous = process.env.OMNIGLASS_TOKEN;
    process.env.OMNIGLASS_TOKEN = "og_not-a-real-token";
    try {
      expect((await cli("whoami")).err).toMatch(/401/);
      expect((await cli("whoami", "--token", harness.token)).code).toBe(0);
    } finally {
      if (previous === undefined) delete process.env.OMNIGLASS_TOKEN;
      else process.env.OMNIGLASS_TOKEN = previous;
    }
    expect((await cli("whoami")).code).toBe(0);
    // A context's token is never sent to another server.
    const elsewhere = await cli("whoami", "--url", "http://og-elsewhere.test");
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.err).toContain("no API token for http://og-elsewhere.test");
  });

  it("keeps several servers as named contexts: list, use, delete", async () => {
    const b = await cli(
      "login",
      "--url",
      "http://og-b.test",
      "--token",
      harness.token,
      "--context",
      "bench",
    );
    expect(b.code, b.err).toBe(0);
    const listed = await cli("context", "list");
    expect(listed.out).toMatch(/^CURRENT\s+NAME\s+SERVER\s+USER\s+CREDENTIAL$/m);
    expect(listed.out).toMatch(/^\*\s+bench\s+http:\/\/og-b\.test\s+root\s+token$/m);
    expect(listed.out).toMatch(/^\s+og-a\.test\s+http:\/\/og-a\.test\s+root\s+token$/m);
    const json = JSON.parse((await cli("context", "list", "--json")).out) as {
      currentContext: string;
      contexts: unknown[];
    };
    expect(json.currentContext).toBe("bench");
    expect(JSON.stringify(json)).not.toContain("og_");

    expect((await cli("context", "use", "og-a.test")).out).toContain("current context: og-a.test");
    expect(config().currentContext).toBe("og-a.test");
    expect((await cli("context", "use", "nope")).code).toBe(1);
    expect((await cli("context", "delete", "bench")).code).toBe(0);
    expect(Object.keys(config().contexts)).toEqual(["og-a.test"]);
    expect(statSync(harness.configFile).mode & 0o777).toBe(0o600);
  });

  it("logs out: the token login issued is revoked and forgotten", async () => {
    const token = config().contexts["og-a.test"]!.token!;
    const out = await cli("logout");
    expect(out.code, out.err).toBe(0);
    expect(out.out).toContain("logged out of http://og-a.test");
    expect(config().contexts["og-a.test"]).toEqual({ server: "http://og-a.test" });
    expect((await cli("whoami", "--token", token)).err).toMatch(/401/);
    const after = await cli("whoami");
    expect(after.code).toBe(2);
    expect(after.err).toContain("omniglass login");
  });

  it("refuses a wrong password and stores nothing", async () => {
    const before = readFileSync(harness.configFile, "utf8");
    const wrong = await harness.cliWithSecret(
      "not the password",
      "login",
      "--url",
      "http://og-c.test",
      "--username",
      "root",
    );
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/401/);
    expect(readFileSync(harness.configFile, "utf8")).toBe(before);
  });

  it("finds its contexts under $XDG_CONFIG_HOME as the real process, and rewrites them 0600", async () => {
    const home = mkdtempSync(path.join(tmpdir(), "omniglass-xdg-"));
    const file = path.join(home, "omniglass", "config.json");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({
        currentContext: "one",
        contexts: { one: { server: "http://127.0.0.1:1" }, two: { server: "http://127.0.0.1:2" } },
      }),
      { mode: 0o644 },
    );
    const env = { XDG_CONFIG_HOME: home };
    const listed = await omniglass(["context", "list"], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^\*\s+one\s+http:\/\/127\.0\.0\.1:1\s+-\s+none$/m);
    expect((await omniglass(["context", "use", "two"], env)).code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const unreachable = await omniglass(["login", "--token", "og_x"], env);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain("cannot reach http://127.0.0.1:2");
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ currentContext: "two" });
  }, 60_000);
});
