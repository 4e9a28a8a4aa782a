import { and, eq, type SQL } from "drizzle-orm";
import type { BindingKind, BindingLevel } from "@omniglass/contracts";
import {
  locationScope,
  OmniglassError,
  pathInScope,
  placedInScope,
  type Actor,
  type CascadeTarget,
} from "@omniglass/domain";
import { resolveComponent, componentNotFound, systemIdsOf } from "../components/resolve-component";
import type { Database, Transaction } from "../db";
import { authorize, forbidden, requireEverywhere } from "../kit";
import {
  inScope,
  notFound as locationNotFound,
  resolveLocation,
} from "../locations/resolve-location";
import { estateBinding } from "../schema";
import { resolveSystem, systemNotFound } from "../systems/resolve-system";

/** Something tags and variables bind to, resolved within the actor's read scope. */
export interface BindingTarget {
  level: BindingLevel;
  /** The canonical address: `platform` or `<level>.<path>`. */
  address: string;
  path: string | null;
  id: string | null;
  /** Where it is placed (a location's own path for a location). */
  locationPath: string | null;
  /** A system's own id, for system grants. */
  systemId?: string;
  /** The systems a component serves, for system grants that carry to members. */
  memberOf?: readonly string[];
  cascade: CascadeTarget;
}

export const addressOf = (level: BindingLevel, path: string | null) =>
  level === "platform" ? "platform" : `${level}.${path}`;

/**
 * Resolves a typed address (`platform`, `location.<ref>`, `system.<ref>`, `component.<ref>`).
 * Outside the read scope of `<kind>:read` it is the same 404 as a missing one.
 */
export async function resolveTarget(
  db: Database | Transaction,
  actor: Actor,
  kind: BindingKind,
  address: string,
): Promise<BindingTarget> {
  const readable = locationScope(actor, `${kind}:read`);
  if (address === "platform")
    return {
      level: "platform",
      address,
      path: null,
      id: null,
      locationPath: null,
      cascade: { level: "platform" },
    };
  const dot = address.indexOf(".");
  const level = address.slice(0, dot);
  const ref = address.slice(dot + 1);
  if (dot <= 0 || !ref)
    throw new OmniglassError("INVALID", `${address} is not a target.`, {
      fieldErrors: [
        {
          field: "target",
          message: "platform, location.<ref>, system.<ref> or component.<ref>",
        },
      ],
    });
  switch (level) {
    case "location": {
      const found = await resolveLocation(db, actor, ref);
      if (!pathInScope(readable, found.path)) throw locationNotFound();
      return {
        level: "location",
        address: addressOf("location", found.path),
        path: found.path,
        id: found.id,
        locationPath: found.path,
        cascade: { level: "location", path: found.path },
      };
    }
    case "system": {
      const found = await resolveSystem(db, actor, ref);
      const target = { locationPath: found.locationPath, systemId: found.row.id };
      if (!placedInScope(readable, target)) throw systemNotFound();
      return {
        level: "system",
        address: addressOf("system", found.row.path),
        path: found.row.path,
        id: found.row.id,
        ...target,
        cascade: { level: "system", path: found.row.path, locationPath: found.locationPath },
      };
    }
    case "component": {
      const found = await resolveComponent(db, actor, ref);
      const target = {
        locationPath: found.locationPath,
        memberOf: await systemIdsOf(db, found.row.id),
      };
      if (!placedInScope(readable, target)) throw componentNotFound();
      return {
        level: "component",
        address: addressOf("component", found.row.path),
        path: found.row.path,
        id: found.row.id,
        ...target,
        cascade: {
          level: "component",
          path: found.row.path,
          locationPath: found.locationPath,
          systems: found.primarySystemPath
            ? [{ path: found.primarySystemPath, primary: true }]
            : [],
        },
      };
    }
    default:
      throw new OmniglassError("INVALID", `${level} is not a level tags and variables bind to.`, {
        fieldErrors: [{ field: "target", message: "platform, location, system or component" }],
      });
  }
}

/** 403 unless `capability` reaches the target; the platform needs it on scope all. */
export function assertTargetWritable(
  actor: Actor,
  capability: string,
  target: BindingTarget,
  action: string,
) {
  if (target.level === "platform") return requireEverywhere(actor, capability);
  if (target.level === "location") {
    if (!inScope(actor, capability, target.path!)) throw forbidden(action, target.path!);
    return;
  }
  authorize(actor, [
    {
      capability,
      placed: {
        locationPath: target.locationPath!,
        systemId: target.systemId,
        memberOf: target.memberOf,
        path: target.path!,
      },
      action,
    },
  ]);
}

/** The condition selecting the bindings set directly on the target. */
export function boundTo(target: BindingTarget): SQL {
  const columns = {
    location: estateBinding.locationId,
    system: estateBinding.systemId,
    component: estateBinding.componentId,
  };
  if (target.level === "platform") return eq(estateBinding.level, "platform");
  return and(eq(estateBinding.level, target.level), eq(columns[target.level], target.id!))!;
}

/** The values for the insert of a binding on the target (the exclusive arc). */
export function arcOf(target: BindingTarget) {
  return {
    level: target.level,
    locationId: target.level === "location" ? target.id : null,
    systemId: target.level === "system" ? target.id : null,
    componentId: target.level === "component" ? target.id : null,
  };
}
