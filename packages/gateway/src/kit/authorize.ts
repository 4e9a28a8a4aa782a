import {
  canDelegate,
  carriedThroughSystem,
  hasCapability,
  isRegistryWrite,
  locationScope,
  OmniglassError,
  pathInScope,
  placedInScope,
  type Actor,
  type ActorGrant,
  type PlacedTarget,
} from "@omniglass/domain";

/**
 * One scope a write needs. Every write states all of them (both ends of a relation) and the kit
 * checks them together, before anything changes:
 * - `placed`: the capability on something placed (a system, a component with its memberships, a node);
 * - `location`: the capability at a location path (creating there, moving there); `where` is what
 *   a refusal names when that is not the path itself (the parent of a location being created);
 * - `everywhere`: the capability on scope all (principals, the platform level), not needed when
 *   `unlessSelf` is the actor itself (anyone may read and update themselves);
 * - `registry`: a registry write (location types, system types, signals, templates, roles), which is
 *   always on scope all — one rule for every registry, see `REGISTRY_RESOURCES`;
 * - `delegate`: giving `permissions` on a scope ("nobody can grant what they do not hold");
 * - `onEvery`: the capability on each of many placed things; the refusal counts those beyond
 *   reach and names none (they may be outside read scope).
 */
export type Check =
  | { capability: string; placed: PlacedTarget & { path: string }; action: string }
  | { capability: string; location: string; action: string; where?: string }
  | { capability: string; everywhere: true; unlessSelf?: string }
  | { capability: string; registry: true }
  | { delegate: ActorGrant["scope"]; permissions: readonly string[]; refusal: string }
  | { capability: string; onEvery: readonly PlacedTarget[]; refusal: (beyond: number) => string };

export function forbidden(action: string, path: string) {
  return new OmniglassError("FORBIDDEN", `You may read ${path} but not ${action} there.`);
}

export function everywhereRefused(capability: string) {
  return new OmniglassError("FORBIDDEN", `This needs the ${capability} permission on scope all.`);
}

function holdsEverywhere(actor: Actor, capability: string) {
  return actor.grants.some(
    (g) => g.scope.kind === "all" && hasCapability({ ...actor, grants: [g] }, capability),
  );
}

/** 403 unless every check passes (the first that fails names itself). */
export function authorize(actor: Actor, checks: readonly Check[]): void {
  for (const check of checks) {
    if ("delegate" in check) {
      if (!canDelegate(actor, check.permissions, check.delegate))
        throw new OmniglassError("FORBIDDEN", check.refusal);
    } else if ("onEvery" in check) {
      const scope = locationScope(actor, check.capability);
      const beyond = check.onEvery.filter((t) => !placedInScope(scope, t)).length;
      if (beyond > 0) throw new OmniglassError("FORBIDDEN", check.refusal(beyond));
    } else if ("registry" in check) {
      if (!isRegistryWrite(check.capability))
        throw new Error(`${check.capability} is not a registry write (REGISTRY_RESOURCES)`);
      if (!holdsEverywhere(actor, check.capability)) throw everywhereRefused(check.capability);
    } else if ("everywhere" in check) {
      if (check.unlessSelf === actor.id) continue;
      if (!holdsEverywhere(actor, check.capability)) throw everywhereRefused(check.capability);
    } else if ("location" in check) {
      if (!pathInScope(locationScope(actor, check.capability), check.location))
        throw forbidden(check.action, check.where ?? check.location);
    } else if (!placedInScope(locationScope(actor, check.capability), check.placed)) {
      throw forbidden(check.action, check.placed.path);
    }
  }
}

/**
 * Platform-wide things (principals, the platform level of tags and variables) are changed only with
 * the capability on scope all: a grant scoped to a location does not reach them (403).
 */
export function requireEverywhere(actor: Actor, capability: string) {
  authorize(actor, [{ capability, everywhere: true }]);
}

/** Every registry write passes here (or through `mutate` with a `registry` check): scope all. */
export function requireRegistryWrite(actor: Actor, capability: string) {
  authorize(actor, [{ capability, registry: true }]);
}

/**
 * The checks of a relation between a system and a component (membership, filling a role): update
 * scope on both ends, and no reach gained — what the actor's grants on the system would carry to
 * the component (docs/decisions/0008), it must already hold on the component.
 */
export function relationChecks(
  actor: Actor,
  system: { id: string; path: string; locationPath: string },
  member: { path: string; locationPath: string; memberOf: readonly string[] },
  action: string,
): Check[] {
  const onMember = (capability: string): Check => ({
    capability,
    placed: { locationPath: member.locationPath, memberOf: member.memberOf, path: member.path },
    action,
  });
  return [
    {
      capability: "system:update",
      placed: { locationPath: system.locationPath, systemId: system.id, path: system.path },
      action,
    },
    onMember("component:update"),
    ...carriedThroughSystem(actor, system.id).map(onMember),
  ];
}
