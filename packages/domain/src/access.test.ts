import { describe, expect, it } from "vitest";
import {
  canDelegate,
  grantsFor,
  hasCapability,
  locationScope,
  pathInScope,
  permissionMatches,
  permissionsOf,
  placedInScope,
  carriesToMembers,
  patternCovers,
  scopeCovers,
  type Actor,
} from "./access";

const operatorInHq: Actor = {
  id: "p1",
  kind: "human",
  name: "olga",
  grants: [
    {
      grantId: "g1",
      roleName: "operator",
      permissions: ["*:read", "alarm:acknowledge"],
      scope: { kind: "location", locationId: "l1", path: "campus.hq", operator: "subtree" },
    },
    {
      grantId: "g2",
      roleName: "viewer",
      permissions: ["*:read"],
      scope: { kind: "location", locationId: "l2", path: "campus.annex", operator: "descendants" },
    },
  ],
};

describe("permissions", () => {
  it("match by resource and action with wildcards", () => {
    expect(permissionMatches("*:*", "location:delete")).toBe(true);
    expect(permissionMatches("*:read", "location:read")).toBe(true);
    expect(permissionMatches("*:read", "location:update")).toBe(false);
    expect(permissionMatches("location:*", "location:update")).toBe(true);
    expect(permissionMatches("location:*", "principal:update")).toBe(false);
    expect(permissionMatches("location", "location:read")).toBe(false);
  });

  it("count only the grants whose role carries the action", () => {
    expect(grantsFor(operatorInHq, "location:read").map((g) => g.grantId)).toEqual(["g1", "g2"]);
    expect(grantsFor(operatorInHq, "alarm:acknowledge").map((g) => g.grantId)).toEqual(["g1"]);
    expect(hasCapability(operatorInHq, "location:delete")).toBe(false);
    expect(permissionsOf(operatorInHq)).toEqual(["*:read", "alarm:acknowledge"]);
  });
});

describe("location scope", () => {
  it("follows subtree, descendants and self", () => {
    const read = locationScope(operatorInHq, "location:read");
    expect(pathInScope(read, "campus.hq")).toBe(true);
    expect(pathInScope(read, "campus.hq.floor-3.boardroom")).toBe(true);
    expect(pathInScope(read, "campus.hqx")).toBe(false);
    expect(pathInScope(read, "campus.annex")).toBe(false);
    expect(pathInScope(read, "campus.annex.floor-1")).toBe(true);
    expect(pathInScope(read, "campus")).toBe(false);
    const self = locationScope(
      {
        ...operatorInHq,
        grants: [
          {
            ...operatorInHq.grants[0]!,
            scope: { kind: "location", locationId: "l1", path: "campus.hq", operator: "self" },
          },
        ],
      },
      "location:read",
    );
    expect(pathInScope(self, "campus.hq")).toBe(true);
    expect(pathInScope(self, "campus.hq.floor-1")).toBe(false);
  });

  it("is everything with one grant on all, nothing without a grant", () => {
    const owner: Actor = {
      id: "p0",
      kind: "human",
      name: "root",
      grants: [{ grantId: "g0", roleName: "owner", permissions: ["*:*"], scope: { kind: "all" } }],
    };
    expect(locationScope(owner, "location:delete")).toEqual({ kind: "all" });
    expect(locationScope(operatorInHq, "location:delete")).toEqual({
      kind: "paths",
      rules: [],
      systems: [],
      membersToo: false,
    });
    expect(pathInScope(locationScope(operatorInHq, "location:delete"), "campus.hq")).toBe(false);
  });
});

describe("delegation", () => {
  const hq = {
    kind: "location" as const,
    locationId: "l1",
    path: "campus.hq",
    operator: "subtree" as const,
  };
  const floor = {
    kind: "location" as const,
    locationId: "l3",
    path: "campus.hq.floor-1",
    operator: "subtree" as const,
  };
  const annex = {
    kind: "location" as const,
    locationId: "l2",
    path: "campus.annex",
    operator: "subtree" as const,
  };
  const adminHq: Actor = {
    id: "a",
    kind: "human",
    name: "adm",
    grants: [
      {
        grantId: "g",
        roleName: "admin",
        permissions: ["location:*", "grant:*", "*:read"],
        scope: hq,
      },
    ],
  };

  it("lets a granter pass on what it holds, where it holds it", () => {
    expect(canDelegate(adminHq, ["*:read"], floor)).toBe(true);
    expect(canDelegate(adminHq, ["location:update"], hq)).toBe(true);
  });

  it("refuses more power, or a wider or other scope", () => {
    expect(canDelegate(adminHq, ["*:*"], floor)).toBe(false);
    expect(canDelegate(adminHq, ["principal:create"], floor)).toBe(false);
    expect(canDelegate(adminHq, ["*:read"], annex)).toBe(false);
    expect(canDelegate(adminHq, ["*:read"], { kind: "all" })).toBe(false);
  });

  it("covers patterns and scopes as written", () => {
    expect(patternCovers("*:*", "location:*")).toBe(true);
    expect(patternCovers("location:*", "*:read")).toBe(false);
    expect(patternCovers("*:read", "location:read")).toBe(true);
    expect(scopeCovers({ kind: "all" }, hq)).toBe(true);
    expect(scopeCovers(hq, { kind: "all" })).toBe(false);
    expect(scopeCovers({ ...hq, operator: "self" }, floor)).toBe(false);
    expect(scopeCovers({ ...hq, operator: "descendants" }, floor)).toBe(true);
    expect(scopeCovers({ ...hq, operator: "descendants" }, hq)).toBe(false);
  });
});

describe("system-scoped grants", () => {
  const room = {
    kind: "system" as const,
    systemId: "s1",
    path: "campus.hq.floor-1.boardroom.av",
    locationPath: "campus.hq.floor-1.boardroom",
  };
  const roomOperator: Actor = {
    id: "r",
    kind: "human",
    name: "rob",
    grants: [{ grantId: "g", roleName: "operator", permissions: ["*:read"], scope: room }],
  };

  it("reach the system and its members, not its location", () => {
    const scope = locationScope(roomOperator, "component:read");
    expect(scope).toEqual({
      kind: "paths",
      rules: [],
      systems: [{ id: "s1", path: "campus.hq.floor-1.boardroom.av" }],
      membersToo: true,
    });
    expect(pathInScope(scope, "campus.hq.floor-1.boardroom")).toBe(false);
    expect(placedInScope(scope, { locationPath: "campus.hq.floor-1.boardroom" })).toBe(false);
    expect(
      placedInScope(scope, { locationPath: "campus.hq.floor-1.boardroom", memberOf: ["s1"] }),
    ).toBe(true);
    expect(
      placedInScope(scope, { locationPath: "campus.hq.floor-1.boardroom", systemId: "s1" }),
    ).toBe(true);
    expect(placedInScope(scope, { locationPath: "campus.annex", memberOf: ["s2"] })).toBe(false);
  });

  it("carry reads and field updates to members, never placement verbs", () => {
    const admin: Actor = {
      ...roomOperator,
      grants: [{ grantId: "g", roleName: "admin", permissions: ["*:*"], scope: room }],
    };
    const member = { locationPath: "campus.north", memberOf: ["s1"] };
    for (const capability of ["component:read", "component:update", "tag:update", "sample:push"])
      expect(placedInScope(locationScope(admin, capability), member), capability).toBe(true);
    for (const capability of [
      "component:move",
      "component:rename",
      "component:delete",
      "component:create",
    ]) {
      expect(placedInScope(locationScope(admin, capability), member), capability).toBe(false);
      // The system itself is the grant's own object: every verb reaches it.
      expect(
        placedInScope(locationScope(admin, capability), { locationPath: "x", systemId: "s1" }),
      ).toBe(true);
    }
    expect(carriesToMembers("component:update")).toBe(true);
    expect(carriesToMembers("component:move")).toBe(false);
  });

  it("place things by their location for location grants", () => {
    const scope = locationScope(operatorInHq, "component:read");
    expect(placedInScope(scope, { locationPath: "campus.hq.floor-1" })).toBe(true);
    expect(placedInScope(scope, { locationPath: "campus.annex" })).toBe(false);
    expect(placedInScope(scope, { locationPath: "campus.annex.floor-2" })).toBe(true);
  });

  it("are covered by a location grant over the system's location and by the same system only", () => {
    const hq = {
      kind: "location" as const,
      locationId: "l",
      path: "campus.hq",
      operator: "subtree" as const,
    };
    expect(scopeCovers(hq, room)).toBe(true);
    expect(scopeCovers({ ...hq, path: "campus.annex" }, room)).toBe(false);
    expect(scopeCovers(room, room)).toBe(true);
    expect(scopeCovers(room, { ...room, systemId: "s2" })).toBe(false);
    expect(scopeCovers(room, hq)).toBe(false);
  });
});
