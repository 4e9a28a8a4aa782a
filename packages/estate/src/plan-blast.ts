import { kindOf, type Address } from "./address";
import { cmp } from "./diagnostics";
import type { EstateObject } from "./model";
import type { BlastRadius } from "./plan-types";
import { referencesOf } from "./references";

/* What a change reaches: the objects that refer to it, directly or transitively. */

export const MAX_DEPENDENTS = 100;

export class Dependents {
  private readonly referrers = new Map<Address, Address[]>();

  constructor(objects: Iterable<[Address, EstateObject]>) {
    for (const [from, object] of objects) {
      for (const { to } of referencesOf(from, object)) {
        const list = this.referrers.get(to);
        if (list) list.push(from);
        else this.referrers.set(to, [from]);
      }
    }
    for (const [to, list] of this.referrers) this.referrers.set(to, [...new Set(list)].sort(cmp));
  }

  direct(address: Address): Address[] {
    return this.referrers.get(address) ?? [];
  }

  transitive(address: Address): Address[] {
    const seen = new Set<Address>([address]);
    const queue = [address];
    while (queue.length > 0) {
      for (const from of this.referrers.get(queue.pop()!) ?? []) {
        if (!seen.has(from)) {
          seen.add(from);
          queue.push(from);
        }
      }
    }
    seen.delete(address);
    return [...seen].sort(cmp);
  }
}

export function blastRadius(all: Address[]): BlastRadius {
  const count = (kinds: string[]) => all.filter((a) => kinds.includes(kindOf(a) ?? "")).length;
  return {
    rules: count(["rule", "window", "action-rule"]),
    grants: count(["grant"]),
    dependents: all.slice(0, MAX_DEPENDENTS),
    dependentCount: all.length,
  };
}
