import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { probe } from "./test-clients";

/* The real process, as other apps' tests and `npm start` run it. */

const APP = fileURLToPath(new URL("..", import.meta.url));
const TSX = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));

const children: ChildProcess[] = [];

function run(args: string[]) {
  const child = spawn(TSX, ["src/main.ts", ...args], {
    cwd: APP,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line: ${stdout} ${stderr}`)), 20_000);
    child.stdout!.on("data", () => {
      // One JSON log line: {"level":"info",…,"process":"simulator","controlUrl":"http://…","msg":"ready …"}
      const match = /"process":"simulator".*"controlUrl":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(
        stdout,
      );
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${stderr}`));
    });
  });
  ready.catch(() => {});
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
});

describe("omniglass-simulator process", () => {
  it("prints one ready line once every device listens, serves the control API, stops on SIGTERM", async () => {
    const fleet = [
      { id: "room-1/display", kind: "http-display", port: 0 },
      { id: "room-1/projector", kind: "pjlink-projector", port: 0, password: "pw" },
      { id: "room-1/dsp", kind: "qsys-dsp", port: 0 },
      { id: "room-1/codec", kind: "video-codec", port: 0 },
      { id: "room-1/processor", kind: "control-processor", port: 0 },
    ];
    const sim = run(["--fleet-json", JSON.stringify(fleet), "--control-port", "0"]);
    const controlUrl = await sim.ready;
    const devices = (await (await fetch(`${controlUrl}/devices`)).json()) as {
      id: string;
      port: number;
      listening: boolean;
    }[];
    expect(devices.map((d) => d.id)).toEqual(fleet.map((d) => d.id));
    expect(devices.every((d) => d.listening && d.port > 0)).toBe(true);
    for (const device of devices) expect(await probe(device.port)).toBe("connected");

    process.kill(sim.child.pid!, "SIGTERM");
    expect(await sim.exited).toBe(0);
    expect(sim.output().stdout.trim().split("\n")).toHaveLength(1);
    expect(await probe(devices[0]!.port)).toBe("ECONNREFUSED");
  });

  it("refuses an invalid fleet naming the field, with exit code 64 for usage", async () => {
    const bad = run(["--fleet-json", JSON.stringify([{ id: "x", kind: "toaster", port: 1 }])]);
    expect(await bad.exited).toBe(1);
    // A JSON log line at level fatal, on stdout like every other log line.
    expect(bad.output().stdout).toMatch(/"level":"fatal".*fleet\.0\.kind/);
    const usage = run(["--control-port", "1"]);
    expect(await usage.exited).toBe(64);
    expect(usage.output().stderr).toMatch(/exactly one of --fleet and --fleet-json/);
  });
});
