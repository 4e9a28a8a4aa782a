import { createHash } from "node:crypto";
import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "./simulator";
import { converse, eventually, probe } from "./test-clients";

/*
 * Every simulated device over its real protocol, with plain clients (node:net, fetch, node:https),
 * and each fault's effect as a collector would see it.
 */

const FLEET = [
  { id: "lab/display", kind: "http-display", port: 0 },
  { id: "lab/display-auth", kind: "http-display", port: 0, username: "admin", password: "s3cret" },
  { id: "lab/projector", kind: "pjlink-projector", port: 0 },
  { id: "lab/projector-auth", kind: "pjlink-projector", port: 0, password: "JBMIAProjectorLink" },
  { id: "lab/dsp", kind: "qsys-dsp", port: 0 },
  { id: "lab/dsp-auth", kind: "qsys-dsp", port: 0, username: "monitor", password: "pw" },
  { id: "lab/codec", kind: "video-codec", port: 0, password: "codec-token-1" },
  { id: "lab/processor", kind: "control-processor", port: 0 },
];

let sim: Simulator;
const port = (id: string) => sim.device(id).boundPort;
const base = (id: string) => `http://127.0.0.1:${port(id)}`;

async function control(path: string, body?: unknown) {
  const res = await fetch(`${sim.controlUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const faults = (id: string, body: unknown) =>
  control(`/devices/${encodeURIComponent(id)}/faults`, body);
const reset = (id: string) => control(`/devices/${encodeURIComponent(id)}/reset`, {});

function httpsGet(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(url, { headers, rejectUnauthorized: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** One PJLink query on a fresh connection (as the node polls), with the digest when needed. */
async function pjlink(id: string, command: string, password?: string): Promise<string> {
  const c = await converse(port(id));
  try {
    const greeting = await c.until(/\r/);
    const random = /^PJLINK 1 ([0-9a-f]{8})\r$/.exec(greeting)?.[1];
    const digest = random ? createHash("md5").update(`${random}${password}`).digest("hex") : "";
    c.send(`${digest}%1${command} ?\r`);
    return (await c.until(/\r/)).trimEnd();
  } finally {
    c.close();
  }
}

beforeAll(async () => {
  sim = await startSimulator(FLEET, { transitionMs: 300, flapMs: 300 });
});
afterAll(async () => {
  await sim?.stop();
});

describe("http display", () => {
  it("serves /api/status and /api/info in the template's shape", async () => {
    const status = await fetch(`${base("lab/display")}/api/status`, {
      headers: { accept: "application/json" },
    });
    expect(status.status).toBe(200);
    const body = (await status.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ power: "on", muted: false });
    expect(typeof body.temperature).toBe("number");
    expect(typeof body.volume).toBe("number");
    expect(body.input).toMatch(/^hdmi-\d$/);
    const info = await (await fetch(`${base("lab/display")}/api/info`)).json();
    expect(Object.keys(info as object).sort()).toEqual([
      "firmware",
      "manufacturer",
      "model",
      "serial",
    ]);
  });

  it("answers 401 without or with wrong basic credentials, 200 with the right ones", async () => {
    const url = `${base("lab/display-auth")}/api/status`;
    expect((await fetch(url)).status).toBe(401);
    const wrong = Buffer.from("admin:nope").toString("base64");
    expect((await fetch(url, { headers: { authorization: `Basic ${wrong}` } })).status).toBe(401);
    const right = Buffer.from("admin:s3cret").toString("base64");
    expect((await fetch(url, { headers: { authorization: `Basic ${right}` } })).status).toBe(200);
  });

  it("powers off through cooling to standby, answers 500 on error, breaks the template when malformed", async () => {
    const statusOf = async () =>
      (await (await fetch(`${base("lab/display")}/api/status`)).json()) as Record<string, unknown>;
    expect((await faults("lab/display", { power: "off" })).status).toBe(200);
    expect((await statusOf()).power).toBe("cooling");
    await eventually(async () => (await statusOf()).power === "standby");

    await faults("lab/display", { error: "backlight failure" });
    const failed = await fetch(`${base("lab/display")}/api/status`);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ error: "backlight failure" });

    await faults("lab/display", { error: null, malformed: true });
    expect((await statusOf()).temperature).toBe("hot");
    const info = await (await fetch(`${base("lab/display")}/api/info`)).text();
    expect(() => JSON.parse(info)).toThrow();

    const after = await reset("lab/display");
    expect(after.body).toMatchObject({ faults: { power: "on", malformed: false } });
    expect((await statusOf()).power).toBe("on");
  });
});

describe("pjlink projector", () => {
  it("greets PJLINK 0 without a password and answers queries", async () => {
    expect(await pjlink("lab/projector", "POWR")).toBe("%1POWR=1");
    expect(await pjlink("lab/projector", "INF1")).toBe("%1INF1=OMNIGLASS");
    expect(await pjlink("lab/projector", "ERST")).toMatch(/^%1ERST=[0-2]{6}$/);
    expect(await pjlink("lab/projector", "LAMP")).toMatch(/^%1LAMP=\d+ 1$/);
    expect(await pjlink("lab/projector", "INPT")).toMatch(/^%1INPT=\d\d$/);
    expect(await pjlink("lab/projector", "AVMT")).toBe("%1AVMT=30");
    expect(await pjlink("lab/projector", "ABCD")).toBe("%1ABCD=ERR1");
  });

  it("several commands on one connection", async () => {
    const c = await converse(port("lab/projector"));
    expect(await c.until(/\r/)).toBe("PJLINK 0\r");
    c.send("%1CLSS ?\r%1INF2 ?\r");
    expect(await c.until(/\r/)).toBe("%1CLSS=1\r");
    expect(await c.until(/\r/)).toBe("%1INF2=OG-P5000 Sim\r");
    c.close();
  });

  it("authenticates with md5(random + password) and answers PJLINK ERRA to a wrong digest", async () => {
    expect(await pjlink("lab/projector-auth", "POWR", "JBMIAProjectorLink")).toBe("%1POWR=1");
    const c = await converse(port("lab/projector-auth"));
    expect(await c.until(/\r/)).toMatch(/^PJLINK 1 [0-9a-f]{8}\r$/);
    c.send(`${"0".repeat(32)}%1POWR ?\r`);
    expect(await c.until(/\r/)).toBe("PJLINK ERRA\r");
    await c.closed();
    // A command without any digest is refused too.
    const d = await converse(port("lab/projector-auth"));
    await d.until(/\r/);
    d.send("%1POWR ?\r");
    expect(await d.until(/\r/)).toBe("PJLINK ERRA\r");
    d.close();
  });

  it("powers off (POWR=2 then 0, ERR3 for input), reports ERST errors and malformed answers", async () => {
    await faults("lab/projector", { power: "off" });
    expect(await pjlink("lab/projector", "POWR")).toBe("%1POWR=2");
    expect(await pjlink("lab/projector", "INPT")).toBe("%1INPT=ERR3");
    await eventually(async () => (await pjlink("lab/projector", "POWR")) === "%1POWR=0");
    await faults("lab/projector", { power: "on" });
    expect(await pjlink("lab/projector", "POWR")).toBe("%1POWR=3");
    expect(await pjlink("lab/projector", "INPT")).toBe("%1INPT=ERR3");
    await eventually(async () => (await pjlink("lab/projector", "POWR")) === "%1POWR=1");

    await faults("lab/projector", { error: "fan" });
    expect(await pjlink("lab/projector", "ERST")).toBe("%1ERST=200000");
    await faults("lab/projector", { error: null, malformed: true });
    expect(await pjlink("lab/projector", "POWR")).toBe("%1POWR=7");
    await reset("lab/projector");
    expect(await pjlink("lab/projector", "POWR")).toBe("%1POWR=1");
  });
});

describe("q-sys core", () => {
  const frame = (message: unknown) => `${JSON.stringify(message)}\0`;
  const read = async (c: Awaited<ReturnType<typeof converse>>) =>
    JSON.parse((await c.until(/\0/)).slice(0, -1)) as Record<string, unknown>;
  const MICS = [
    "Mic1Level",
    "Mic1Mute",
    "Mic2Level",
    "Mic2Mute",
    "Mic3Level",
    "Mic3Mute",
    "Mic4Level",
    "Mic4Mute",
  ];

  it("sends EngineStatus on connect and answers StatusGet and Control.Get, NUL-framed", async () => {
    const c = await converse(port("lab/dsp"));
    const hello = await read(c);
    expect(hello).toMatchObject({
      jsonrpc: "2.0",
      method: "EngineStatus",
      params: { State: "Active" },
    });
    // Two requests in one write, the second split across writes.
    const second = frame({ jsonrpc: "2.0", id: 2, method: "Control.Get", params: MICS });
    c.send(frame({ jsonrpc: "2.0", id: 1, method: "StatusGet", params: 0 }) + second.slice(0, 10));
    const status = await read(c);
    expect(status).toMatchObject({
      id: 1,
      result: { Platform: "Core 110f", State: "Active", Status: { Code: 0, String: "OK" } },
    });
    expect(typeof (status.result as Record<string, unknown>).DesignName).toBe("string");
    c.send(second.slice(10));
    const controls = (await read(c)) as { id: number; result: Record<string, unknown>[] };
    expect(controls.id).toBe(2);
    expect(controls.result.map((control) => control.Name)).toEqual(MICS);
    expect(typeof controls.result[0]!.Value).toBe("number");
    expect([0, 1]).toContain(controls.result[1]!.Value);
    c.send(frame({ jsonrpc: "2.0", id: 3, method: "Control.Get", params: ["Nope"] }));
    expect(await read(c)).toMatchObject({ id: 3, error: { code: 8 } });
    c.send(frame({ jsonrpc: "2.0", id: 4, method: "NoOp", params: {} }));
    expect(await read(c)).toEqual({ jsonrpc: "2.0", id: 4, result: true });
    c.close();
  });

  it("needs a Logon when the Core has a password", async () => {
    const c = await converse(port("lab/dsp-auth"));
    await read(c);
    c.send(frame({ jsonrpc: "2.0", id: 1, method: "StatusGet", params: 0 }));
    expect(await read(c)).toMatchObject({ id: 1, error: { code: 10 } });
    c.send(
      frame({
        jsonrpc: "2.0",
        id: 2,
        method: "Logon",
        params: { User: "monitor", Password: "bad" },
      }),
    );
    expect(await read(c)).toMatchObject({ id: 2, error: { code: 10 } });
    c.send(
      frame({
        jsonrpc: "2.0",
        id: 3,
        method: "Logon",
        params: { User: "monitor", Password: "pw" },
      }),
    );
    expect(await read(c)).toEqual({ jsonrpc: "2.0", id: 3, result: true });
    c.send(frame({ jsonrpc: "2.0", id: 4, method: "StatusGet", params: 0 }));
    expect(await read(c)).toMatchObject({ id: 4, result: { State: "Active" } });
    c.close();
  });

  it("pushes EngineStatus on power changes; reports faults in Status; malformed values", async () => {
    const c = await converse(port("lab/dsp"));
    await read(c);
    await faults("lab/dsp", { power: "off" });
    expect(await read(c)).toMatchObject({ method: "EngineStatus", params: { State: "Standby" } });
    await faults("lab/dsp", { power: "on", error: "Amplifier 2 missing" });
    expect(await read(c)).toMatchObject({ method: "EngineStatus", params: { State: "Idle" } });
    expect(await read(c)).toMatchObject({ method: "EngineStatus", params: { State: "Active" } });
    c.send(frame({ jsonrpc: "2.0", id: 1, method: "StatusGet", params: 0 }));
    expect(await read(c)).toMatchObject({
      result: { Status: { Code: 2, String: "Fault - Amplifier 2 missing" } },
    });
    await faults("lab/dsp", { error: null, malformed: true });
    await read(c); // the EngineStatus the fault change pushes
    c.send(
      frame({ jsonrpc: "2.0", id: 2, method: "Control.Get", params: ["Mic1Level", "Mic1Mute"] }),
    );
    const bad = (await read(c)) as { result: { Value: unknown }[] };
    expect(bad.result[0]!.Value).toBe("loud");
    expect(bad.result[1]!.Value).toBe(2);
    c.close();
    await reset("lab/dsp");
  });
});

describe("video codec", () => {
  it("serves /api/v1/status over HTTPS with a bearer token", async () => {
    const url = `https://127.0.0.1:${port("lab/codec")}/api/v1/status`;
    expect((await httpsGet(url)).status).toBe(401);
    expect((await httpsGet(url, { authorization: "Bearer wrong" })).status).toBe(401);
    const ok = await httpsGet(url, { authorization: "Bearer codec-token-1" });
    expect(ok.status).toBe(200);
    const body = JSON.parse(ok.text) as Record<string, Record<string, unknown>>;
    expect(body.call!.state).toMatch(/^(idle|connecting|connected|disconnecting)$/);
    expect(body.standby!.state).toBe("awake");
    expect(body.peripherals).toEqual({ connected: 3, missing: 0 });
    expect(body.system!.uptime).toBeGreaterThan(600);

    await faults("lab/codec", { power: "off" });
    await eventually(async () => {
      const text = (await httpsGet(url, { authorization: "Bearer codec-token-1" })).text;
      return (JSON.parse(text) as typeof body).standby!.state === "standby";
    });
    await faults("lab/codec", { error: "camera fault" });
    expect((await httpsGet(url, { authorization: "Bearer codec-token-1" })).status).toBe(500);
    await reset("lab/codec");
  });
});

describe("control processor", () => {
  it("prints its prompt and answers the template's commands before it", async () => {
    const c = await converse(port("lab/processor"));
    await c.until(/[A-Za-z0-9_-]+>\s*$/);
    c.send("ver\r\n");
    const ver = await c.until(/[A-Za-z0-9_-]+>\s*$/);
    expect(/\[v(?<version>[0-9][0-9.]*)/.exec(ver)?.groups?.version).toBe("2.8000.00021");
    c.send("uptime\r\n");
    expect(await c.until(/CP4>/)).toMatch(/\d+ days?, \d+ hours?, \d+ minutes?, \d+ seconds?/);
    c.send("progcomments:1\r\n");
    expect(await c.until(/CP4>/)).toMatch(/Program File: processor\.lpz/);
    c.close();
  });

  it("stops listening when powered off and boots with a fresh uptime", async () => {
    await faults("lab/processor", { power: "off" });
    expect(await probe(port("lab/processor"))).toBe("ECONNREFUSED");
    await faults("lab/processor", { power: "on" });
    await eventually(async () => (await probe(port("lab/processor"))) === "connected");
    const c = await converse(port("lab/processor"));
    await c.until(/CP4>/);
    c.send("uptime\r\n");
    expect(await c.until(/CP4>/)).toMatch(/running for 0 days, 0 hours, 0 minutes, \d seconds/);
    c.close();
  });
});

describe("reachability faults", () => {
  it("unreachable refuses connections (and drops open ones), then answers again on the same port", async () => {
    const before = port("lab/projector");
    const open = await converse(before);
    await open.until(/\r/);
    await faults("lab/projector", { unreachable: true });
    await open.closed();
    expect(await probe(before)).toBe("ECONNREFUSED");
    await expect(fetch(`${base("lab/display")}/api/status`)).resolves.toBeTruthy();
    await faults("lab/projector", { unreachable: false });
    expect(port("lab/projector")).toBe(before);
    expect(await pjlink("lab/projector", "POWR")).toBe("%1POWR=1");
  });

  it("flapping alternates refused and answering", async () => {
    await faults("lab/display", { flapping: true });
    const seen = new Set<string>();
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && seen.size < 2) {
      seen.add(await probe(port("lab/display")));
      await new Promise((r) => setTimeout(r, 50));
    }
    expect([...seen].sort()).toEqual(["ECONNREFUSED", "connected"]);
    await faults("lab/display", { flapping: false });
    expect(await probe(port("lab/display"))).toBe("connected");
  });
});

describe("control api", () => {
  it("lists devices with their ports, state and faults; ids may hold slashes", async () => {
    const list = await fetch(`${sim.controlUrl}/devices`);
    const devices = (await list.json()) as { id: string; port: number; faults: object }[];
    expect(devices.map((d) => d.id)).toEqual(FLEET.map((d) => d.id));
    expect(devices.every((d) => d.port > 0)).toBe(true);
    expect((await control("/devices/lab/processor")).body).toMatchObject({
      id: "lab/processor",
      kind: "control-processor",
      faults: { power: "on", unreachable: false, error: null, flapping: false, malformed: false },
    });
  });

  it("rejects bad input naming the field, 404s unknown devices", async () => {
    const bad = await faults("lab/display", { unreachable: "yes" });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/^body\.unreachable: /);
    const unknown = await faults("lab/display", { explode: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toBe("body.explode: unknown field");
    const notJson = await faults("lab/display", "{nope");
    expect(notJson.status).toBe(400);
    expect(notJson.body.detail).toMatch(/^body: not JSON/);
    expect((await faults("no/such", { power: "off" })).status).toBe(404);
    expect((await control("/devices/no-such")).status).toBe(404);
    const wrongMethod = await fetch(`${sim.controlUrl}/devices/lab%2Fdisplay/faults`);
    expect(wrongMethod.status).toBe(405);
  });
});
