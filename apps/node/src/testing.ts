import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import {
  TemplateDocument,
  type NodeTask,
  type TemplateFunction,
  type Worklist,
} from "@omniglass/contracts";
import { freePort, REPO_ROOT, spawnManaged, type ManagedProcess } from "@omniglass/infra";
import { DRIVERS, requestDeadlineMs } from "./drivers";
import type { CounterMemory } from "./counters";
import { mapAnswer, type MappingResult } from "./mapping";

/*
 * Test support for the node's integration tests: the official templates, tasks built from them,
 * and real peers (Debian's snmpd, the simulator) run as children in their own process groups.
 */

export async function loadTemplate(name: string): Promise<TemplateDocument> {
  const file = path.join(REPO_ROOT, "packages/gateway/templates", `${name}.yaml`);
  return TemplateDocument.parse(parse(await readFile(file, "utf8")));
}

export function taskFor(
  doc: TemplateDocument,
  interfaceName: string,
  options: {
    componentId: string;
    host?: string;
    port: number | null;
    secrets?: Record<string, string>;
  },
): NodeTask {
  const iface = doc.interfaces.find((i) => i.name === interfaceName);
  if (!iface) throw new Error(`${doc.name} has no interface ${interfaceName}`);
  return {
    component: { id: options.componentId, path: `test.${doc.name}` },
    interface: iface,
    host: options.host ?? "127.0.0.1",
    port: options.port,
    secrets: options.secrets ?? {},
    functions: doc.functions.filter((f) => f.interface === interfaceName),
  };
}

export function worklistOf(nodeId: string, etag: string, tasks: NodeTask[]): Worklist {
  return { node: { id: nodeId, name: "test-node" }, etag, tasks, signals: {} };
}

/**
 * Runs one function once, as the scheduler does, and maps the answer (with `counters`, counter
 * outputs become rates from the previous run's readings, as the scheduler's memory makes them).
 */
export async function runOnce(
  task: NodeTask,
  fn: TemplateFunction,
  counters?: CounterMemory,
): Promise<MappingResult> {
  const timeoutMs = requestDeadlineMs(task, fn);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const answer = await DRIVERS[task.interface.protocol]({
      task,
      fn,
      timeoutMs,
      signal: controller.signal,
    });
    return mapAnswer(fn, answer, { component: task.component.id, ts: Date.now(), counters });
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

export function fnNamed(task: NodeTask, name: string): TemplateFunction {
  const fn = task.functions.find((f) => f.name === name);
  if (!fn) throw new Error(`no function ${name}`);
  return fn;
}

export interface RunningSnmpd {
  port: number;
  stop(): Promise<void>;
}

/** Debian's snmpd on loopback with a config of its own (read-only community `public`). */
export async function startSnmpd(dir: string): Promise<RunningSnmpd> {
  const binary = ["/usr/sbin/snmpd", "/usr/local/sbin/snmpd"].find((p) => existsSync(p));
  if (!binary)
    throw new Error(
      "snmpd is not installed: install Debian's package `snmpd` (apt-get install snmpd)",
    );
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const config = path.join(dir, "snmpd.conf");
  await writeFile(
    config,
    `agentAddress udp:127.0.0.1:${port}\nrocommunity public 127.0.0.1\n[snmp] persistentDir ${dir}\n`,
  );
  const lines: string[] = [];
  const managed: ManagedProcess = spawnManaged(
    binary,
    ["-f", "-Lo", "-C", "-c", config, "-I", "-smux"],
    {
      onLine: (line) => lines.push(line),
    },
  );
  // Ready when it answers a GET.
  const snmp = (await import("net-snmp")).default;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const session = snmp.createSession("127.0.0.1", "public", {
        port,
        version: snmp.Version2c,
        timeout: 200,
        retries: 0,
      });
      session.on("error", () => {});
      session.get(["1.3.6.1.2.1.1.3.0"], (error) => {
        session.close();
        resolve(!error);
      });
    });
    if (ok) break;
    if (managed.child.exitCode !== null || Date.now() > deadline) {
      await managed.stop(1_000);
      throw new Error(`snmpd did not start: ${lines.slice(-5).join(" | ")}`);
    }
  }
  return { port, stop: async () => void (await managed.stop(3_000)) };
}

export interface FleetEntry {
  id: string;
  kind:
    | "http-display"
    | "pjlink-projector"
    | "qsys-dsp"
    | "video-codec"
    | "control-processor"
    | "snmp-switch"
    | "snmp-room-pc";
  port: number;
  password?: string;
  username?: string;
  community?: string;
}

export interface RunningSimulator {
  controlUrl: string;
  faults(id: string, faults: Record<string, unknown>): Promise<void>;
  /** Clears every fault of the device (POST /devices/{id}/reset). */
  reset(id: string): Promise<void>;
  stop(): Promise<void>;
}

/** The simulator (apps/simulator) as a child process, as other apps' tests must run it. */
export async function startSimulator(fleet: FleetEntry[]): Promise<RunningSimulator> {
  const lines: string[] = [];
  let ready: (url: string) => void = () => {};
  const controlUrl = new Promise<string>((resolve) => (ready = resolve));
  const managed = spawnManaged(
    path.join(REPO_ROOT, "node_modules/.bin/tsx"),
    [path.join(REPO_ROOT, "apps/simulator/src/main.ts"), "--fleet-json", JSON.stringify(fleet)],
    {
      cwd: REPO_ROOT,
      onLine: (line) => {
        lines.push(line);
        const match = /ready control=([^\s"]+)/.exec(line);
        if (match) ready(match[1]!);
      },
    },
  );
  const url = await Promise.race([
    controlUrl,
    managed.exited.then((code) =>
      Promise.reject(new Error(`the simulator exited (${code}): ${lines.slice(-5).join(" | ")}`)),
    ),
    new Promise<never>((_, reject) =>
      setTimeout(
        () =>
          reject(
            new Error(`the simulator was not ready within 20 s: ${lines.slice(-5).join(" | ")}`),
          ),
        20_000,
      ),
    ),
  ]).catch(async (error: unknown) => {
    await managed.stop(1_000);
    throw error;
  });
  return {
    controlUrl: url,
    faults: async (id, faults) => {
      const response = await fetch(`${url}/devices/${id}/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(faults),
      });
      if (!response.ok)
        throw new Error(`faults ${id}: ${response.status} ${await response.text()}`);
    },
    reset: async (id) => {
      const response = await fetch(`${url}/devices/${id}/reset`, { method: "POST" });
      if (!response.ok) throw new Error(`reset ${id}: ${response.status} ${await response.text()}`);
    },
    stop: async () => void (await managed.stop(3_000)),
  };
}
