import { describe, expect, it } from "vitest";
import { CAMPUS, ENTRY } from "./__fixtures__/campus";
import { DIAGNOSTIC_CODES, formatDiagnostic, type Diagnostic } from "./diagnostics";
import { isSecretKey, loadEstate, readerOf } from "./load";

/** Loads one entry file (plus more files by path) and returns its diagnostics. */
function diagnose(text: string, more: Record<string, string> = {}): Diagnostic[] {
  return loadEstate("estate.yaml", readerOf({ ...more, "estate.yaml": text })).diagnostics;
}

function only(text: string, more?: Record<string, string>): Diagnostic {
  const diagnostics = diagnose(text, more);
  expect(diagnostics.map(formatDiagnostic)).toHaveLength(1);
  return diagnostics[0]!;
}

const HEAD = "version: 1\nlocations:\n  campus: { type: campus }\n";

describe("loading estate files", () => {
  it("reads the entry file and its includes into a model without diagnostics", () => {
    const loaded = loadEstate("estate.yaml", readerOf(CAMPUS));
    expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(loaded.ok).toBe(true);
    expect(loaded.files.map((f) => f.path)).toEqual([
      "estate.yaml",
      "rooms/north-101.yaml",
      "rooms/north-102.yaml",
    ]);
    const objects = loaded.model.objects;
    expect(Object.keys(objects)).toEqual([...Object.keys(objects)].sort());
    expect(objects["system.campus.north.room-101.av"]).toEqual({
      kind: "system",
      spec: {
        labels: {},
        members: {
          "component.campus.north.room-101.codec-1": { primary: false },
          "component.campus.north.room-101.display-1": { primary: true, role: "display" },
          "component.campus.north.room-101.mic-1": { primary: false, role: "mics" },
          "component.campus.north.room-101.mic-2": { primary: false, role: "mics" },
        },
        metadata: {},
        roles: {
          display: { accepts: ["display"], impact: "outage", quorum: 1 },
          mics: { accepts: ["microphone"], impact: "degraded", quorum: 1 },
        },
        type: "meeting-room",
      },
    });
    expect(objects["component.campus.north.room-101.display-1"]).toMatchObject({
      spec: {
        template: "template.generic-display@2",
        node: "node.edge-north",
        interfaces: { http: { port: 8080 } },
      },
    });
    expect(objects["rule.hot-display"]).toMatchObject({
      spec: {
        ownerKind: "component",
        enabled: true,
        flapThreshold: 4,
        scope: "location.campus.north",
      },
    });
    expect(objects["variable.platform.snmp-community"]).toEqual({
      kind: "variable",
      spec: { secret: { env: "SNMP_COMMUNITY" } },
    });
    expect(objects["variable.platform.poll-interval"]).toEqual({
      kind: "variable",
      spec: { value: 30 },
    });
    expect(objects["tag.location.campus.north.building-code"]).toEqual({
      kind: "tag",
      spec: { value: "N" },
    });
    expect(objects["grant.alice.operator.location.campus.north"]).toEqual({
      kind: "grant",
      spec: {
        operator: "subtree",
        principal: "principal.alice",
        role: "role.operator",
        scope: "location.campus.north",
      },
    });
    expect(loaded.sources["component.campus.north.room-101.mic-2"]).toEqual({
      file: "rooms/north-101.yaml",
      line: 24,
      column: 3,
    });
  });

  it("names a parse error with its file, line and column (syntax)", () => {
    const d = only(`${HEAD}systems: [1,\n`);
    expect(d).toMatchObject({ code: "syntax", file: "estate.yaml", line: 5 });
  });

  it("names an unknown key, where it is and what it probably meant (unknown-key)", () => {
    const d = only(`${HEAD}  campus.hq:\n    type: building\n    lables: { team: av }\n`);
    expect(d).toMatchObject({
      code: "unknown-key",
      file: "estate.yaml",
      line: 6,
      column: 5,
      path: 'locations["campus.hq"].lables',
      hint: "did you mean `labels`?",
    });
    expect(d.message).toContain("a location (locations.<path>)");
    // At the top: `location` is a key of nodes, but here it is a typo of `locations`.
    const top = only(`version: 1\nlocation:\n  campus: { type: campus }\n`);
    expect(top).toMatchObject({ code: "unknown-key", line: 2, column: 1, path: "location" });
    expect(top.hint).toMatch(/^did you mean `locations`\?/);
    // Nothing close: the allowed keys are listed.
    expect(only(`${HEAD}  campus.hq: { type: building, colour: red }\n`).hint).toContain(
      "allowed here: type, label",
    );
  });

  it("says where a key valid elsewhere belongs (misplaced-key)", () => {
    const system = only(`${HEAD}systems:\n  campus.av:\n    type: meeting-room\n    quorum: 2\n`);
    expect(system).toMatchObject({
      code: "misplaced-key",
      line: 7,
      column: 5,
      path: 'systems["campus.av"].quorum',
    });
    expect(system.message).toContain("it belongs in a system role (systems.<path>.roles.<name>)");
    const component = only(
      `${HEAD}components:\n  campus.tv:\n    template: generic-display@2\n    members: [x]\n`,
    );
    expect(component.message).toContain("belongs in a system (systems.<path>)");
    const stub = only(`version: 1\nlocations:\n  campus: { existing: true, type: campus }\n`);
    expect(stub).toMatchObject({ code: "misplaced-key", line: 3, column: 29 });
    expect(stub.message).toContain("cannot be set on an existing location");
  });

  it("refuses a typed address of the wrong kind, naming the expected kind (wrong-kind-address)", () => {
    const d = only(
      `${HEAD}components:\n  campus.tv:\n    template: generic-display@2\n    node: location.campus\n`,
    );
    expect(d).toMatchObject({
      code: "wrong-kind-address",
      line: 7,
      column: 11,
      path: 'components["campus.tv"].node',
      message: "`location.campus` is a location address; this field expects a node",
    });
    expect(only(`${HEAD}nodes:\n  component.x: { location: campus }\n`)).toMatchObject({
      code: "wrong-kind-address",
      line: 5,
    });
  });

  it("refuses a bare name where the kind is not fixed (ambiguous-address)", () => {
    const d = only(
      `${HEAD}rules:\n  hot:\n    severity: warning\n    fire: 'signals["t"] > 1'\n    scope: campus\n`,
    );
    expect(d).toMatchObject({
      code: "ambiguous-address",
      line: 8,
      column: 12,
      path: "rules.hot.scope",
    });
    expect(d.hint).toContain("`location.campus`");
  });

  it("refuses a reference to an object neither declared nor existing (dangling-reference)", () => {
    const text = `${HEAD}systems:\n  campus.av:\n    type: meeting-room\n    members: [tv, campus.lobby.sign]\n`;
    const diagnostics = diagnose(text);
    expect(diagnostics.map((d) => [d.code, d.line, d.column, d.message])).toEqual([
      [
        "dangling-reference",
        7,
        15,
        "refers to `component.campus.tv`, which the files do not declare",
      ],
      [
        "dangling-reference",
        7,
        19,
        "refers to `component.campus.lobby.sign`, which the files do not declare",
      ],
    ]);
    expect(diagnostics[0]!.hint).toContain("components: { campus.tv: { existing: true } }");
    // Marked existing, it resolves; the model holds the stub.
    const fixed = loadEstate(
      "estate.yaml",
      readerOf({
        "estate.yaml": `${text}components:\n  campus.tv: { template: generic-display@2 }\n  campus.lobby.sign: { existing: true }\nlocations:\n  campus.lobby: { existing: true }\n`,
      }),
    );
    // `locations` twice in one file: the second is the same section again, merged key by key.
    expect(fixed.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(fixed.model.objects["component.campus.lobby.sign"]).toEqual({
      kind: "component",
      existing: true,
    });
    // Placement is a reference too: a room whose building is not declared.
    expect(only(`${HEAD}  campus.north.room-1: { type: room }\n`)).toMatchObject({
      code: "dangling-reference",
      line: 4,
      message: "placed in `location.campus.north`, which the files do not declare",
    });
    // A member's role must be one of its system's roles.
    const role = only(
      `${HEAD}components:\n  campus.tv: { template: x@1 }\nsystems:\n  campus.av:\n    type: room\n    members: [{ component: tv, role: dispaly }]\n`,
    );
    expect(role).toMatchObject({
      code: "dangling-reference",
      message: "`dispaly` is not a role of this system",
    });
  });

  it("refuses a secret written inline anywhere (inline-secret)", () => {
    const endpoint = only(
      `${HEAD}webhookEndpoints:\n  pager:\n    url: https://h.example.com/x\n    secret: hunter2hunter2\n`,
    );
    expect(endpoint).toMatchObject({
      code: "inline-secret",
      line: 7,
      column: 13,
      path: "webhookEndpoints.pager.secret",
    });
    expect(endpoint.hint).toContain("${env:NAME}");
    const variable = only(`${HEAD}variables:\n  snmp-community: public\n`);
    expect(variable).toMatchObject({
      code: "inline-secret",
      line: 5,
      path: "variables.snmp-community",
    });
    const credential = only(
      `${HEAD}components:\n  campus.tv:\n    template: x@1\n    interfaces:\n      snmp: { port: 161, password: secret1 }\n`,
    );
    expect(credential).toMatchObject({
      code: "inline-secret",
      path: 'components["campus.tv"].interfaces.snmp.password',
    });
    expect(only(`${HEAD}  campus.x: { type: room, metadata: { apiToken: abc123 } }\n`).code).toBe(
      "inline-secret",
    );
    expect(
      only(`${HEAD}  campus.x: { type: room, labels: { note: whsec_abcdefghijklmnop } }\n`).code,
    ).toBe("inline-secret");
    // References are fine where secrets go, refused elsewhere.
    expect(
      diagnose(
        `${HEAD}variables:\n  snmp-community: { secretRef: snmp-ro }\n  api-token: \${env:API_TOKEN}\n`,
      ),
    ).toEqual([]);
    expect(only(`${HEAD}  campus.x: { type: room, label: "\${env:LABEL}" }\n`)).toMatchObject({
      code: "invalid-value",
    });
    expect(isSecretKey("snmpCommunity")).toBe(true);
    expect(isSecretKey("private_key")).toBe(true);
    expect(isSecretKey("secretRef")).toBe(false);
    expect(isSecretKey("tokenized")).toBe(false);
  });

  it("refuses an object declared twice, in one file or across files (duplicate-object)", () => {
    const across = diagnose(`${HEAD}include: [more.yaml]\n`, {
      "more.yaml": "locations:\n  location.campus: { type: campus }\n",
    });
    expect(across.map((d) => [d.code, d.file, d.line, d.message])).toEqual([
      [
        "duplicate-object",
        "more.yaml",
        2,
        "`location.campus` is declared twice (first at estate.yaml:3:3)",
      ],
    ]);
    expect(only(`${HEAD}  campus: { type: campus }\n`)).toMatchObject({
      code: "duplicate-object",
      line: 4,
    });
    const grants = diagnose(
      `${HEAD}grants:\n  - { principal: alice, role: viewer }\n  - { principal: principal.alice, role: role.viewer, scope: all }\n`,
    );
    expect(grants.map((d) => [d.code, d.line])).toEqual([["duplicate-object", 6]]);
  });

  it("maps a value the schema refuses to its node (invalid-value)", () => {
    const quorum = only(
      `${HEAD}systems:\n  campus.av:\n    type: meeting-room\n    roles:\n      display: { accepts: [display], quorum: -1, impact: outage }\n`,
    );
    expect(quorum).toMatchObject({
      code: "invalid-value",
      line: 8,
      column: 46,
      path: 'systems["campus.av"].roles.display.quorum',
    });
    expect(only(`${HEAD}  campus.hq: { label: HQ }\n`)).toMatchObject({
      code: "invalid-value",
      path: 'locations["campus.hq"].type',
      message: "`type` is required",
    });
    const cel = only(`${HEAD}rules:\n  hot: { severity: warning, fire: 'signals["t"] >' }\n`);
    expect(cel).toMatchObject({ code: "invalid-value", path: "rules.hot.fire" });
    const zone = only(
      `${HEAD}maintenanceWindows:\n  w: { scope: location.campus, dtstart: 2026-03-07T02:30, timeZone: Mars/Olympus, duration: 2h }\n`,
    );
    expect(zone).toMatchObject({ code: "invalid-value", path: "maintenanceWindows.w.timeZone" });
    expect(zone.message).toContain("IANA");
    expect(only(`${HEAD}silenceDefaults: { duration: 9d }\n`)).toMatchObject({
      code: "invalid-value",
      path: "silenceDefaults.duration",
    });
    expect(
      only(`${HEAD}components:\n  campus.tv: { template: generic-display }\n`).message,
    ).toContain("names its version");
    expect(only(`locations:\n  campus: { type: campus }\n`)).toMatchObject({
      code: "invalid-value",
      path: "version",
      line: 1,
    });
  });

  it("refuses a file that includes itself, directly or not (include-cycle)", () => {
    const d = only(`${HEAD}include: [a.yaml]\n`, {
      "a.yaml": "include: [sub/b.yaml]\n",
      "sub/b.yaml": "include: [../estate.yaml]\n",
    });
    expect(d).toMatchObject({
      code: "include-cycle",
      file: "sub/b.yaml",
      line: 1,
      column: 11,
      path: "include[0]",
    });
    expect(d.message).toContain("estate.yaml → a.yaml → sub/b.yaml → estate.yaml");
    // A file included twice (not a cycle) is read once.
    expect(
      diagnose(`${HEAD}include: [a.yaml, b.yaml]\n`, {
        "a.yaml": "include: [c.yaml]\n",
        "b.yaml": "include: [c.yaml]\n",
        "c.yaml": "tags: { x: y }\n",
      }),
    ).toEqual([]);
  });

  it("names an included file that does not exist (include-missing)", () => {
    expect(only(`${HEAD}include: [rooms/gone.yaml]\n`)).toMatchObject({
      code: "include-missing",
      line: 4,
      column: 11,
      message: "included file `rooms/gone.yaml` does not exist",
    });
    expect(loadEstate("nowhere.yaml", readerOf({})).diagnostics).toMatchObject([
      { code: "include-missing", file: "nowhere.yaml" },
    ]);
    expect(only(`${HEAD}include: [/etc/passwd]\n`)).toMatchObject({ code: "invalid-value" });
  });

  it("refuses a format version it does not read (unsupported-version)", () => {
    expect(only("version: 2\n")).toMatchObject({
      code: "unsupported-version",
      line: 1,
      column: 10,
    });
  });

  it("has a test for every diagnostic code", () => {
    // The codes the tests above produce; a new code needs its test.
    expect([...DIAGNOSTIC_CODES].sort()).toEqual(
      [
        "ambiguous-address",
        "dangling-reference",
        "duplicate-object",
        "include-cycle",
        "include-missing",
        "inline-secret",
        "invalid-value",
        "misplaced-key",
        "syntax",
        "unknown-key",
        "unsupported-version",
        "wrong-kind-address",
      ].sort(),
    );
  });

  it("keeps free-form data only under labels and metadata", () => {
    const loaded = loadEstate(
      "estate.yaml",
      readerOf({
        "estate.yaml": `${HEAD}  campus.x: { type: room, labels: { cost-centre: "4711" }, metadata: { seats: 12, av: { vendor: acme } } }\n`,
      }),
    );
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.model.objects["location.campus.x"]).toMatchObject({
      spec: { labels: { "cost-centre": "4711" }, metadata: { av: { vendor: "acme" }, seats: 12 } },
    });
  });

  it("reports every problem of a file, not only the first, in position order", () => {
    const broken = ENTRY.replace("type: building", "tpye: building")
      .replace("severity: warning", "severity: warn")
      .replace("edge-north: { location: campus.north", "edge-north: { location: node.campus");
    const diagnostics = diagnose(broken, CAMPUS);
    expect(diagnostics.map((d) => d.code)).toEqual([
      // `tpye` is unknown, so `type` is missing: both at the key.
      "invalid-value",
      "unknown-key",
      "wrong-kind-address",
      "invalid-value",
    ]);
    const lines = diagnostics.map((d) => d.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});
