import { describe, expect, it } from "vitest";
import { stateOf } from "./__fixtures__/state";
import { loadEstate, readerOf } from "./load";
import { planEstate } from "./plan";
import { renderPlan } from "./render";

const BUILDINGS = 50;
const ROOMS = 50;

/** One building's file: 50 rooms from one room standard, four components each. */
function building(b: number): string {
  const at = `campus.b${b}`;
  const lines = [`locations:\n  ${at}: { type: building }`];
  for (let r = 1; r <= ROOMS; r++) lines.push(`  ${at}.r${r}: { type: room }`);
  lines.push("systems:");
  for (let r = 1; r <= ROOMS; r++) {
    lines.push(
      `  ${at}.r${r}.av:`,
      "    type: meeting-room",
      "    roles: { display: { accepts: [display], impact: outage }, mics: { accepts: [microphone], impact: degraded } }",
      "    members: [{ component: display, role: display, primary: true }, { component: mic-1, role: mics }, { component: mic-2, role: mics }, codec]",
    );
  }
  lines.push("components:");
  for (let r = 1; r <= ROOMS; r++) {
    lines.push(
      `  ${at}.r${r}.display: { template: generic-display@2, address: 10.${b}.${r}.11, node: edge-1 }`,
      `  ${at}.r${r}.codec: { template: generic-codec@1, node: edge-1 }`,
      `  ${at}.r${r}.mic-1: { template: generic-mic@1 }`,
      `  ${at}.r${r}.mic-2: { template: generic-mic@1 }`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function estate(): Record<string, string> {
  const files: Record<string, string> = {
    "estate.yaml": [
      "version: 1",
      "include:",
      ...Array.from({ length: BUILDINGS }, (_, i) => `  - buildings/b${i + 1}.yaml`),
      "locations:\n  campus: { type: campus }",
      "nodes:\n  edge-1: { location: campus }",
      "",
    ].join("\n"),
  };
  for (let b = 1; b <= BUILDINGS; b++) files[`buildings/b${b}.yaml`] = building(b);
  return files;
}

const ms = (start: number) => `${(performance.now() - start).toFixed(0)} ms`;

describe("at scale", () => {
  it("loads and plans 10,000 components, and the summary stays readable", () => {
    let start = performance.now();
    const desired = loadEstate("estate.yaml", readerOf(estate()));
    const loadTime = ms(start);
    expect(desired.diagnostics).toEqual([]);
    const components = Object.keys(desired.model.objects).filter((a) => a.startsWith("component."));
    expect(components).toHaveLength(BUILDINGS * ROOMS * 4);

    // The state: the first half of the buildings applied, one display per room there on an
    // older template; the second half not built yet.
    const applied = Object.fromEntries(
      Object.entries(desired.model.objects)
        .filter(([a]) => !/^(location|system|component)\.campus\.b(2[6-9]|[3-5]\d)(\.|$)/.test(a))
        .map(([a, o]) => [a, structuredClone(o)]),
    );
    for (const [address, object] of Object.entries(applied)) {
      if (address.endsWith(".display") && object.kind === "component" && "spec" in object) {
        object.spec.template = "template.generic-display@1";
      }
    }
    const current = stateOf(applied);
    start = performance.now();
    const plan = planEstate(desired, current, { baseRevision: "1", planner: "alice" });
    const planTime = ms(start);
    start = performance.now();
    const text = renderPlan(plan);
    const renderTime = ms(start);
    console.log(
      `10,000 components: load ${loadTime}, plan ${planTime} (${plan.changes.length} changes), render ${renderTime}, ${text.split("\n").length} lines, plan JSON ${(JSON.stringify(plan).length / 1e6).toFixed(1)} MB`,
    );
    expect(plan.ok).toBe(true);
    expect(plan.summary).toMatchObject({
      create: 25 * (1 + ROOMS * 6),
      update: 25 * ROOMS,
      delete: 0,
    });
    expect(plan.changes[0]!.address).toBe("location.campus.b26");
    const lines = text.split("\n");
    expect(lines.length).toBeLessThan(80);
    // 50 buildings do not fit: the 20 with the most changes, then one line for the rest.
    expect(text).toContain("By location (level 2):\n  campus.b26  +301\n");
    expect(text).toContain("  … and 30 more locations: +1,505 ~1,250\n");
    expect(text).toContain("None of the 8,775 changes is irreversible");
  }, 120_000); // Not a gate: the machine is shared; the figures are printed.
});
