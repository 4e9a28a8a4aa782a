import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type SimulatorOptions } from "./device";
import { ControlProcessor } from "./devices/control-processor";
import { HttpDisplay } from "./devices/http-display";
import { erstForError, PjlinkProjector, pjlinkDigest } from "./devices/pjlink-projector";
import { QsysDsp } from "./devices/qsys-dsp";
import { FaultsPatch, parseFleet } from "./fleet";
import { crestronUptime, drift, Power, seededRandom } from "./model";
import { createSelfSigned } from "./self-signed";

/** A device's protocol logic with a hand-driven clock and no socket (start() is not called). */
function clocked(transitionMs = 1000) {
  let t = 1_700_000_000_000;
  const options: SimulatorOptions = { transitionMs, flapMs: 1000, now: () => t };
  return { options, advance: (ms: number) => (t += ms) };
}

describe("power", () => {
  it("warms up and cools down for the transition time, instantly with 0", () => {
    const power = new Power(true);
    power.set("off", 0, 3000);
    expect(power.at(1)).toBe("cooling");
    expect(power.at(2999)).toBe("cooling");
    expect(power.at(3000)).toBe("standby");
    power.set("on", 4000, 3000);
    expect(power.at(4000)).toBe("warming");
    expect(power.isLit(4000)).toBe(true);
    expect(power.at(7000)).toBe("on");
    power.set("off", 8000, 0);
    expect(power.at(8000)).toBe("standby");
  });
});

describe("drift and identity", () => {
  it("relaxes towards its target and stays near it", () => {
    const random = seededRandom("x");
    let value = 20;
    for (let i = 0; i < 600; i++)
      value = drift(value, 42, { tauS: 60, sigma: 0.05, dtS: 1, random });
    expect(value).toBeGreaterThan(39);
    expect(value).toBeLessThan(45);
  });

  it("gives the same sequence for the same seed", () => {
    const a = seededRandom("room-1/display");
    const b = seededRandom("room-1/display");
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(seededRandom("other")()).not.toBe(seededRandom("room-1/display")());
  });

  it("words uptime as Crestron does, matching the template's pattern", () => {
    const text = crestronUptime(3 * 86400 + 3600 + 12 * 60 + 9);
    expect(text).toBe("3 days, 1 hour, 12 minutes, 9 seconds");
    const pattern =
      /(?<days>\d+) days?, (?<hours>\d+) hours?, (?<minutes>\d+) minutes?, (?<seconds>\d+) seconds?/;
    expect(pattern.exec(`The system has been running for ${text}.`)?.groups?.days).toBe("3");
  });
});

describe("fleet and fault validation", () => {
  it("accepts the brief's fleet entries and defaults the host", () => {
    const fleet = parseFleet([{ id: "a", kind: "pjlink-projector", port: 4352, password: "x" }]);
    expect(fleet[0]).toMatchObject({ host: "127.0.0.1", password: "x" });
  });

  it("names the offending field", () => {
    expect(() => parseFleet([{ id: "a", kind: "toaster", port: 1 }])).toThrow(/fleet\.0\.kind/);
    expect(() => parseFleet([{ id: "a", kind: "qsys-dsp", port: 1, host: "10.0.0.1" }])).toThrow(
      /fleet\.0\.host: a loopback/,
    );
    expect(() =>
      parseFleet([
        { id: "a", kind: "qsys-dsp", port: 5000 },
        { id: "a", kind: "qsys-dsp", port: 5000 },
      ]),
    ).toThrow(/fleet\.1\.id: duplicate id a; fleet\.1\.port: duplicate port/);
    const patch = FaultsPatch.safeParse({ unreachable: "yes", bogus: 1 });
    expect(patch.success).toBe(false);
  });
});

describe("pjlink answers", () => {
  it("digests md5(random + password) in lowercase hex", () => {
    // md5("498e4a67" + "JBMIAProjectorLink"), the example of the PJLink specification.
    expect(pjlinkDigest("498e4a67", "JBMIAProjectorLink")).toBe("5d8409bc1c3fa39749434aa3a5c38682");
  });

  it("maps error faults to ERST digits", () => {
    expect(erstForError("lamp")).toBe("020000");
    expect(erstForError("fan-warning")).toBe("100000");
    expect(erstForError("001000")).toBe("001000");
    expect(erstForError("smoke")).toBe("000002");
  });

  it("answers queries, ERR1/ERR2/ERR3, and power transitions", async () => {
    const clock = clocked(1000);
    const projector = new PjlinkProjector(
      { id: "room/projector", kind: "pjlink-projector", port: 0, host: "127.0.0.1" },
      clock.options,
    );
    expect(projector.answer("%1POWR ?")).toBe("%1POWR=1");
    expect(projector.answer("%1INF1 ?")).toBe("%1INF1=OMNIGLASS");
    expect(projector.answer("%1CLSS ?")).toBe("%1CLSS=1");
    expect(projector.answer("%1NAME ?")).toBe("%1NAME=projector");
    expect(projector.answer("%1XYZW ?")).toBe("%1XYZW=ERR1");
    expect(projector.answer("%1POWR 5")).toBe("%1POWR=ERR2");
    expect(projector.answer("%1ERST ?")).toMatch(/^%1ERST=0[01]0000$/);
    expect(projector.answer("%1LAMP ?")).toMatch(/^%1LAMP=\d+ 1$/);
    await projector.applyFaults({ power: "off" });
    expect(projector.answer("%1POWR ?")).toBe("%1POWR=2");
    expect(projector.answer("%1POWR 1")).toBe("%1POWR=ERR3");
    expect(projector.answer("%1INPT ?")).toBe("%1INPT=ERR3");
    clock.advance(1000);
    expect(projector.answer("%1POWR ?")).toBe("%1POWR=0");
    expect(projector.answer("%1LAMP ?")).toMatch(/^%1LAMP=\d+ 0$/);
    await projector.applyFaults({ malformed: true, error: "lamp" });
    expect(projector.answer("%1POWR ?")).toBe("%1POWR=7");
    expect(projector.answer("%1ERST ?")).toBe("%1ERST=020000");
    await projector.stop();
  });

  it("counts lamp hours up while lit", () => {
    const clock = clocked();
    const projector = new PjlinkProjector(
      { id: "p", kind: "pjlink-projector", port: 0, host: "127.0.0.1" },
      clock.options,
    );
    const hours = () => Number(/=(\d+)/.exec(projector.answer("%1LAMP ?"))![1]);
    const before = hours();
    clock.advance(10 * 60_000); // 10 minutes at 60× = 10 lamp hours
    expect(hours() - before).toBe(10);
  });
});

describe("qsys answers", () => {
  it("answers StatusGet and Control.Get in the template's shape; Logon gates with a password", () => {
    const clock = clocked();
    const dsp = new QsysDsp(
      { id: "dsp", kind: "qsys-dsp", port: 0, host: "127.0.0.1", username: "u", password: "p" },
      clock.options,
    );
    const session = { loggedOn: false };
    expect(dsp.answer('{"jsonrpc":"2.0","id":1,"method":"StatusGet","params":0}', session)).toEqual(
      {
        jsonrpc: "2.0",
        id: 1,
        error: { code: 10, message: "Logon required" },
      },
    );
    expect(
      dsp.answer(
        '{"jsonrpc":"2.0","id":2,"method":"Logon","params":{"User":"u","Password":"p"}}',
        session,
      ),
    ).toEqual({ jsonrpc: "2.0", id: 2, result: true });
    const status = dsp.answer('{"jsonrpc":"2.0","id":3,"method":"StatusGet","params":0}', session);
    expect(status).toMatchObject({
      result: { Platform: "Core 110f", State: "Active", Status: { Code: 0, String: "OK" } },
    });
    expect(dsp.answer("{not json", session)).toMatchObject({ error: { code: -32700 } });
    expect(dsp.answer('{"jsonrpc":"2.0","id":4,"method":"Nope"}', session)).toMatchObject({
      error: { code: -32601 },
    });
    expect(dsp.answer('{"jsonrpc":"2.0","method":"NoOp","params":{}}', session)).toBeNull();
  });
});

describe("control processor answers", () => {
  it("answers ver, uptime and progcomments as the template's patterns expect", async () => {
    const clock = clocked();
    const cp = new ControlProcessor(
      { id: "room/cp", kind: "control-processor", port: 0, host: "127.0.0.1" },
      clock.options,
    );
    expect(/\[v(?<version>[0-9][0-9.]*)/.exec(cp.answer("ver"))?.groups?.version).toBe(
      "2.8000.00021",
    );
    expect(cp.answer("progcomments:1")).toMatch(/Program File: cp\.lpz/);
    expect(cp.answer("bogus")).toBe("Bad or Incomplete Command\r\n");
    await cp.applyFaults({ error: "program crashed" });
    expect(cp.answer("progcomments:1")).toBe("No program loaded\r\n");
    await cp.applyFaults({ error: null, malformed: true });
    expect(cp.answer("ver")).not.toMatch(/\[v[0-9]/);
    await cp.stop();
  });
});

describe("self-signed certificate", () => {
  it("is a valid, self-verifying X.509 certificate for 127.0.0.1", () => {
    const { cert } = createSelfSigned();
    const x509 = new X509Certificate(cert);
    expect(x509.subject).toBe("CN=omniglass-simulator");
    expect(x509.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(x509.verify(x509.publicKey)).toBe(true);
  });
});

describe("http display nameplate", () => {
  it("reports the fleet entry's nameplate in /api/info, else the simulator's own", () => {
    const { options } = clocked();
    const [named, own] = parseFleet([
      {
        id: "room/display",
        kind: "http-display",
        port: 0,
        nameplate: { manufacturer: "Samsung", model: "QM85R", serial: "SAM1001" },
      },
      { id: "room/other", kind: "http-display", port: 0 },
    ]);
    expect(new HttpDisplay(named!, options).info()).toMatchObject({
      manufacturer: "Samsung",
      model: "QM85R",
      serial: "SAM1001",
    });
    expect(new HttpDisplay(own!, options).info()).toMatchObject({
      manufacturer: "Omniglass Simulated Displays",
      model: "OG-D55",
    });
    expect(() =>
      parseFleet([{ id: "a", kind: "http-display", port: 0, nameplate: { colour: "red" } }]),
    ).toThrow(/nameplate/);
  });
});
