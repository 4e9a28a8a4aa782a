import { sql } from "drizzle-orm";
import type { Actor } from "@omniglass/domain";
import {
  kindOf,
  modelOf,
  referencesOf,
  type Address,
  type EstateModel,
  type EstateObject,
} from "@omniglass/estate";
import { readAct } from "./read-model-act";
import { readBindings } from "./read-model-bindings";
import { readComponents } from "./read-model-components";
import { readGrants } from "./read-model-grants";
import { readContext, rows, type Db, type ReadContext } from "./read-model-kit";
import { readLocations } from "./read-model-locations";
import { readNodes } from "./read-model-nodes";
import { readRules } from "./read-model-rules";
import { readSystems } from "./read-model-systems";
import { readWindows } from "./read-model-windows";

export { holdsInlineSecret } from "./read-model-bindings";

export interface ReadModelOptions {
  /** A location path: only what is placed in its subtree (and the registries). */
  subtree?: string;
}

export interface ReadModel {
  model: EstateModel;
  /** Object ids by address (what an apply or drift needs to find the row). */
  ids: Map<Address, string>;
  /** Statements sent (one per object kind, bounded whatever the estate's size). */
  statements: number;
}

/**
 * The current estate model (the `current` side of a plan) from PostgreSQL, in the caller's read
 * scope: locations, systems (roles, members), components (interfaces, node) and nodes the actor
 * may read (each kind under its own `<kind>:read`), plus the registries as `existing` rows —
 * one statement per kind, so 100,000 components read in one pass each. Objects outside the
 * caller's read scope are absent: a scoped caller's plan neither sees nor deletes them.
 *
 * Tags and variables are read too (platform ones only without a subtree), except what the files
 * could not declare: a secret variable no apply wrote (the state holds no reference to write
 * back) and a binding whose key or value the loader takes for an inline secret (a plain
 * `snmp-community`): these stay outside the files — never planned, never deleted by a plan. A
 * secret variable an apply wrote shows the reference it was given, never its value.
 *
 * Custom event rules are read (under `rule:read`, a registry; with a subtree only those scoped
 * inside it); template and built-in rules are the templates', never the files'.
 *
 * Maintenance windows are read in `maintenance:read` scope where they are placed (a template
 * scope is the platform's: only without a subtree).
 *
 * Webhook endpoints and action rules are read in `action:read` scope where placed (an
 * endpoint's secret never: a managed one shows the reference its apply was given), grants of
 * humans and services with `principal:read` on scope all.
 *
 * A location that what was read refers to (a parent, a placement, a binding's or a scope's
 * target) but that is outside the read scope or the subtree is listed as an `existing` stub:
 * its address only (which the referring path already reveals), no fields, never managed — as
 * `exportEstate(…, { subtree })` writes it, so a subtree's import plans with no changes and a
 * plan never creates, changes or deletes it. No statement reads it (every such path exists:
 * the referring row's foreign key holds it).
 */
export async function readEstateModel(
  db: Db,
  actor: Actor,
  options: ReadModelOptions = {},
): Promise<ReadModel> {
  const r = await readContext(db, actor, options.subtree);
  // One file per object family (read-model-<family>.ts), in this order.
  await readLocations(r);
  await readSystems(r);
  await readComponents(r);
  await readNodes(r);
  await readBindings(r);
  await readRules(r);
  await readWindows(r);
  await readAct(r);
  await readGrants(r);
  addLocationStubs(r.objects);
  await readRegistries(r);
  return { model: modelOf(r.objects), ids: r.ids, statements: 16 };
}

/**
 * `existing` stubs for the locations the objects refer to that were not read (outside the read
 * scope or the subtree): the address only, no state (never managed).
 */
function addLocationStubs(objects: Record<Address, EstateObject>) {
  const missing = new Set<Address>();
  for (const [address, object] of Object.entries(objects)) {
    for (const { to } of referencesOf(address, object)) {
      if (objects[to] === undefined && kindOf(to) === "location") missing.add(to);
    }
  }
  for (const address of missing) objects[address] = { kind: "location", existing: true };
}

/** Registries, listed as existing (the plan checks references to them against the state). */
async function readRegistries({ db, objects }: ReadContext): Promise<void> {
  const registries = await rows<{ address: string }>(
    db,
    sql`select 'template.' || name || '@' || version as address from template
        union all select 'system-type.' || name from system_type
        union all select 'role.' || name from role
        union all select 'principal.' || name from principal where kind <> 'node'`,
  );
  for (const r of registries) {
    const kind = r.address.slice(0, r.address.indexOf(".")) as "template";
    objects[r.address] ??= { kind, existing: true };
  }
}
