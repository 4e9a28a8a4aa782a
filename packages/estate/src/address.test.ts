import { describe, expect, it } from "vitest";
import { kindOf, normalizeRef, templateParts } from "./address";

describe("typed addresses", () => {
  it("normalizes bare shorthand where the field fixes the kind", () => {
    expect(normalizeRef("edge-1", ["node"])).toEqual({ ok: true, address: "node.edge-1" });
    expect(normalizeRef("campus.hq", ["location"])).toEqual({
      ok: true,
      address: "location.campus.hq",
    });
    expect(
      normalizeRef(" generic-display@2 ", ["template"], { templateVersion: "required" }),
    ).toEqual({
      ok: true,
      address: "template.generic-display@2",
    });
    expect(normalizeRef("hot-display", ["rule"])).toEqual({
      ok: true,
      address: "rule.hot-display",
    });
    expect(normalizeRef("operator", ["role"])).toEqual({ ok: true, address: "role.operator" });
  });

  it("keeps a typed address of an accepted kind as it is", () => {
    expect(normalizeRef("node.edge-1", ["node"])).toEqual({ ok: true, address: "node.edge-1" });
    expect(normalizeRef("system.campus.hq.av", ["location", "system"])).toEqual({
      ok: true,
      address: "system.campus.hq.av",
    });
  });

  it("takes a bare name in a member field as relative to the system's location", () => {
    expect(normalizeRef("display-1", ["component"], { relativeTo: "campus.hq.room-1" })).toEqual({
      ok: true,
      address: "component.campus.hq.room-1.display-1",
    });
    // A dotted path is absolute.
    expect(
      normalizeRef("campus.hq.lobby.sign", ["component"], { relativeTo: "campus.hq.room-1" }),
    ).toEqual({
      ok: true,
      address: "component.campus.hq.lobby.sign",
    });
  });

  it("refuses a typed address of another kind, naming the expected kind", () => {
    const result = normalizeRef("location.campus", ["node"]);
    expect(result).toMatchObject({ ok: false, code: "wrong-kind-address" });
    if (result.ok) throw new Error("expected a refusal");
    expect(result.message).toBe(
      "`location.campus` is a location address; this field expects a node",
    );
    expect(result.hint).toContain("node.edge-1");
  });

  it("refuses a bare name where several kinds are accepted: ambiguous", () => {
    const result = normalizeRef("campus.hq", ["location", "system", "component"], {
      words: ["all"],
    });
    expect(result).toMatchObject({ ok: false, code: "ambiguous-address" });
    if (result.ok) throw new Error("expected a refusal");
    expect(result.message).toContain("a location, a system or a component");
    expect(result.hint).toContain("`location.campus.hq`");
    expect(normalizeRef("all", ["location", "system"], { words: ["all"] })).toEqual({
      ok: true,
      address: "all",
    });
  });

  it("checks the body of each kind", () => {
    expect(normalizeRef("Campus", ["location"])).toMatchObject({
      ok: false,
      code: "invalid-value",
    });
    expect(normalizeRef("campus..hq", ["location"])).toMatchObject({
      ok: false,
      code: "invalid-value",
    });
    expect(
      normalizeRef("generic-display", ["template"], { templateVersion: "required" }),
    ).toMatchObject({
      ok: false,
      code: "invalid-value",
      message: expect.stringContaining("names its version"),
    });
    expect(
      normalizeRef("template.generic-display@2", ["template"], { templateVersion: "forbidden" }),
    ).toMatchObject({
      ok: false,
      code: "invalid-value",
    });
    expect(normalizeRef("template.x@0", ["template"])).toMatchObject({
      ok: false,
      code: "invalid-value",
    });
    expect(normalizeRef("node.a.b", ["node"])).toMatchObject({ ok: false, code: "invalid-value" });
  });

  it("reads a leading kind word as the kind (a location named `node` is written typed)", () => {
    expect(kindOf("node.floor-1")).toBe("node");
    expect(kindOf("campus.node")).toBeNull();
    expect(kindOf("node")).toBeNull();
    expect(kindOf("platform")).toBe("platform");
    expect(normalizeRef("location.node.floor-1", ["location"])).toEqual({
      ok: true,
      address: "location.node.floor-1",
    });
    expect(templateParts("template.generic-display@2")).toEqual({
      name: "generic-display",
      version: 2,
    });
  });
});
