import {
  bodyOf,
  parentPath,
  type Address,
  type EstateModel,
  type PlannedChange,
} from "@omniglass/estate";
import type { Transaction } from "../db";
import type { GatewayContext } from "../kit";
import { writeActionRule, writeEndpoint } from "./apply-act";
import { writeGrant } from "./apply-grants";
import type { ApplySecrets, ChangeArgs } from "./apply-model";
import { writeComponent, writeLocation, writeNode, writeSystem } from "./apply-objects";
import { writeBinding, writeRule, writeWindow } from "./apply-registries";

/** One change through the API's writer (nested in the apply's transaction as a savepoint). */
export async function runChange(
  tx: Transaction,
  ctx: GatewayContext,
  change: PlannedChange,
  desired: EstateModel,
  current: EstateModel,
  ids: Map<Address, string>,
  secrets: ApplySecrets,
): Promise<string | undefined> {
  const path = bodyOf(change.address);
  const parent = parentPath(path);
  const op = change.operation === "replace" ? "update" : change.operation;
  const args: ChangeArgs = { tx, ctx, change, desired, current, ids, path, parent, op, secrets };
  switch (change.kind) {
    case "location":
      return writeLocation(args);
    case "node":
      return writeNode(args);
    case "component":
      return writeComponent(args);
    case "system":
      return writeSystem(args);
    case "rule":
      return writeRule(args);
    case "window":
      return writeWindow(args);
    case "endpoint":
      return writeEndpoint(args);
    case "action-rule":
      return writeActionRule(args);
    case "grant":
      return writeGrant(args);
    case "tag":
    case "variable":
      return writeBinding(args, change.kind);
    default:
      throw new Error(`${change.kind} is not applied (checked before)`);
  }
}
