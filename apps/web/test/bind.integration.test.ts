import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Starts server.ts with the given environment and returns its exit code and output (it must exit). */
function startServer(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
      cwd: WEB,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        DATABASE_URL: "postgres://unused@127.0.0.1:1/none",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not exit; output: ${output}`));
    }, 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("the web server's bind rule (DESIGN.md §5)", () => {
  it("refuses a non-loopback bind without OMNIGLASS_TRUSTED_NETWORKS, naming the variable", async () => {
    for (const host of ["0.0.0.0", "::", "192.0.2.10"]) {
      const { code, output } = await startServer({ OMNIGLASS_HOST: host, OMNIGLASS_PORT: "1" });
      expect(code, host).toBe(78);
      expect(output).toContain("OMNIGLASS_TRUSTED_NETWORKS");
      expect(output).not.toContain("listening");
    }
  });

  it("refuses a trusted-network list it cannot parse, naming the variable and the entry", async () => {
    const { code, output } = await startServer({
      OMNIGLASS_HOST: "0.0.0.0",
      OMNIGLASS_TRUSTED_NETWORKS: "100.64.0.0/10, tailnet",
    });
    expect(code).toBe(78);
    expect(output).toMatch(/OMNIGLASS_TRUSTED_NETWORKS.*"tailnet"/);
  });
});
