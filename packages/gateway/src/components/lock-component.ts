import type { Actor } from "@omniglass/domain";
import type { Transaction } from "../db";
import type { Check } from "../kit";
import { resolveComponent, systemIdsOf, type ComponentRow } from "./resolve-component";

/** A component resolved for a change: locked, with the systems it serves (for system grants). */
export type LockedComponent = ComponentRow & { memberOf: string[] };

/** Resolves the component within read scope and locks its row for the rest of the transaction. */
export async function lockComponent(
  tx: Transaction,
  actor: Actor,
  ref: string,
): Promise<LockedComponent> {
  const current = await resolveComponent(tx, actor, ref, { forUpdate: true });
  return { ...current, memberOf: await systemIdsOf(tx, current.row.id) };
}

/** The check of `capability` on the component: its location, or a system grant that carries it. */
export function onComponent(current: LockedComponent, capability: string, action: string): Check {
  return {
    capability,
    placed: {
      locationPath: current.locationPath,
      memberOf: current.memberOf,
      path: current.row.path,
    },
    action,
  };
}

export const placedChecks = (current: LockedComponent, capability: string, action: string) => [
  onComponent(current, capability, action),
];

/** The version check of a component write. */
export const componentVersion =
  (expected: number | undefined) =>
  (current: LockedComponent): [string, number | undefined, number] => [
    current.row.path,
    expected,
    current.row.version,
  ];
