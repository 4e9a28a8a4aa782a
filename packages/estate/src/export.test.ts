import { describe, expect, it } from "vitest";
import { CAMPUS } from "./__fixtures__/campus";
import { shuffleKeys, stateOf } from "./__fixtures__/state";
import { formatDiagnostic } from "./diagnostics";
import { exportableModel, exportEstate, selectSubtree } from "./export";
import { loadEstate, readerOf, type EstateFile } from "./load";
import { modelOf, type EstateModel } from "./model";
import { planEstate } from "./plan";

function reload(files: EstateFile[]) {
  const loaded = loadEstate("estate.yaml", readerOf(files));
  expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([]);
  return loaded.model;
}

const campus = () => loadEstate("estate.yaml", readerOf(CAMPUS)).model;

/** Everything the format can say, with nothing left at its default. */
const EVERYTHING = `version: 1
tags: { region: emea }
variables:
  snmp-community: { secretRef: snmp-ro }
  poll: { every: 30, retries: [1, 2] }
locations:
  location.node: { type: campus, label: "Node: the campus", labels: { cost-centre: "4711" }, metadata: { seats: 12 } }
  location.node.b1: { type: building, variables: { api-key: "\${env:B1_KEY}" } }
  elsewhere: { existing: true, tags: { owner: facilities } }
nodes:
  edge-1: { location: location.node.b1, label: Edge 1 }
components:
  component.node.b1.tv:
    template: generic-display@2
    label: TV
    vendor: Acme
    model: X1
    serial: SN-1
    mac: 00-1A-2B-3C-4D-5E
    address: 10.0.0.5
    node: edge-1
    interfaces:
      http: { node: edge-1, host: tv.local, port: 8080 }
  elsewhere.speaker: { template: generic-mic@1 }
systems:
  system.node.b1.av:
    type: meeting-room
    label: AV
    roles:
      display: { label: Display, accepts: [projector, display], quorum: 2, impact: degraded }
    members:
      - { component: tv, role: display }
      - { component: elsewhere.speaker, primary: true }
rules:
  system-down:
    ownerKind: system
    label: System down
    description: A system lost its quorum
    severity: critical
    fire: verdict == "outage"
    clear: verdict == "healthy"
    scope: location.node
    enabled: false
    flapWindowSeconds: 60
    flapThreshold: 3
  template-rule: { existing: true }
maintenanceWindows:
  patching:
    label: Patching
    description: Monthly
    scope: template.generic-display
    dtstart: 2026-03-07T02:30
    timeZone: europe/london
    duration: 90m
    rrule: FREQ=MONTHLY;BYMONTHDAY=1
    enabled: false
silenceDefaults: { maxDuration: 72h }
actionRules:
  page:
    label: Page
    enabled: false
    scope: system.node.b1.av
    matchers: { severities: [warning, critical], rules: [template-rule, system-down], kinds: [resolved, opened], suppressed: any, acknowledged: false }
    endpoints: [pager, itsm]
webhookEndpoints:
  pager: { label: Pager, url: https://h.example.com/p, location: location.node, enabled: false, secret: { secretRef: pager } }
  itsm: { existing: true }
grants:
  - { principal: alice, role: operator, scope: location.node.b1, operator: self }
  - { principal: bob, role: viewer, scope: system.node.b1.av }
`;

describe("import (export to files)", () => {
  it("round-trips the campus exactly", () => {
    const model = campus();
    expect(reload(exportEstate(model))).toEqual(model);
    expect(JSON.stringify(reload(exportEstate(model)))).toBe(JSON.stringify(model));
  });

  it("round-trips everything the format says, references written bare only where safe", () => {
    const loaded = loadEstate("estate.yaml", readerOf({ "estate.yaml": EVERYTHING }));
    expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([]);
    const model = loaded.model;
    const [file] = exportEstate(model);
    expect(reload([file!])).toEqual(model);
    // A path whose first name is a kind word is written typed (a lone name is safe bare); a
    // member is written by its name when it is in the system's location.
    expect(file!.text).toContain("  node:\n    type: campus\n");
    expect(file!.text).toContain("  location.node.b1:\n");
    expect(file!.text).toContain("component: tv");
    expect(file!.text).toContain("accepts: [display, projector]");
    expect(model.objects["component.node.b1.tv"]).toMatchObject({
      spec: { mac: "00:1a:2b:3c:4d:5e" },
    });
    expect(model.objects["window.patching"]).toMatchObject({ spec: { timeZone: "Europe/London" } });
  });

  it("round-trips a subtree, with what it refers to outside as existing stubs", () => {
    const model = campus();
    const root = "location.campus.north.room-101";
    const files = exportEstate(model, { subtree: root });
    const back = reload(files);
    expect(back).toEqual(selectSubtree(model, root));
    expect(back.objects["location.campus.north"]).toEqual({ kind: "location", existing: true });
    expect(back.objects["node.edge-north"]).toEqual({ kind: "node", existing: true });
    expect(Object.keys(back.objects).filter((a) => a.includes("room-102"))).toEqual([]);
    expect(files[0]!.text).toContain("# Subtree: location.campus.north.room-101");
    // The building's subtree takes its rule, window and the grant scoped there, and the tag.
    const north = selectSubtree(model, "location.campus.north");
    expect(Object.keys(north.objects)).toEqual(
      expect.arrayContaining([
        "rule.hot-display",
        "window.north-saturday",
        "grant.alice.operator.location.campus.north",
        "tag.location.campus.north.building-code",
      ]),
    );
    expect(reload(exportEstate(model, { subtree: "location.campus.north" }))).toEqual(north);
  });

  it("writes the same bytes whatever the order of the model", () => {
    const model = campus();
    const text = exportEstate(model)[0]!.text;
    const shuffledModel: EstateModel = { version: 1, objects: shuffleKeys(model.objects, 5) };
    expect(exportEstate(shuffledModel)[0]!.text).toBe(text);
  });

  it("imports today's state so that planning the files shows no changes", () => {
    const state = stateOf(campus().objects);
    const files = exportEstate(state);
    const desired = loadEstate("estate.yaml", readerOf(files));
    expect(desired.model).toEqual(exportableModel(state));
    const plan = planEstate(desired, state, { baseRevision: "7", planner: "alice" });
    expect(plan.ok).toBe(true);
    expect(plan.changes).toEqual([]);
    expect(plan.adopt).toEqual([]);
    // Objects made through the API: the first plan of the import adopts them, changes nothing.
    const unmanaged = stateOf(campus().objects, () => ({ managed: false }));
    const adopting = planEstate(
      loadEstate("estate.yaml", readerOf(exportEstate(unmanaged))),
      unmanaged,
      {
        baseRevision: "7",
        planner: "alice",
      },
    );
    expect(adopting.changes).toEqual([]);
    expect(adopting.adopt.length).toBe(Object.keys(campus().objects).length);
    expect(modelOf({})).toEqual(reload(exportEstate(modelOf({}))));
  });

  it("keeps grants of one role on one scope to different principals apart: each its own address, planned and round-tripped", () => {
    const text = `version: 1
locations:
  campus: { type: campus }
grants:
  - { principal: alice, role: operator, scope: location.campus }
  - { principal: itsm, role: operator, scope: location.campus }
  - { principal: alice, role: viewer }
  - { principal: itsm, role: viewer }
`;
    const loaded = loadEstate("estate.yaml", readerOf({ "estate.yaml": text }));
    expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([]);
    const grants = Object.keys(loaded.model.objects).filter((a) => a.startsWith("grant."));
    expect(grants).toEqual([
      "grant.alice.operator.location.campus",
      "grant.alice.viewer.all",
      "grant.itsm.operator.location.campus",
      "grant.itsm.viewer.all",
    ]);
    expect(loaded.model.objects["grant.itsm.operator.location.campus"]).toMatchObject({
      spec: { principal: "principal.itsm", role: "role.operator", scope: "location.campus" },
    });
    const created = planEstate(loaded, stateOf({}), { baseRevision: "1", planner: "bob" });
    expect(created.changes.filter((c) => c.kind === "grant").map((c) => c.address)).toEqual(grants);
    // Today's state holding the four: the import writes them all and plans no change.
    const state = stateOf(loaded.model.objects);
    const files = exportEstate(state);
    expect(reload(files)).toEqual(exportableModel(state));
    expect(
      planEstate(loadEstate("estate.yaml", readerOf(files)), state, {
        baseRevision: "1",
        planner: "bob",
      }).changes,
    ).toEqual([]);
  });
});
