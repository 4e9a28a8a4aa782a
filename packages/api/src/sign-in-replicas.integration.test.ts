import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestbed, type Testbed } from "./testbed";

const HOST = path.join(path.dirname(fileURLToPath(import.meta.url)), "../test/rest-host.ts");

/** Starts a bare REST replica as its own process; resolves with its base URL once it listens. */
function startReplica(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", HOST, databaseUrl], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const port = /listening (\d+)/.exec(out)?.[1];
      if (port) resolve({ url: `http://127.0.0.1:${port}/api/v1`, child });
    });
    child.once("exit", (code) => reject(new Error(`replica exited with ${code}: ${out}`)));
  });
}

describe("the sign-in throttle is shared by every web replica", () => {
  let bed: Testbed;
  let replicas: { url: string; child: ChildProcess }[];

  beforeAll(async () => {
    bed = await createTestbed({ ownerPassword: "a long enough test password" });
    replicas = await Promise.all([startReplica(bed.databaseUrl), startReplica(bed.databaseUrl)]);
  }, 60_000);
  afterAll(async () => {
    for (const { child } of replicas ?? []) child.kill("SIGTERM");
    await bed.close();
  });

  const signIn = (replica: number, username: string, ip: string) =>
    fetch(`${replicas[replica]!.url}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-test-client-ip": ip },
      body: JSON.stringify({ username, password: "wrong password" }),
    });

  it("counts one account's failures across two processes (5 allowed, then 429 on either)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      // Alternate replicas and addresses: neither process alone ever sees more than 4 failures.
      const response = await signIn(i % 2, "shared-target", `198.51.100.${i + 1}`);
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it("counts one address's failures across two processes (20 allowed)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const response = await signIn(i % 2, `spray-${i}`, "203.0.113.9");
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

  it("clears an account's failures on a successful sign-in through the other replica", async () => {
    for (let i = 0; i < 4; i++) await signIn(0, "root", `192.0.2.${i + 1}`);
    const ok = await fetch(`${replicas[1]!.url}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-test-client-ip": "192.0.2.99" },
      body: JSON.stringify({ username: "root", password: "a long enough test password" }),
    });
    expect(ok.status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await signIn(0, "root", `192.0.2.${i + 20}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
  });
});
