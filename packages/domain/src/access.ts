/**
 * Capabilities and scope, pure. A capability is `<resource>:<action>`; a role's permission pattern
 * may use `*` for either part. Only grants whose role carries the capability contribute scope.
 */

export type ScopeOperator = "subtree" | "descendants" | "self";

export interface ActorGrant {
  grantId: string;
  roleName: string;
  permissions: readonly string[];
  scope: GrantScopeOf;
}

/**
 * Where a grant applies: everything, a location (with an operator), or one system — the system and
 * the components serving it. A system scope carries its own path and its location's, so coverage
 * can be decided without a query.
 */
export type GrantScopeOf =
  | { kind: "all" }
  | { kind: "location"; locationId: string; path: string; operator: ScopeOperator }
  | { kind: "system"; systemId: string; path: string; locationPath: string };

export interface Actor {
  id: string;
  kind: "human" | "service" | "node";
  name: string;
  grants: readonly ActorGrant[];
}

const CAPABILITY = /^[a-z][a-z-]*:[a-z][a-z-]*$/;

export function isCapability(value: string): boolean {
  return CAPABILITY.test(value);
}

export function permissionMatches(pattern: string, capability: string): boolean {
  const [patternResource, patternAction] = pattern.split(":");
  const [resource, action] = capability.split(":");
  if (!patternResource || !patternAction || !resource || !action) return false;
  return (
    (patternResource === "*" || patternResource === resource) &&
    (patternAction === "*" || patternAction === action)
  );
}

/** The grants that give `capability` (their scopes are where the actor may use it). */
export function grantsFor(actor: Actor, capability: string): ActorGrant[] {
  return actor.grants.filter((grant) =>
    grant.permissions.some((p) => permissionMatches(p, capability)),
  );
}

export function hasCapability(actor: Actor, capability: string): boolean {
  return grantsFor(actor, capability).length > 0;
}

/** Every capability pattern the actor holds anywhere, for `auth.me`. */
export function permissionsOf(actor: Actor): string[] {
  return [...new Set(actor.grants.flatMap((g) => g.permissions))].sort();
}

/**
 * Where `capability` reaches: everywhere, or the listed location path rules and systems. A location
 * at `path` is covered by a rule when (subtree) it is the path or below it, (descendants) strictly
 * below it, (self) exactly it. Something placed in a location (a system, a component, a node) is
 * covered when its location is, and a system grant covers that system and its member components.
 */
export type LocationScope =
  | { kind: "all" }
  | {
      kind: "paths";
      rules: { path: string; operator: ScopeOperator }[];
      systems: { id: string; path: string }[];
    };

export function locationScope(actor: Actor, capability: string): LocationScope {
  const rules: { path: string; operator: ScopeOperator }[] = [];
  const systems: { id: string; path: string }[] = [];
  for (const grant of grantsFor(actor, capability)) {
    if (grant.scope.kind === "all") return { kind: "all" };
    if (grant.scope.kind === "system")
      systems.push({ id: grant.scope.systemId, path: grant.scope.path });
    else rules.push({ path: grant.scope.path, operator: grant.scope.operator });
  }
  return { kind: "paths", rules, systems };
}

/**
 * Whether something placed in the location at `locationPath`, serving the systems `systemIds`
 * (a system counts as serving itself), is within the scope.
 */
export function placedInScope(
  scope: LocationScope,
  { locationPath, systemIds = [] }: { locationPath: string; systemIds?: readonly string[] },
): boolean {
  if (scope.kind === "all") return true;
  return pathInScope(scope, locationPath) || scope.systems.some((s) => systemIds.includes(s.id));
}

export function pathInScope(scope: LocationScope, path: string): boolean {
  if (scope.kind === "all") return true;
  return scope.rules.some(({ path: root, operator }) => {
    const below = path.startsWith(`${root}.`);
    if (operator === "self") return path === root;
    if (operator === "descendants") return below;
    return path === root || below;
  });
}

/** Whether pattern `outer` allows everything pattern `inner` allows (`*:read` covers `location:read`). */
export function patternCovers(outer: string, inner: string): boolean {
  const [outerResource, outerAction] = outer.split(":");
  const [innerResource, innerAction] = inner.split(":");
  const part = (o?: string, i?: string) => o === "*" || (o !== undefined && o === i);
  return part(outerResource, innerResource) && part(outerAction, innerAction);
}

/** Whether scope `outer` contains every location scope `inner` reaches. */
export function scopeCovers(outer: ActorGrant["scope"], inner: ActorGrant["scope"]): boolean {
  if (outer.kind === "all") return true;
  if (inner.kind === "all") return false;
  if (outer.kind === "system") return inner.kind === "system" && inner.systemId === outer.systemId;
  if (inner.kind === "system") {
    // A location grant covers a system placed within its reach.
    return pathInScope(
      { kind: "paths", rules: [{ path: outer.path, operator: outer.operator }], systems: [] },
      inner.locationPath,
    );
  }
  const at = inner.path === outer.path;
  const below = inner.path.startsWith(`${outer.path}.`);
  switch (outer.operator) {
    case "self":
      return at && inner.operator === "self";
    case "descendants":
      return below || (at && inner.operator === "descendants");
    case "subtree":
      return at || below;
  }
}

/**
 * "Nobody can grant what they do not hold": every permission of the role must be covered by one of
 * the granter's grants whose scope contains the new grant's scope.
 */
export function canDelegate(
  granter: Actor,
  permissions: readonly string[],
  scope: ActorGrant["scope"],
): boolean {
  return permissions.every((permission) =>
    granter.grants.some(
      (g) =>
        scopeCovers(g.scope, scope) &&
        g.permissions.some((held) => patternCovers(held, permission)),
    ),
  );
}
