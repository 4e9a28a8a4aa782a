import {
  bodyOf,
  type ActionRuleSpec,
  type EndpointSpec,
  type GrantSpec,
  parentPath,
  type Address,
  type ComponentSpec,
  type EstateModel,
  type EstatePlan,
  type LocationSpec,
  type NodeSpec,
  type PlannedChange,
  type RuleSpec,
  type SystemSpec,
  type WindowSpec,
} from "@omniglass/estate";
import type { Transaction } from "../db";
import type { HealthSeeds } from "../health/types";
import type { GatewayContext } from "../kit";
import type { SecretKey } from "../secrets";

export const nameOf = (path: string) => path.slice(path.lastIndexOf(".") + 1);

export type Specs = {
  endpoint: EndpointSpec;
  "action-rule": ActionRuleSpec;
  grant: GrantSpec;
  window: WindowSpec;
  rule: RuleSpec;
  location: LocationSpec;
  system: SystemSpec;
  component: ComponentSpec;
  node: NodeSpec;
};
export const specOf = <K extends keyof Specs>(
  model: EstateModel,
  address: Address,
): Specs[K] | undefined => {
  const object = model.objects[address];
  return object && "spec" in object ? (object.spec as Specs[K]) : undefined;
};
export const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** One planned change as its writer sees it (inside the apply's transaction). */
export interface ChangeArgs {
  tx: Transaction;
  ctx: GatewayContext;
  change: PlannedChange;
  desired: EstateModel;
  current: EstateModel;
  ids: Map<Address, string>;
  /** The object's path (the address without its kind). */
  path: string;
  parent: string | null;
  /** A replace is written as an update (rules handle their own replace). */
  op: "create" | "update" | "delete";
  secrets: ApplySecrets;
}

/**
 * What an apply needs for secrets (decision 0013): the values of the `${env:NAME}` references
 * the apply request carried (by NAME; never stored, logged or audited), the server's key to seal
 * them, and where the secrets generated for new endpoints go (answered once).
 */
export interface ApplySecrets {
  supplied: ReadonlyMap<string, string>;
  secretKey: SecretKey | null;
  allowLoopback: boolean;
  generated: { address: Address; secret: string }[];
}

/** The object's spec in the files (`want`) and in the state (`was`). */
export const specsOf = <K extends keyof Specs>({ desired, current, change }: ChangeArgs) => ({
  want: specOf<K>(desired, change.address),
  was: specOf<K>(current, change.address),
});

/**
 * Whose health the apply changed: what it created or updated (and a system's members, before
 * and after), and for what it deleted, the location it was in (and a deleted system's members).
 */
export function healthSeeds(
  plan: EstatePlan,
  desired: EstateModel,
  current: EstateModel,
  ids: Map<Address, string>,
): HealthSeeds {
  const components = new Set<string>();
  const systems = new Set<string>();
  const locations = new Set<string>();
  const add = (address: Address) => {
    const id = ids.get(address);
    if (!id) return;
    if (address.startsWith("component.")) components.add(id);
    else if (address.startsWith("system.")) systems.add(id);
    else if (address.startsWith("location.")) locations.add(id);
  };
  for (const change of plan.changes) {
    if (change.kind !== "location" && change.kind !== "system" && change.kind !== "component")
      continue;
    const deleted = change.operation === "delete";
    if (!deleted) add(change.address);
    else {
      const parent = parentPath(bodyOf(change.address));
      if (parent) add(`location.${parent}`);
    }
    if (change.kind === "system") {
      const members = [
        ...Object.keys(specOf<"system">(desired, change.address)?.members ?? {}),
        ...Object.keys(specOf<"system">(current, change.address)?.members ?? {}),
      ];
      for (const member of members) add(member);
    }
  }
  // Deleted components are gone: seeding them would judge nothing.
  for (const change of plan.changes)
    if (change.operation === "delete") {
      const id = ids.get(change.address);
      if (id) {
        components.delete(id);
        systems.delete(id);
        locations.delete(id);
      }
    }
  return {
    componentIds: [...components],
    systemIds: [...systems],
    locationIds: [...locations],
  };
}
