import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "./diagnostics";
import { exportEstate } from "./export";
import { loadEstate, readerOf } from "./load";
import { modelOf, type EstateObject } from "./model";
import { planEstate } from "./plan";
import { renderPlan } from "./render";

/**
 * The example files of docs/guides/estate-as-code.md, read from disk: they validate, and they
 * plan what the guide says they plan, so the guide cannot rot.
 */

const FOLDER = fileURLToPath(new URL("../../../docs/guides/examples/estate/", import.meta.url));
const readFromDisk = (name: string) => {
  try {
    return readFileSync(path.join(FOLDER, name), "utf8");
  } catch {
    return undefined;
  }
};

/** What the server the guide applies to already has: the campus and the registries. */
const CURRENT = modelOf(
  Object.fromEntries(
    [
      "location.campus",
      "template.http-json-display@1",
      "template.video-codec@1",
      "template.qsys-core-dsp@1",
      "system-type.meeting-room",
      "role.operator",
      "principal.alice",
      "principal.bob",
    ].map((address): [string, EstateObject] => [
      address,
      { kind: address.split(".")[0] as "template", existing: true, state: { managed: false } },
    ]),
  ),
);

describe("docs/guides/examples/estate", () => {
  const loaded = loadEstate("estate.yaml", readFromDisk);

  it("validates with no diagnostic", () => {
    expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(loaded.ok).toBe(true);
    expect(loaded.files.map((f) => f.path)).toEqual([
      "estate.yaml",
      "rooms/north.yaml",
      "rooms/south.yaml",
    ]);
  });

  it("rolls the meeting-room standard out to five rooms, the same roles and members in each", () => {
    const systems = Object.entries(loaded.model.objects).filter(([a]) => a.startsWith("system."));
    expect(systems.map(([a]) => a)).toEqual([
      "system.campus.north.n101.av",
      "system.campus.north.n102.av",
      "system.campus.north.n103.av",
      "system.campus.south.s201.av",
      "system.campus.south.s202.av",
    ]);
    const standard = (address: string) => {
      const object = loaded.model.objects[address] as {
        spec: { roles: unknown; members: unknown };
      };
      const room = address.slice("system.".length, -".av".length);
      return {
        roles: object.spec.roles,
        members: JSON.parse(
          JSON.stringify(object.spec.members).replaceAll(room, "ROOM"),
        ) as unknown,
      };
    };
    for (const [address] of systems)
      expect(standard(address)).toEqual(standard("system.campus.north.n101.av"));
    // Relative member names are normalized to the room's own components.
    expect(JSON.stringify(loaded.model.objects["system.campus.south.s202.av"])).toContain(
      "component.campus.south.s202.codec",
    );
  });

  it("plans the creates the guide shows, and its export plans no changes", () => {
    const plan = planEstate(loaded, CURRENT, { baseRevision: "1", planner: "alice" });
    expect(plan.ok).toBe(true);
    expect(plan.diagnostics).toEqual([]);
    expect(plan.summary).toMatchObject({ create: 40, update: 0, replace: 0, delete: 0 });
    expect(plan.summary.byKind.component?.create).toBe(15);
    expect(plan.summary.byKind.system?.create).toBe(5);
    expect(renderPlan(plan)).toContain("campus.north.n101");

    // After the apply the state holds what the files say: planning again changes nothing.
    const applied = modelOf({
      ...CURRENT.objects,
      ...Object.fromEntries(
        Object.entries(loaded.model.objects)
          .filter(([address]) => !(address in CURRENT.objects))
          .map(([address, object]) => [address, { ...object, state: { managed: true } }]),
      ),
    });
    const again = planEstate(loaded, applied, { baseRevision: "2", planner: "alice" });
    expect(again.changes).toEqual([]);
    const exported = exportEstate(applied);
    const reloaded = loadEstate("estate.yaml", readerOf(exported));
    expect(reloaded.ok).toBe(true);
    expect(planEstate(reloaded, applied, { baseRevision: "2", planner: "alice" }).changes).toEqual(
      [],
    );
  });
});
