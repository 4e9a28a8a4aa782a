import { eq } from "drizzle-orm";
import { OmniglassError, type Actor } from "@omniglass/domain";
import type { Transaction } from "../db";
import type { Check } from "../kit";
import { systemType } from "../schema";
import { resolveSystem, type SystemRow } from "./resolve-system";

/** Resolves the system within read scope and locks its row for the rest of the transaction. */
export const lockSystem = (tx: Transaction, actor: Actor, ref: string) =>
  resolveSystem(tx, actor, ref, { forUpdate: true });

/** The check of `capability` on the system: its location, or a grant on the system itself. */
export function onSystem(current: SystemRow, capability: string, action: string): Check {
  return {
    capability,
    placed: {
      locationPath: current.locationPath,
      systemId: current.row.id,
      path: current.row.path,
    },
    action,
  };
}

export const systemVersion =
  (expected: number | undefined) =>
  (current: SystemRow): [string, number | undefined, number] => [
    current.row.path,
    expected,
    current.row.version,
  ];

export async function typeByName(tx: Transaction, name: string) {
  const [type] = await tx.select().from(systemType).where(eq(systemType.name, name));
  if (!type)
    throw new OmniglassError("INVALID", `No system type ${name}.`, {
      fieldErrors: [{ field: "type", message: "unknown system type" }],
    });
  return type;
}
