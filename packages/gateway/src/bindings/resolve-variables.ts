import { and, eq, inArray, or } from "drizzle-orm";
import { cascadeFrames, locationAncestors, resolveCascade } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { component, estateBinding, location, system } from "../schema";
import { openSecret, type SecretKey } from "../secrets/envelope";

/** A component whose variables are resolved: where it sits in the cascade. */
export interface VariableOwner {
  id: string;
  path: string;
  locationPath: string;
  primarySystemPath: string | null;
}

/**
 * The effective values of `keys` for many components at once, down the cascade (platform →
 * location tree → primary system → component), as strings: a secret opened with the master key,
 * a plain string as it is, any other JSON value serialized. One statement for all of them.
 * "unsafe": no actor, no scope — only for delivering a node its own tasks' credentials. A secret
 * that cannot be opened (no key configured, or sealed under another key) is left out.
 */
export async function unsafeResolveVariables(
  db: Database | Transaction,
  secretKey: SecretKey | null,
  owners: readonly VariableOwner[],
  keys: readonly string[],
): Promise<Map<string, Record<string, string>>> {
  const result = new Map<string, Record<string, string>>(owners.map((o) => [o.id, {}]));
  if (owners.length === 0 || keys.length === 0) return result;
  const locations = [...new Set(owners.flatMap((o) => locationAncestors(o.locationPath)))];
  const systems = [
    ...new Set(owners.map((o) => o.primarySystemPath).filter((p): p is string => p !== null)),
  ];
  const rows = await db
    .select({
      row: estateBinding,
      locationPath: location.path,
      systemPath: system.path,
      componentPath: component.path,
    })
    .from(estateBinding)
    .leftJoin(location, eq(location.id, estateBinding.locationId))
    .leftJoin(system, eq(system.id, estateBinding.systemId))
    .leftJoin(component, eq(component.id, estateBinding.componentId))
    .where(
      and(
        eq(estateBinding.kind, "variable"),
        inArray(estateBinding.key, [...keys]),
        or(
          eq(estateBinding.level, "platform"),
          and(eq(estateBinding.level, "location"), inArray(location.path, locations)),
          systems.length > 0
            ? and(eq(estateBinding.level, "system"), inArray(system.path, systems))
            : undefined,
          and(
            eq(estateBinding.level, "component"),
            inArray(
              estateBinding.componentId,
              owners.map((o) => o.id),
            ),
          ),
        ),
      ),
    );
  const bindings = rows.map((r) => ({
    level: r.row.level,
    path:
      r.row.level === "location"
        ? r.locationPath
        : r.row.level === "system"
          ? r.systemPath
          : r.row.level === "component"
            ? r.componentPath
            : null,
    key: r.row.key,
    value: r.row.value,
    row: r.row,
  }));
  const opened = new Map<string, string | null>();
  const plain = (b: (typeof bindings)[number]): string | null => {
    if (!b.row.secret) return typeof b.value === "string" ? b.value : JSON.stringify(b.value);
    if (!opened.has(b.row.id)) {
      let value: string | null = null;
      if (secretKey && b.row.ciphertext) {
        try {
          value = openSecret(secretKey, b.row.ciphertext, b.row.id);
        } catch {
          value = null;
        }
      }
      opened.set(b.row.id, value);
    }
    return opened.get(b.row.id)!;
  };
  for (const owner of owners) {
    const frames = cascadeFrames({
      level: "component",
      path: owner.path,
      locationPath: owner.locationPath,
      systems: owner.primarySystemPath ? [{ path: owner.primarySystemPath, primary: true }] : [],
    });
    const values = result.get(owner.id)!;
    for (const entry of resolveCascade(frames, bindings)) {
      const value = plain(entry.winner);
      if (value !== null) values[entry.key] = value;
    }
  }
  return result;
}
