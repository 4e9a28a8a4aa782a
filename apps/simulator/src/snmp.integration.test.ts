import net from "node:net";
import snmp from "net-snmp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WRAP_PORT } from "./devices/snmp-switch";
import { type Simulator, startSimulator } from "./simulator";
import { eventually } from "./test-clients";

/*
 * The simulated SNMP gear (a switch, a room PC) read with a real SNMP v2c client (net-snmp's
 * Session), as the node reads it, and its management port with a plain TCP connect.
 */

const FLEET = [
  { id: "lab.switch", kind: "snmp-switch", port: 0, community: "lab-ro" },
  { id: "lab.room-pc", kind: "snmp-room-pc", port: 0 },
];

let sim: Simulator;
const port = (id: string) => sim.device(id).boundPort;

interface Vb {
  oid: string;
  type: number;
  value: unknown;
}

function session(id: string, community: string, timeout = 1_000) {
  const s = snmp.createSession("127.0.0.1", community, {
    port: port(id),
    version: snmp.Version2c,
    retries: 0,
    timeout,
  });
  s.on("error", () => {});
  return s;
}

function get(id: string, oids: string[], community = "lab-ro"): Promise<Vb[]> {
  const s = session(id, community);
  return new Promise<Vb[]>((resolve, reject) =>
    s.get(oids, (error: Error | null, varbinds: Vb[]) =>
      error ? reject(error) : resolve(varbinds),
    ),
  ).finally(() => s.close());
}

function walk(id: string, column: string, community = "lab-ro"): Promise<Map<string, unknown>> {
  const s = session(id, community);
  const cells = new Map<string, unknown>();
  return new Promise<Map<string, unknown>>((resolve, reject) =>
    s.subtree(
      column,
      20,
      (varbinds: Vb[]) => {
        for (const vb of varbinds) cells.set(vb.oid.slice(column.length + 1), vb.value);
      },
      (error: Error | null) => (error ? reject(error) : resolve(cells)),
    ),
  ).finally(() => s.close());
}

const big = (value: unknown) => (value as Buffer).readBigUInt64BE(0);

function connects(id: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port: port(id) });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function control(path: string, body: unknown = {}) {
  const res = await fetch(`${sim.controlUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { state: Record<string, unknown>; listening: boolean };
}

beforeAll(async () => {
  sim = await startSimulator(FLEET, { transitionMs: 0 });
});
afterAll(async () => {
  await sim?.stop();
});

describe("the simulated switch", () => {
  it("answers the switch template's OIDs for its community only", async () => {
    const [uptime, name, descr] = await get("lab.switch", [
      "1.3.6.1.2.1.1.3.0",
      "1.3.6.1.2.1.1.5.0",
      "1.3.6.1.2.1.1.1.0",
    ]);
    expect(uptime!.value as number).toBeGreaterThan(360_000); // up for more than an hour
    expect(String(name!.value)).toBe("lab-switch");
    expect(String(descr!.value)).toMatch(/24 ports/);
    const oper = await walk("lab.switch", "1.3.6.1.2.1.2.2.1.8");
    expect(oper.size).toBe(24);
    expect(oper.get("24")).toBe(1);
    const alias = await walk("lab.switch", "1.3.6.1.2.1.31.1.1.1.18");
    expect(String(alias.get("24"))).toBe("uplink to core");
    for (const column of ["1.3.6.1.2.1.2.2.1.14", "1.3.6.1.2.1.2.2.1.20"])
      expect((await walk("lab.switch", column)).size).toBe(24);
    const poe = await walk("lab.switch", "1.3.6.1.2.1.105.1.1.1.6");
    expect([...poe.keys()].slice(0, 2)).toEqual(["1.1", "1.2"]);
    expect(poe.size).toBe(16);
    const cpu = await walk("lab.switch", "1.3.6.1.2.1.25.3.3.1.2");
    expect([...cpu.values()][0] as number).toBeGreaterThan(0);
    await expect(get("lab.switch", ["1.3.6.1.2.1.1.3.0"], "public")).rejects.toThrow(/timed out/i);
  });

  it("counts traffic: the 64-bit counters grow at the port's rate, one of them near 2^64 (it wraps two minutes after start)", async () => {
    const column = "1.3.6.1.2.1.31.1.1.1.6";
    const first = await walk("lab.switch", column);
    const wrapBefore = big(first.get(String(WRAP_PORT)));
    expect(wrapBefore).toBeGreaterThan(2n ** 64n - 10n ** 10n);
    const before = big(first.get("24"));
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    const after = big((await walk("lab.switch", column)).get("24"));
    // The uplink carries 200–600 Mbit/s: 25–75 MB/s, over two seconds or so.
    const bytes = Number(after - before);
    expect(bytes).toBeGreaterThan(25e6);
    expect(bytes).toBeLessThan(75e6 * 4);
  });

  it("faults: a port down, PoE fault, malformed status; unreachable closes both SNMP and TCP; power cycle reboots", async () => {
    await control("/devices/lab.switch/faults", { error: "port-down" });
    await eventually(async () => {
      const oper = await walk("lab.switch", "1.3.6.1.2.1.2.2.1.8");
      return [...oper.values()].filter((v) => v === 2).length > 0 && oper.get("24") === 1;
    }, 3_000);
    await control("/devices/lab.switch/faults", { error: "poe-fault", malformed: true });
    await eventually(async () => {
      const poe = await walk("lab.switch", "1.3.6.1.2.1.105.1.1.1.6");
      const oper = await walk("lab.switch", "1.3.6.1.2.1.2.2.1.8");
      return poe.get("1.1") === 4 && oper.get("1") === 99;
    }, 3_000);

    expect(await connects("lab.switch")).toBe(true);
    await control("/devices/lab.switch/faults", { unreachable: true });
    expect(await connects("lab.switch")).toBe(false);
    await expect(get("lab.switch", ["1.3.6.1.2.1.1.3.0"])).rejects.toThrow(/timed out/i);
    const view = await control("/devices/lab.switch/reset");
    expect(view.listening).toBe(true);
    expect(await connects("lab.switch")).toBe(true);
    const [uptime] = await get("lab.switch", ["1.3.6.1.2.1.1.3.0"]);
    expect(uptime!.value as number).toBeGreaterThan(360_000); // a reset is not a reboot

    await control("/devices/lab.switch/faults", { power: "off" });
    expect(await connects("lab.switch")).toBe(false);
    await control("/devices/lab.switch/faults", { power: "on" });
    const [rebooted] = await get("lab.switch", ["1.3.6.1.2.1.1.3.0"]);
    expect(rebooted!.value as number).toBeLessThan(500); // under five seconds since boot
    const octets = await walk("lab.switch", "1.3.6.1.2.1.31.1.1.1.6");
    expect(big(octets.get("24"))).toBeLessThan(10n ** 9n);
  });
});

describe("the simulated room PC", () => {
  it("answers the room PC template: processors, the RAM row of hrStorageTable, uptime", async () => {
    const [uptime, name] = await get(
      "lab.room-pc",
      ["1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.1.5.0"],
      "public",
    );
    expect(uptime!.value as number).toBeGreaterThan(0);
    expect(String(name!.value)).toBe("LAB-ROOM-PC");
    const types = await walk("lab.room-pc", "1.3.6.1.2.1.25.2.3.1.2", "public");
    const ram = [...types].find(([, type]) => type === "1.3.6.1.2.1.25.2.1.2")![0];
    const size = (await walk("lab.room-pc", "1.3.6.1.2.1.25.2.3.1.5", "public")).get(ram) as number;
    const used = (await walk("lab.room-pc", "1.3.6.1.2.1.25.2.3.1.6", "public")).get(ram) as number;
    expect(used / size).toBeGreaterThan(0.3);
    expect(used / size).toBeLessThan(0.9);
    const loads = await walk("lab.room-pc", "1.3.6.1.2.1.25.3.3.1.2", "public");
    expect([4, 8]).toContain(loads.size);
    expect([...loads.keys()][0]).toBe("3");

    await control("/devices/lab.room-pc/faults", { error: "memory-high" });
    await eventually(async () => {
      const now = (await walk("lab.room-pc", "1.3.6.1.2.1.25.2.3.1.6", "public")).get(
        ram,
      ) as number;
      return now / size > 0.95;
    }, 3_000);
    await control("/devices/lab.room-pc/reset");
    expect(await connects("lab.room-pc")).toBe(true);
  });
});
