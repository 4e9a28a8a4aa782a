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
 * What a system grant carries over to the system's member components (docs/decisions/0008):
 * reading them (telemetry is read with `component:read`), changing their fields
 * (`component:update`, their tags and variables) and pushing their readings. Placement verbs (create, rename, move,
 * delete) and anything else stay with the component's location scope: a system grant never lets
 * its holder take a component out of the place where someone else put it.
 */
export const MEMBER_CAPABILITIES = [
  "component:read",
  "component:update",
  "tag:read",
  "tag:update",
  "variable:read",
  "variable:update",
  "sample:push",
] as const;

export function carriesToMembers(capability: string): boolean {
  return (MEMBER_CAPABILITIES as readonly string[]).includes(capability);
}

/**
 * What adding a component to `systemId` would give the actor on it: the member capabilities its
 * grants scoped to that very system carry. Relations must not widen reach, so each of these the
 * actor must already hold on the component (see `placedInScope`).
 */
export function carriedThroughSystem(actor: Actor, systemId: string): string[] {
  return MEMBER_CAPABILITIES.filter((capability) =>
    grantsFor(actor, capability).some(
      (g) => g.scope.kind === "system" && g.scope.systemId === systemId,
    ),
  );
}

/**
 * Where `capability` reaches: everywhere, or the listed location path rules and systems. A location
 * at `path` is covered by a rule when (subtree) it is the path or below it, (descendants) strictly
 * below it, (self) exactly it. Something placed in a location (a system, a component, a node) is
 * covered when its location is; a system grant covers that system, and its member components for
 * the capabilities it carries to them (`membersToo`, see `carriesToMembers`).
 */
export type LocationScope =
  | { kind: "all" }
  | {
      kind: "paths";
      rules: { path: string; operator: ScopeOperator }[];
      systems: { id: string; path: string }[];
      /** Whether the system grants among `systems` reach their member components too. */
      membersToo: boolean;
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
  return { kind: "paths", rules, systems, membersToo: carriesToMembers(capability) };
}

/**
 * Something placed in a location: a system (`systemId`), or a component serving the systems
 * `memberOf`, or anything else placed at `locationPath` (a node).
 */
export interface PlacedTarget {
  locationPath: string;
  systemId?: string;
  memberOf?: readonly string[];
  /** Replaced by `systemId` / `memberOf`, which tell a system from a member. */
  systemIds?: never;
}

/** Whether the placed thing is within the scope (its location, its own system grant, or a carrying one). */
export function placedInScope(scope: LocationScope, target: PlacedTarget): boolean {
  if (scope.kind === "all") return true;
  if (pathInScope(scope, target.locationPath)) return true;
  return scope.systems.some(
    (s) => s.id === target.systemId || (scope.membersToo && (target.memberOf ?? []).includes(s.id)),
  );
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
      {
        kind: "paths",
        rules: [{ path: outer.path, operator: outer.operator }],
        systems: [],
        membersToo: false,
      },
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

/**
 * The platform-wide registries: their rows are not placed anywhere, so writing them needs the
 * capability on scope all (a location or system grant never reaches them). A registry added later
 * (rules, channels…) joins this list, and the security suite checks every write procedure on it.
 */
export const REGISTRY_RESOURCES = [
  "location-type",
  "system-type",
  "signal",
  "template",
  "role",
  "rule",
] as const;

/** Whether `capability` writes a registry (any action but `read` on a registry resource). */
export function isRegistryWrite(capability: string): boolean {
  const [resource, action] = capability.split(":");
  return (REGISTRY_RESOURCES as readonly string[]).includes(resource ?? "") && action !== "read";
}
