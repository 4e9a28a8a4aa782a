import { describe, expect, it } from "vitest";
import {
  cascadeFrames,
  locationAncestors,
  resolveCascade,
  type CascadeBinding,
  type CascadeTarget,
} from "./cascade";

const component: CascadeTarget = {
  level: "component",
  path: "campus.hq.floor-1.room-2.display-1",
  locationPath: "campus.hq.floor-1.room-2",
  systems: [
    { path: "campus.hq.floor-1.room-2.av", primary: false },
    { path: "campus.hq.floor-1.room-2.signage", primary: true },
  ],
};

const bind = (
  level: CascadeBinding["level"],
  path: string | null,
  key: string,
  value: unknown,
): CascadeBinding => ({ level, path, key, value });

describe("cascadeFrames", () => {
  it("walks platform, the location tree root first, the primary system, then the component", () => {
    expect(cascadeFrames(component)).toEqual([
      { level: "platform", path: null },
      { level: "location", path: "campus" },
      { level: "location", path: "campus.hq" },
      { level: "location", path: "campus.hq.floor-1" },
      { level: "location", path: "campus.hq.floor-1.room-2" },
      { level: "system", path: "campus.hq.floor-1.room-2.signage" },
      { level: "component", path: "campus.hq.floor-1.room-2.display-1" },
    ]);
  });

  it("skips the system level for a component without a primary system", () => {
    const frames = cascadeFrames({ ...component, systems: [{ path: "x.av", primary: false }] });
    expect(frames.map((f) => f.level)).toEqual([
      "platform",
      "location",
      "location",
      "location",
      "location",
      "component",
    ]);
  });

  it("ends at the target for the platform, a location and a system", () => {
    expect(cascadeFrames({ level: "platform" })).toEqual([{ level: "platform", path: null }]);
    expect(cascadeFrames({ level: "location", path: "a.b" }).map((f) => f.path)).toEqual([
      null,
      "a",
      "a.b",
    ]);
    expect(cascadeFrames({ level: "system", path: "a.b.av", locationPath: "a.b" })).toEqual([
      { level: "platform", path: null },
      { level: "location", path: "a" },
      { level: "location", path: "a.b" },
      { level: "system", path: "a.b.av" },
    ]);
  });

  it("lists a path's ancestors root first", () => {
    expect(locationAncestors("a")).toEqual(["a"]);
    expect(locationAncestors("a.b.c")).toEqual(["a", "a.b", "a.b.c"]);
  });
});

describe("resolveCascade", () => {
  const frames = cascadeFrames(component);

  it("lets the most specific binding win and lists the shadowed most specific first", () => {
    const bindings = [
      bind("platform", null, "env", "prod"),
      bind("location", "campus", "env", "campus"),
      bind("component", component.path, "env", "lab"),
      bind("location", "campus.hq.floor-1", "env", "floor"),
      bind("system", "campus.hq.floor-1.room-2.signage", "env", "signage"),
    ];
    const [env] = resolveCascade(frames, bindings);
    expect(env!.key).toBe("env");
    expect(env!.value).toBe("lab");
    expect(env!.winner.level).toBe("component");
    expect(env!.shadowed.map((b) => b.value)).toEqual(["signage", "floor", "campus", "prod"]);
  });

  it("orders locations by depth, whatever order the bindings come in", () => {
    const bindings = [
      bind("location", "campus.hq", "zone", "hq"),
      bind("location", "campus.hq.floor-1.room-2", "zone", "room"),
      bind("location", "campus", "zone", "campus"),
    ];
    const [zone] = resolveCascade(frames, bindings);
    expect(zone!.value).toBe("room");
    expect(zone!.shadowed.map((b) => b.path)).toEqual(["campus.hq", "campus"]);
  });

  it("takes only the primary system into account", () => {
    const bindings = [
      bind("system", "campus.hq.floor-1.room-2.av", "owner", "av-team"),
      bind("system", "campus.hq.floor-1.room-2.signage", "owner", "signage-team"),
      bind("location", "campus", "owner", "facilities"),
    ];
    const [owner] = resolveCascade(frames, bindings);
    expect(owner!.value).toBe("signage-team");
    expect(owner!.shadowed.map((b) => b.value)).toEqual(["facilities"]);
  });

  it("ignores bindings off the target's cascade: other buildings, deeper locations, other components", () => {
    const bindings = [
      bind("location", "campus.annex", "env", "annex"),
      bind("location", "campus.hq.floor-1.room-2.closet", "env", "closet"),
      bind("component", "campus.hq.floor-1.room-2.display-2", "env", "other"),
    ];
    expect(resolveCascade(frames, bindings)).toEqual([]);
    expect(
      resolveCascade(cascadeFrames({ level: "location", path: "campus.hq" }), bindings),
    ).toEqual([]);
  });

  it("resolves nothing without bindings, and sorts keys", () => {
    expect(resolveCascade(frames, [])).toEqual([]);
    const keys = resolveCascade(frames, [
      bind("platform", null, "b", 2),
      bind("platform", null, "a", { nested: true }),
    ]);
    expect(keys.map((k) => [k.key, k.value, k.shadowed.length])).toEqual([
      ["a", { nested: true }, 0],
      ["b", 2, 0],
    ]);
  });
});
