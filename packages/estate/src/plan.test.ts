import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CAMPUS } from "./__fixtures__/campus";
import { shuffleKeys, shuffled, stateOf } from "./__fixtures__/state";
import { digestEstate } from "./digest";
import { formatDiagnostic } from "./diagnostics";
import { loadEstate, readerOf, type LoadedEstate } from "./load";
import { modelOf, type EstateObject } from "./model";
import { planEstate, type EstatePlan } from "./plan";
import { renderPlan } from "./render";

/** Golden files change only with ESTATE_UPDATE_GOLDEN=1; otherwise any difference fails. */
const UPDATE = process.env.ESTATE_UPDATE_GOLDEN === "1";

function golden(name: string, text: string) {
  const file = fileURLToPath(new URL(`./__golden__/${name}`, import.meta.url));
  if (UPDATE || !existsSync(file)) {
    if (!UPDATE) throw new Error(`${name} is missing: run with ESTATE_UPDATE_GOLDEN=1 to write it`);
    writeFileSync(file, text);
  }
  const committed = readFileSync(file, "utf8");
  // JSON is compared as parsed (key order kept), so reformatting the file is not a difference.
  if (name.endsWith(".json"))
    expect(text).toBe(`${JSON.stringify(JSON.parse(committed), null, 2)}\n`);
  else expect(text).toBe(committed);
}

const loaded = (): LoadedEstate => {
  const result = loadEstate("estate.yaml", readerOf(CAMPUS));
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  return result;
};

const ROOM_101 = "campus.north.room-101";

/**
 * The state the golden plan is made against: the campus applied once, then changed — room 102
 * not built yet, a display on an older template, a renamed campus, a rule that was a system
 * rule, an old projector and a tag still managed, a sign made by hand, the pager endpoint and
 * the edge node made through the API, alice's grant on the building itself only.
 */
function goldenState(desired: LoadedEstate) {
  const objects: Record<string, EstateObject> = {};
  for (const [address, object] of Object.entries(desired.model.objects)) {
    if (!address.includes("room-102")) objects[address] = structuredClone(object);
  }
  const spec = <T>(address: string) => (objects[address] as unknown as { spec: T }).spec;
  spec<{ template: string }>(`component.${ROOM_101}.display-1`).template =
    "template.generic-display@1";
  spec<{ label: string }>("location.campus").label = "Old campus";
  spec<{ ownerKind: string }>("rule.hot-display").ownerKind = "system";
  spec<{ label: string }>("node.edge-north").label = "Edge N";
  spec<{ operator: string }>("grant.alice.operator.location.campus.north").operator = "self";
  const component = (template: string): EstateObject => ({
    kind: "component",
    spec: { template, interfaces: {}, labels: {}, metadata: {} },
  });
  objects[`component.${ROOM_101}.old-projector`] = component("template.generic-display@1");
  spec<{ members: Record<string, unknown> }>(`system.${ROOM_101}.av`).members[
    `component.${ROOM_101}.old-projector`
  ] = {
    primary: false,
  };
  objects["tag.location.campus.north.floor-count"] = { kind: "tag", spec: { value: "3" } };
  objects["component.campus.north.lobby-sign"] = component("template.generic-display@2");
  return stateOf(objects, (address) => ({
    managed: !["endpoint.pager", "node.edge-north", "component.campus.north.lobby-sign"].includes(
      address,
    ),
    ...(["rule.hot-display", `component.${ROOM_101}.old-projector`].includes(address)
      ? { hasHistory: true }
      : {}),
  }));
}

const OPTIONS = {
  baseRevision: "1042",
  planner: "alice",
  approvalPolicy: ["irreversible", "access"] as const,
};

const json = (plan: EstatePlan) => `${JSON.stringify(plan, null, 2)}\n`;

describe("planning", () => {
  it("gives the golden plan for a set of changes (JSON and text)", () => {
    const desired = loaded();
    const plan = planEstate(desired, goldenState(desired), OPTIONS);
    expect(plan.ok).toBe(true);
    expect(plan.changes.map((c) => `${c.operation} ${c.address} ${c.reversibility}`)).toEqual([
      "create location.campus.north.room-102 reversible",
      "create component.campus.north.room-102.codec-1 reversible",
      "create component.campus.north.room-102.display-1 reversible",
      "create component.campus.north.room-102.mic-1 reversible",
      "create component.campus.north.room-102.mic-2 reversible",
      "create system.campus.north.room-102.av reversible",
      "update location.campus reversible",
      "update node.edge-north reversible",
      "update component.campus.north.room-101.display-1 recoverable",
      "update system.campus.north.room-101.av recoverable",
      "replace rule.hot-display irreversible",
      "replace grant.alice.operator.location.campus.north reversible",
      "delete tag.location.campus.north.floor-count reversible",
      "delete component.campus.north.room-101.old-projector irreversible",
    ]);
    expect(plan.adopt).toEqual(["endpoint.pager"]);
    expect(plan.unmanaged).toEqual({ count: 1, addresses: ["component.campus.north.lobby-sign"] });
    const projector = plan.changes.find((c) => c.address.endsWith("old-projector"))!;
    expect(projector.blastRadius.dependents).toEqual(["system.campus.north.room-101.av"]);
    expect(projector.approvalsRequired).toEqual(["irreversible"]);
    expect(plan.changes.find((c) => c.kind === "node")).toMatchObject({
      adopt: true,
      fields: [{ path: "label", before: "Edge N", after: "North edge" }],
    });
    expect(plan.approvalsRequired).toEqual([
      { reason: "access", addresses: ["grant.alice.operator.location.campus.north"] },
      {
        reason: "irreversible",
        addresses: ["component.campus.north.room-101.old-projector", "rule.hot-display"],
      },
    ]);
    golden("plan.json", json(plan));
    golden("plan.txt", renderPlan(plan));
  });

  it("is deterministic: the same inputs in any order give byte-identical plans", () => {
    const desired = loaded();
    const current = goldenState(desired);
    const digest = digestEstate(desired.files);
    const reference = json(
      planEstate(desired.model, current, { ...OPTIONS, desiredDigest: digest }),
    );
    for (const seed of [1, 2, 3]) {
      const plan = planEstate(
        { version: 1, objects: shuffleKeys(desired.model.objects, seed) },
        { version: 1, objects: shuffleKeys(current.objects, seed + 100) },
        { ...OPTIONS, desiredDigest: digest },
      );
      expect(json(plan)).toBe(reference);
    }
    expect(json(planEstate(desired, current, OPTIONS))).toBe(reference);
    // Files in another order (includes listed the other way round, sections moved) mean the
    // same model; their digest differs, since the bytes reviewed differ.
    const [first, second] = ["  - rooms/north-101.yaml\n", "  - rooms/north-102.yaml\n"];
    const reordered = loadEstate(
      "estate.yaml",
      readerOf(
        Object.fromEntries(
          shuffled(Object.entries(CAMPUS), 7).map(([path, text]) => [
            path,
            path === "estate.yaml" ? text.replace(`${first}${second}`, `${second}${first}`) : text,
          ]),
        ),
      ),
    );
    expect(JSON.stringify(reordered.model)).toBe(JSON.stringify(desired.model));
    expect(digestEstate(reordered.files)).not.toBe(digest);
  });

  it("changes its id with the base revision or the desired digest", () => {
    const desired = loaded();
    const current = goldenState(desired);
    const a = planEstate(desired, current, OPTIONS);
    expect(planEstate(desired, current, { ...OPTIONS, baseRevision: "1043" }).planId).not.toBe(
      a.planId,
    );
    expect(
      planEstate(desired.model, current, { ...OPTIONS, desiredDigest: "sha256:other" }).planId,
    ).not.toBe(a.planId);
    expect(planEstate(desired, current, { ...OPTIONS, planner: "bob" }).planId).toBe(a.planId);
  });

  it("deletes managed objects in reverse dependency order, and never unmanaged ones", () => {
    const desired = modelOf({});
    const objects: Record<string, EstateObject> = {
      "location.x": { kind: "location", spec: { type: "campus", labels: {}, metadata: {} } },
      "location.x.y": { kind: "location", spec: { type: "room", labels: {}, metadata: {} } },
      "component.x.y.tv": {
        kind: "component",
        spec: { template: "template.generic-display@2", interfaces: {}, labels: {}, metadata: {} },
      },
      "system.x.y.av": {
        kind: "system",
        spec: {
          type: "room",
          roles: {},
          members: { "component.x.y.tv": { primary: true } },
          labels: {},
          metadata: {},
        },
      },
      "location.z": { kind: "location", spec: { type: "campus", labels: {}, metadata: {} } },
    };
    const plan = planEstate(
      desired,
      stateOf(objects, (a) => ({ managed: a !== "location.z" })),
      OPTIONS,
    );
    expect(plan.changes.map((c) => c.address)).toEqual([
      "system.x.y.av",
      "component.x.y.tv",
      "location.x.y",
      "location.x",
    ]);
    expect(
      plan.changes.every((c) => c.operation === "delete" && c.reversibility === "recoverable"),
    ).toBe(true);
    expect(plan.changes.at(-1)!.blastRadius).toMatchObject({
      dependents: ["component.x.y.tv", "location.x.y", "system.x.y.av"],
      dependentCount: 3,
    });
    expect(plan.unmanaged.addresses).toEqual(["location.z"]);
  });

  it("adopts identical unmanaged objects, releases managed ones declared existing", () => {
    const desired = loaded();
    const unmanaged = stateOf(desired.model.objects, () => ({ managed: false }));
    const adopting = planEstate(desired, unmanaged, OPTIONS);
    expect(adopting.changes).toEqual([]);
    expect(adopting.adopt).toHaveLength(Object.keys(desired.model.objects).length);
    const managed = planEstate(desired, stateOf(desired.model.objects), OPTIONS);
    expect(managed.changes).toEqual([]);
    expect(managed.adopt).toEqual([]);
    expect(renderPlan(managed)).toContain("No changes.");
    const stub = loadEstate(
      "estate.yaml",
      readerOf({ "estate.yaml": "version: 1\nlocations:\n  campus: { existing: true }\n" }),
    );
    expect(planEstate(stub, stateOf(desired.model.objects), OPTIONS).release).toEqual([
      "location.campus",
    ]);
  });

  it("checks against the state what validation cannot: registry rows and existing objects", () => {
    const files = {
      "estate.yaml":
        "version: 1\nlocations:\n  campus: { existing: true }\n  campus.x: { type: room }\ncomponents:\n  campus.x.tv: { template: generic-display@9 }\ngrants:\n  - { principal: carol, role: viewer }\n",
    };
    const desired = loadEstate("estate.yaml", readerOf(files));
    expect(desired.ok).toBe(true);
    const plan = planEstate(desired, stateOf({}), OPTIONS);
    expect(plan.ok).toBe(false);
    expect(plan.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
      [
        "dangling-reference",
        3,
        "`location.campus` is declared `existing: true` but the state has no such object",
      ],
      [
        "dangling-reference",
        6,
        "refers to `template.generic-display@9`, which the state does not have",
      ],
      ["dangling-reference", 8, "refers to `principal.carol`, which the state does not have"],
    ]);
    expect(renderPlan(plan)).toContain("NOT APPLICABLE");
  });

  it("plans nothing from files with errors (a partial model must not delete)", () => {
    const desired = loadEstate(
      "estate.yaml",
      readerOf({
        "estate.yaml": "version: 1\nlocations:\n  campus: { type: campus, lables: {} }\n",
      }),
    );
    const plan = planEstate(desired, stateOf(loaded().model.objects), OPTIONS);
    expect(plan.ok).toBe(false);
    expect(plan.changes).toEqual([]);
    expect(plan.diagnostics.map((d) => d.code)).toEqual(["unknown-key"]);
  });
});
