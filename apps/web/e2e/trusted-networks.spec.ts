/**
 * The running server's access model against a real non-loopback peer: the test makes its own
 * network namespace joined to this host by a veth pair (addresses from the benchmarking range
 * 198.18.0.0/15, which exist only between the two ends), binds the built web server to the host's
 * end, and connects from inside the namespace. A peer outside the trusted networks gets 403
 * problem+json before any route runs; the same peer inside them is served.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { freePort, spawnManaged, type ManagedProcess } from "@omniglass/infra";

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const suffix = randomBytes(3).toString("hex");
const NS = `og-ns-${suffix}`;
const HOST_IF = `og-h-${suffix}`;
const PEER_IF = `og-p-${suffix}`;
const HOST_ADDRESS = "198.18.7.1";
const PEER_ADDRESS = "198.18.7.2";

const ip = (...args: string[]) => execFileSync("ip", args, { stdio: "pipe" });

/** A request made from inside the namespace, by Node itself: status and body. */
function fromPeer(url: string): { status: number; body: string; type: string } {
  const script = `fetch(${JSON.stringify(url)}).then(async (r) => console.log(JSON.stringify({ status: r.status, type: r.headers.get("content-type"), body: await r.text() }))).catch((e) => { console.log(JSON.stringify({ status: 0, type: "", body: String(e) })); })`;
  const out = execFileSync("ip", ["netns", "exec", NS, process.execPath, "-e", script], {
    encoding: "utf8",
    timeout: 20_000,
  });
  return JSON.parse(out.trim().split("\n").pop()!) as {
    status: number;
    body: string;
    type: string;
  };
}

async function startWeb(trusted: string): Promise<{ web: ManagedProcess; url: string }> {
  const port = await freePort();
  const lines: string[] = [];
  const web = spawnManaged(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: WEB_DIR,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      // Refusal happens before any route, and /sign-in renders without the database.
      DATABASE_URL: "postgres://omniglass@127.0.0.1:1/unused",
      NATS_URL: "nats://127.0.0.1:1",
      OMNIGLASS_HOST: HOST_ADDRESS,
      OMNIGLASS_PORT: String(port),
      OMNIGLASS_TRUSTED_NETWORKS: trusted,
    },
    onLine: (line) => lines.push(line),
  });
  const deadline = Date.now() + 30_000;
  while (!lines.some((l) => l.includes("listening on"))) {
    if (Date.now() > deadline) throw new Error(`web did not start:\n${lines.join("\n")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { web, url: `http://${HOST_ADDRESS}:${port}` };
}

test.describe("trusted networks, from a real peer", () => {
  test.beforeAll(() => {
    ip("netns", "add", NS);
    ip("link", "add", HOST_IF, "type", "veth", "peer", "name", PEER_IF);
    ip("link", "set", PEER_IF, "netns", NS);
    ip("addr", "add", `${HOST_ADDRESS}/30`, "dev", HOST_IF);
    ip("link", "set", HOST_IF, "up");
    ip("netns", "exec", NS, "ip", "addr", "add", `${PEER_ADDRESS}/30`, "dev", PEER_IF);
    ip("netns", "exec", NS, "ip", "link", "set", PEER_IF, "up");
    ip("netns", "exec", NS, "ip", "link", "set", "lo", "up");
  });
  test.afterAll(() => {
    try {
      ip("link", "delete", HOST_IF);
    } catch {
      // gone with the namespace already
    }
    ip("netns", "delete", NS);
  });

  test("refuses a peer outside the trusted networks with 403 problem+json", async () => {
    const { web, url } = await startWeb("198.18.200.0/24");
    try {
      const refused = fromPeer(`${url}/sign-in`);
      expect(refused.status).toBe(403);
      expect(refused.type).toContain("application/problem+json");
      expect(refused.body).not.toContain("<html");
      const api = fromPeer(`${url}/api/healthz`);
      expect(api.status).toBe(403);
    } finally {
      await web.stop(10_000);
    }
  });

  test("serves the same peer once its network is trusted", async () => {
    const { web, url } = await startWeb("198.18.7.0/30");
    try {
      const served = fromPeer(`${url}/sign-in`);
      expect(served.status).toBe(200);
      expect(served.body).toContain("Sign in");
    } finally {
      await web.stop(10_000);
    }
  });
});
