import { eq } from "drizzle-orm";
import type { Node } from "@omniglass/contracts";
import type { Actor } from "@omniglass/domain";
import type { Transaction } from "../db";
import type { Check } from "../kit";
import { node } from "../schema";
import { nodeQuery, resolveNode, toNode, type NodeRow } from "./resolve-node";

/** Resolves the node within read scope and locks its row for the rest of the transaction. */
export const lockNode = (tx: Transaction, actor: Actor, ref: string) =>
  resolveNode(tx, actor, ref, { forUpdate: true });

/** The check of `capability` on the node: its location. */
export const onNode = (current: NodeRow, capability: string, action: string): Check => ({
  capability,
  placed: { locationPath: current.locationPath, path: current.locationPath },
  action: `${action} ${current.name}`,
});

export const nodeVersion =
  (expected: number | undefined) =>
  (current: NodeRow): [string, number | undefined, number] => [
    current.name,
    expected,
    current.row.version,
  ];

export const expiryIn = (hours: number) => new Date(Date.now() + hours * 3_600_000);

/** The node `id` as it is now (a writer's read-back). */
export async function readNodeBack(tx: Transaction, id: string): Promise<Node> {
  const [row] = await nodeQuery(tx).where(eq(node.id, id));
  return toNode(row!);
}
