import { TemplateDocument, type TemplateDocumentInput } from "@omniglass/contracts";
import { describe, expect, it } from "vitest";
import { OmniglassError } from "./errors";
import { compareTemplates, parseDuration, signalsOf } from "./template";

/** A small projector template, version 1, as an author writes it. */
function projector(): TemplateDocumentInput {
  return {
    name: "test-projector",
    version: 1,
    label: "Test projector",
    description: "A PJLink projector for tests.",
    kind: "projector",
    vendor: null,
    model: null,
    interfaces: [
      { name: "pjlink", protocol: "pjlink" },
      { name: "ping", protocol: "icmp" },
    ],
    functions: [
      {
        name: "power",
        interface: "pjlink",
        interval: "30s",
        request: { protocol: "pjlink", command: "POWR" },
        outputs: [
          {
            signal: "power-state",
            from: "value",
            map: { "0": "standby", "1": "on", "2": "cooling", "3": "warming" },
          },
        ],
      },
      {
        name: "errors",
        interface: "pjlink",
        interval: "1m",
        request: { protocol: "pjlink", command: "ERST" },
        outputs: [
          {
            signal: "lamp-status",
            from: "char:1",
            map: { "0": "ok", "1": "warning", "2": "error" },
          },
          {
            signal: "fan-status",
            from: "char:0",
            map: { "0": "ok", "1": "warning", "2": "error" },
          },
        ],
      },
      {
        name: "reachability",
        interface: "ping",
        interval: "15s",
        request: { protocol: "icmp" },
        outputs: [
          { signal: "reachable", from: "reachable" },
          { signal: "round-trip-time", from: "rtt" },
        ],
      },
    ],
    rules: [
      {
        name: "lamp-failed",
        severity: "critical",
        fire: 'signals["lamp-status"] == "error"',
        description: "The lamp has failed.",
      },
    ],
    dependencies: [{ kind: "control-processor", reason: "It switches the projector on." }],
  };
}

function parse(doc: TemplateDocumentInput): TemplateDocument {
  return TemplateDocument.parse(doc);
}

describe("parseDuration", () => {
  it("reads a whole number and a unit", () => {
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("0s")).toBe(0);
  });

  it("rejects anything else as INVALID, quoting the text", () => {
    for (const text of [
      "",
      "30",
      "s",
      "1.5m",
      "-1s",
      "30 s",
      "1d",
      "5M",
      "30s ",
      "9".repeat(30) + "h",
    ]) {
      let caught: unknown;
      try {
        parseDuration(text);
      } catch (error) {
        caught = error;
      }
      expect(caught, text).toBeInstanceOf(OmniglassError);
      expect((caught as OmniglassError).code).toBe("INVALID");
      expect((caught as OmniglassError).message).toContain(`"${text}"`);
    }
  });
});

describe("signalsOf", () => {
  it("lists each signal once, by name, with the function, interface, protocol and interval", () => {
    expect(signalsOf(parse(projector()))).toEqual([
      {
        signal: "fan-status",
        function: "errors",
        interface: "pjlink",
        protocol: "pjlink",
        intervalMs: 60_000,
      },
      {
        signal: "lamp-status",
        function: "errors",
        interface: "pjlink",
        protocol: "pjlink",
        intervalMs: 60_000,
      },
      {
        signal: "power-state",
        function: "power",
        interface: "pjlink",
        protocol: "pjlink",
        intervalMs: 30_000,
      },
      {
        signal: "reachable",
        function: "reachability",
        interface: "ping",
        protocol: "icmp",
        intervalMs: 15_000,
      },
      {
        signal: "round-trip-time",
        function: "reachability",
        interface: "ping",
        protocol: "icmp",
        intervalMs: 15_000,
      },
    ]);
  });

  it("keeps the first function (in document order) for a signal produced twice", () => {
    const doc = projector();
    doc.functions.push({
      name: "power-again",
      interface: "pjlink",
      interval: "5m",
      request: { protocol: "pjlink", command: "POWR" },
      outputs: [{ signal: "power-state", from: "value", map: { "1": "on" } }],
    });
    const power = signalsOf(parse(doc)).filter((item) => item.signal === "power-state");
    expect(power).toEqual([
      {
        signal: "power-state",
        function: "power",
        interface: "pjlink",
        protocol: "pjlink",
        intervalMs: 30_000,
      },
    ]);
  });
});

describe("compareTemplates", () => {
  it("finds nothing between a version and itself", () => {
    const doc = parse(projector());
    expect(compareTemplates(doc, parse(projector()))).toEqual({
      signalsGained: [],
      signalsLost: [],
      interfacesAdded: [],
      interfacesRemoved: [],
      interfacesChanged: [],
      functionsAdded: [],
      functionsRemoved: [],
      functionsChanged: [],
      rulesAdded: [],
      rulesRemoved: [],
      rulesChanged: [],
      dependenciesChanged: false,
    });
  });

  it("ignores key order and defaults written out", () => {
    const before = projector();
    const after = projector();
    after.interfaces[0] = { protocol: "pjlink", port: 4352, name: "pjlink", password: null };
    expect(compareTemplates(parse(before), parse(after)).interfacesChanged).toEqual([]);
  });

  it("names what a new version adds, removes and changes, sorted", () => {
    const before = projector();
    const after = projector();
    after.version = 2;
    // Interfaces: the PJLink port changes; ICMP goes; SNMP arrives.
    after.interfaces = [
      { name: "pjlink", protocol: "pjlink", port: 14352 },
      { name: "snmp", protocol: "snmp" },
    ];
    after.functions = [
      // power: interval changes.
      { ...before.functions[0]!, interval: "10s" },
      // errors: unchanged.
      before.functions[1]!,
      // reachability removed (with its interface); uptime added.
      {
        name: "uptime",
        interface: "snmp",
        interval: "1m",
        request: { protocol: "snmp", operation: "get", oids: ["1.3.6.1.2.1.1.3.0"] },
        outputs: [{ signal: "uptime", from: "1.3.6.1.2.1.1.3.0", scale: 0.01 }],
      },
    ];
    after.rules = [
      { ...before.rules![0]!, for: "1m" },
      {
        name: "fan-failed",
        severity: "critical",
        fire: 'signals["fan-status"] == "error"',
        description: "A fan has failed.",
      },
    ];
    after.dependencies = [
      { kind: "control-processor", reason: "It switches the projector on." },
      { kind: "network-switch", reason: "The projector is on its network." },
    ];

    expect(compareTemplates(parse(before), parse(after))).toEqual({
      signalsGained: ["uptime"],
      signalsLost: ["reachable", "round-trip-time"],
      interfacesAdded: ["snmp"],
      interfacesRemoved: ["ping"],
      interfacesChanged: ["pjlink"],
      functionsAdded: ["uptime"],
      functionsRemoved: ["reachability"],
      functionsChanged: ["power"],
      rulesAdded: ["fan-failed"],
      rulesRemoved: [],
      rulesChanged: ["lamp-failed"],
      dependenciesChanged: true,
    });
    // And back: what is gained one way is lost the other.
    const back = compareTemplates(parse(after), parse(before));
    expect(back.signalsGained).toEqual(["reachable", "round-trip-time"]);
    expect(back.signalsLost).toEqual(["uptime"]);
    expect(back.rulesRemoved).toEqual(["fan-failed"]);
  });

  it("sees a dependency's reason change, but not its order", () => {
    const before = projector();
    before.dependencies!.push({ kind: "network-switch", reason: "Its network." });
    const reordered = projector();
    reordered.dependencies = [...before.dependencies!].reverse();
    expect(compareTemplates(parse(before), parse(reordered)).dependenciesChanged).toBe(false);
    const reworded = projector();
    reworded.dependencies = [{ kind: "control-processor", reason: "Something else." }];
    expect(compareTemplates(parse(projector()), parse(reworded)).dependenciesChanged).toBe(true);
  });
});
