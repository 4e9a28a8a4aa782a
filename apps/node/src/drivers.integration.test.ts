import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { freePort } from "@omniglass/infra";
import { testInfra } from "@omniglass/testing";
import type { NodeSample } from "@omniglass/contracts";
import { CounterMemory } from "./counters";
import { FunctionError } from "./drivers";
import {
  fnNamed,
  loadTemplate,
  runOnce,
  startSimulator,
  startSnmpd,
  taskFor,
  type RunningSimulator,
  type RunningSnmpd,
} from "./testing";

const COMPONENT = "0190f5a0-0000-7000-8000-0000000000aa";
const valueOf = (samples: NodeSample[], signal: string, instance = "") =>
  samples.find((s) => s.signal === signal && s.instance === instance)?.value;

describe("snmp driver against Debian's snmpd", () => {
  let snmpd: RunningSnmpd;
  beforeAll(async () => {
    snmpd = await startSnmpd(path.join(testInfra().tempDir, `node-snmpd-${process.pid}`));
  });
  afterAll(async () => {
    await snmpd?.stop();
  });

  it("reads the switch template's system group (get)", async () => {
    const doc = await loadTemplate("snmp-network-switch");
    const task = taskFor(doc, "snmp", {
      componentId: COMPONENT,
      port: snmpd.port,
      secrets: { "snmp-community": "public" },
    });
    const { samples, rejections } = await runOnce(task, fnNamed(task, "system"));
    expect(rejections).toEqual([]);
    expect(valueOf(samples, "uptime")).toBeGreaterThan(0);
    expect(typeof valueOf(samples, "system-name")).toBe("string");
    expect(String(valueOf(samples, "system-description"))).toMatch(/Linux/);
  });

  it(
    "walks the port table: one series per ifIndex, lo is up, counters become rates on the second reading",
    {
      timeout: 20_000,
    },
    async () => {
      const doc = await loadTemplate("snmp-network-switch");
      const task = taskFor(doc, "snmp", {
        componentId: COMPONENT,
        port: snmpd.port,
        secrets: { "snmp-community": "public" },
      });
      const counters = new CounterMemory();
      const first = await runOnce(task, fnNamed(task, "ports"), counters);
      expect(first.rejections).toEqual([]);
      const links = first.samples.filter((s) => s.signal === "link-state");
      expect(links.length).toBeGreaterThan(0);
      // ifIndex 1 is the loopback interface on Linux.
      expect(valueOf(first.samples, "link-state", "1")).toBe("up");
      // A rate needs two readings: the first gives none (and no rejection).
      expect(first.samples.filter((s) => s.signal === "if-in-bps")).toEqual([]);
      // snmpd caches its interface table for a few seconds: wait it out, so lo's counters move.
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      const second = await runOnce(task, fnNamed(task, "ports"), counters);
      expect(second.rejections).toEqual([]);
      for (const signal of ["if-in-bps", "if-out-bps", "if-in-errors", "if-out-errors"]) {
        const series = second.samples.filter((s) => s.signal === signal);
        expect(series.length, signal).toBe(links.length);
        for (const s of series) {
          expect(typeof s.value, signal).toBe("number");
          expect(s.value as number, signal).toBeGreaterThanOrEqual(0);
        }
      }
      // lo carried this test's SNMP packets: some bits per second, not a raw count nor 2^64.
      const bps = valueOf(second.samples, "if-in-bps", "1") as number;
      expect(bps).toBeGreaterThan(0);
      expect(bps).toBeLessThan(10e9);
    },
  );

  it("walks with a filter (the room PC's RAM row: used ÷ size × 100) and an empty table", async () => {
    const pc = await loadTemplate("uc-room-pc");
    const task = taskFor(pc, "snmp", {
      componentId: COMPONENT,
      port: snmpd.port,
      secrets: { "snmp-community": "public" },
    });
    const memory = await runOnce(task, fnNamed(task, "memory"));
    expect(memory.rejections).toEqual([]);
    expect(memory.samples).toHaveLength(1);
    expect(memory.samples[0]).toMatchObject({ signal: "memory-used", instance: "" });
    expect(memory.samples[0]!.value as number).toBeGreaterThan(0);
    expect(memory.samples[0]!.value as number).toBeLessThanOrEqual(100);

    const sw = await loadTemplate("snmp-network-switch");
    const swTask = taskFor(sw, "snmp", {
      componentId: COMPONENT,
      port: snmpd.port,
      secrets: { "snmp-community": "public" },
    });
    // snmpd has no POWER-ETHERNET-MIB: no rows, nothing to say.
    expect(await runOnce(swTask, fnNamed(swTask, "poe"))).toEqual({ samples: [], rejections: [] });
  });

  it("a wrong community is a function error (timeout), not a crash", async () => {
    const doc = await loadTemplate("snmp-network-switch");
    const task = taskFor(doc, "snmp", {
      componentId: COMPONENT,
      port: snmpd.port,
      secrets: { "snmp-community": "wrong" },
    });
    task.interface = { ...task.interface, timeout: "600ms" };
    await expect(runOnce(task, fnNamed(task, "system"))).rejects.toThrow(FunctionError);
  });
});

describe("drivers against the simulator", () => {
  let sim: RunningSimulator;
  const ports: Record<string, number> = {};
  beforeAll(async () => {
    for (const id of ["display", "projector", "core", "codec", "cp", "switch"])
      ports[id] = await freePort();
    sim = await startSimulator([
      {
        id: "display",
        kind: "http-display",
        port: ports.display!,
        username: "admin",
        password: "pw-display",
      },
      {
        id: "projector",
        kind: "pjlink-projector",
        port: ports.projector!,
        password: "JBMIAProjectorLink",
      },
      { id: "core", kind: "qsys-dsp", port: ports.core!, username: "monitor", password: "pw-core" },
      { id: "codec", kind: "video-codec", port: ports.codec!, password: "codec-token" },
      { id: "cp", kind: "control-processor", port: ports.cp! },
      { id: "switch", kind: "snmp-switch", port: ports.switch!, community: "lab-ro" },
    ]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("http json with basic auth; a malformed body is a device-error rejection; a bad status a function error", async () => {
    const doc = await loadTemplate("http-json-display");
    const secrets = { "http-username": "admin", "http-password": "pw-display" };
    const task = taskFor(doc, "http", { componentId: COMPONENT, port: ports.display!, secrets });
    const status = await runOnce(task, fnNamed(task, "status"));
    expect(status.rejections).toEqual([]);
    expect(["on", "standby", "warming", "cooling", "off"]).toContain(
      valueOf(status.samples, "power-state"),
    );
    expect(typeof valueOf(status.samples, "temperature")).toBe("number");
    expect(typeof valueOf(status.samples, "audio-mute")).toBe("boolean");

    await sim.faults("display", { malformed: true });
    const info = await runOnce(task, fnNamed(task, "info"));
    expect(info.samples).toEqual([]);
    expect(info.rejections).toHaveLength(4);
    expect(info.rejections[0]).toMatchObject({
      reason: "device-error",
      signal: "manufacturer",
      detail: expect.stringContaining("not JSON"),
    });
    await sim.faults("display", { malformed: false, error: "panel fault" });
    await expect(runOnce(task, fnNamed(task, "status"))).rejects.toThrow(/status 500/);
    await sim.faults("display", { error: null });

    const wrong = taskFor(doc, "http", {
      componentId: COMPONENT,
      port: ports.display!,
      secrets: { ...secrets, "http-password": "nope" },
    });
    await expect(runOnce(wrong, fnNamed(wrong, "status"))).rejects.toThrow(/status 401/);
  });

  it("pjlink with MD5 authentication; maps, char:N, field:N; a malformed answer is a rejection", async () => {
    const doc = await loadTemplate("pjlink-projector");
    const task = taskFor(doc, "pjlink", {
      componentId: COMPONENT,
      port: ports.projector!,
      secrets: { "pjlink-password": "JBMIAProjectorLink" },
    });
    const power = await runOnce(task, fnNamed(task, "power"));
    expect(power.rejections).toEqual([]);
    expect(["on", "standby", "warming", "cooling"]).toContain(
      valueOf(power.samples, "power-state"),
    );
    const errors = await runOnce(task, fnNamed(task, "errors"));
    expect(errors.samples.map((s) => s.signal).sort()).toEqual([
      "cover-status",
      "fan-status",
      "filter-status",
      "lamp-status",
      "other-status",
      "temperature-status",
    ]);
    await sim.faults("projector", { error: "lamp" });
    const lamp = await runOnce(task, fnNamed(task, "errors"));
    expect(valueOf(lamp.samples, "lamp-status")).toBe("error");
    const hours = await runOnce(task, fnNamed(task, "lamp"));
    expect(hours.rejections).toEqual([]);
    expect(String(valueOf(hours.samples, "lamp-hours"))).toMatch(/^\d+$/);

    await sim.faults("projector", { malformed: true, error: null });
    const bad = await runOnce(task, fnNamed(task, "power"));
    expect(bad.samples).toEqual([]);
    expect(bad.rejections).toEqual([
      expect.objectContaining({
        signal: "power-state",
        reason: "device-error",
        detail: expect.stringContaining("not in the map"),
      }),
    ]);
    await sim.faults("projector", { malformed: false });

    const wrong = taskFor(doc, "pjlink", {
      componentId: COMPONENT,
      port: ports.projector!,
      secrets: { "pjlink-password": "nope" },
    });
    await expect(runOnce(wrong, fnNamed(wrong, "power"))).rejects.toThrow(/ERRA/);
    const missing = taskFor(doc, "pjlink", {
      componentId: COMPONENT,
      port: ports.projector!,
      secrets: {},
    });
    await expect(runOnce(missing, fnNamed(missing, "power"))).rejects.toThrow(/pjlink-password/);
  });

  it("qrc with Logon, skipping EngineStatus notifications; a malformed value is a rejection", async () => {
    const doc = await loadTemplate("qsys-core-dsp");
    const secrets = { "qrc-username": "monitor", "qrc-password": "pw-core" };
    const task = taskFor(doc, "qrc", { componentId: COMPONENT, port: ports.core!, secrets });
    const status = await runOnce(task, fnNamed(task, "status"));
    expect(status.rejections).toEqual([]);
    expect(["idle", "active", "standby"]).toContain(valueOf(status.samples, "engine-state"));
    expect(typeof valueOf(status.samples, "status-code")).toBe("number");
    const mics = await runOnce(task, fnNamed(task, "microphones"));
    expect(mics.rejections).toEqual([]);
    expect(mics.samples.filter((s) => s.signal === "audio-level").map((s) => s.instance)).toEqual([
      "mic-1",
      "mic-2",
      "mic-3",
      "mic-4",
    ]);
    expect(typeof valueOf(mics.samples, "audio-mute", "mic-2")).toBe("boolean");

    await sim.faults("core", { malformed: true });
    const bad = await runOnce(task, fnNamed(task, "status"));
    expect(bad.rejections).toContainEqual(
      expect.objectContaining({
        signal: "engine-state",
        reason: "device-error",
        detail: expect.stringContaining('"Running" is not in the map'),
      }),
    );
    await sim.faults("core", { malformed: false });
    const wrong = taskFor(doc, "qrc", {
      componentId: COMPONENT,
      port: ports.core!,
      secrets: { ...secrets, "qrc-password": "x" },
    });
    await expect(runOnce(wrong, fnNamed(wrong, "status"))).rejects.toThrow(/Logon refused/);
  });

  it("https json with a bearer token and a self-signed certificate (verifyTls: false)", async () => {
    const doc = await loadTemplate("video-codec");
    const task = taskFor(doc, "https", {
      componentId: COMPONENT,
      port: ports.codec!,
      secrets: { "codec-token": "codec-token" },
    });
    const status = await runOnce(task, fnNamed(task, "status"));
    expect(status.rejections).toEqual([]);
    expect(typeof valueOf(status.samples, "uptime")).toBe("number");
    expect(typeof valueOf(status.samples, "call-state")).toBe("string");
  });

  it("a text console with a prompt: named groups, scale + plus, map and an optional group", async () => {
    const doc = await loadTemplate("control-processor");
    const task = taskFor(doc, "console", { componentId: COMPONENT, port: ports.cp! });
    const version = await runOnce(task, fnNamed(task, "version"));
    expect(version.rejections).toEqual([]);
    expect(String(valueOf(version.samples, "firmware-version"))).toMatch(/^\d+(\.\d+)+$/);
    const uptime = await runOnce(task, fnNamed(task, "uptime"));
    expect(uptime.rejections).toEqual([]);
    expect(valueOf(uptime.samples, "uptime")).toBeGreaterThanOrEqual(0);
    const program = await runOnce(task, fnNamed(task, "program"));
    expect(program.rejections).toEqual([]);
    expect(typeof valueOf(program.samples, "program-running")).toBe("boolean");
  });

  it(
    "the simulated switch over SNMP: every template output, bits per second, and no rate across a reboot",
    {
      timeout: 30_000,
    },
    async () => {
      const doc = await loadTemplate("snmp-network-switch");
      const task = taskFor(doc, "snmp", {
        componentId: COMPONENT,
        port: ports.switch!,
        secrets: { "snmp-community": "lab-ro" },
      });
      const counters = new CounterMemory();
      const read = async () => {
        const all = await Promise.all(task.functions.map((fn) => runOnce(task, fn, counters)));
        expect(all.flatMap((r) => r.rejections)).toEqual([]);
        return all.flatMap((r) => r.samples);
      };
      const first = await read();
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const second = await read();
      const declared = new Set(task.functions.flatMap((f) => f.outputs.map((o) => o.signal)));
      expect(new Set(second.map((s) => s.signal))).toEqual(declared);
      expect(first.some((s) => s.signal === "if-in-bps")).toBe(false);
      // The uplink (port 24) carries 200–600 Mbit/s around its own mean.
      const uplink = valueOf(second, "if-in-bps", "24") as number;
      expect(uplink).toBeGreaterThan(100e6);
      expect(uplink).toBeLessThan(1e9);
      expect(valueOf(second, "port-alias", "24")).toBe("uplink to core");
      expect(valueOf(second, "poe-status", "1.1")).toMatch(/^(delivering|searching)$/);

      // A power cycle is a reboot: uptime and counters restart; that interval gives no rate.
      await sim.faults("switch", { power: "off" });
      await sim.faults("switch", { power: "on" });
      const rebooted = await (async () => {
        for (let i = 0; i < 50; i++) {
          const samples = await read().catch(() => null);
          if (samples) return samples;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error("the switch did not come back");
      })();
      expect(valueOf(rebooted, "uptime") as number).toBeLessThan(10);
      expect(rebooted.filter((s) => s.signal === "if-in-bps")).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const after = await read();
      expect(valueOf(after, "if-in-bps", "24") as number).toBeGreaterThan(100e6);
      expect(valueOf(after, "if-in-bps", "24") as number).toBeLessThan(1e9);
    },
  );

  it("a refused connection is a function error naming the address", async () => {
    const doc = await loadTemplate("pjlink-projector");
    const closed = await freePort();
    const task = taskFor(doc, "pjlink", { componentId: COMPONENT, port: closed });
    await expect(runOnce(task, fnNamed(task, "power"))).rejects.toThrow(
      new RegExp(`127.0.0.1:${closed}.*ECONNREFUSED`),
    );
  });

  it("icmp: ping without a bound port; bound with a port, a TCP connect that fails when the device stops answering", async () => {
    const doc = await loadTemplate("pjlink-projector");
    const task = taskFor(doc, "ping", { componentId: COMPONENT, port: ports.projector! });
    const result = await runOnce(task, fnNamed(task, "reachability"));
    expect(valueOf(result.samples, "reachable")).toBe(true);
    expect(valueOf(result.samples, "round-trip-time")).toBeGreaterThanOrEqual(0);
    // The loopback address always answers an echo; the projector's port does not when it is down.
    await sim.faults("projector", { unreachable: true });
    const down = await runOnce(task, fnNamed(task, "reachability"));
    expect(down).toEqual({
      samples: [expect.objectContaining({ signal: "reachable", value: false })],
      rejections: [],
    });
    await sim.reset("projector");
    const back = await runOnce(task, fnNamed(task, "reachability"));
    expect(valueOf(back.samples, "reachable")).toBe(true);

    const unknown = taskFor(doc, "ping", { componentId: COMPONENT, port: null, host: "127.0.0.1" });
    const outcome = await runOnce(unknown, fnNamed(unknown, "reachability")).catch(
      (error: Error) => error,
    );
    // With ping installed loopback answers; without it and no port to connect to: a clear error.
    if (outcome instanceof Error) expect(outcome.message).toMatch(/ping is not installed/);
    else expect(valueOf(outcome.samples, "reachable")).toBe(true);
  });
});
