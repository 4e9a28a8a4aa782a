import { describe, expect, it } from "vitest";
import {
  grantsFor,
  hasCapability,
  locationScope,
  pathInScope,
  permissionMatches,
  permissionsOf,
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
    expect(locationScope(operatorInHq, "location:delete")).toEqual({ kind: "paths", rules: [] });
    expect(pathInScope(locationScope(operatorInHq, "location:delete"), "campus.hq")).toBe(false);
  });
});
