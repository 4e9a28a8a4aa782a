import type { Address } from "../address";
import { modelOf, type EstateModel, type EstateObject, type ObjectState } from "../model";

/** The registries a gateway lists in the current model, for the campus fixture. */
export const REGISTRIES: Record<Address, EstateObject> = Object.fromEntries(
  [
    "template.generic-display@1",
    "template.generic-display@2",
    "template.generic-display@3",
    "template.generic-codec@1",
    "template.generic-mic@1",
    "role.operator",
    "role.viewer",
    "principal.alice",
    "principal.itsm",
  ].map((address) => [
    address,
    { kind: address.split(".")[0] as "template", existing: true as const },
  ]),
);

/** A current model as the gateway would build it: these objects, with state, plus registries. */
export function stateOf(
  objects: Record<Address, EstateObject>,
  state: (address: Address) => ObjectState = () => ({ managed: true }),
): EstateModel {
  const out: Record<Address, EstateObject> = { ...REGISTRIES };
  for (const [address, object] of Object.entries(objects)) {
    out[address] = { ...structuredClone(object), state: state(address) };
  }
  return modelOf(out);
}

/** A deterministic shuffle (mulberry32), to prove order does not matter. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The same value with every object's keys inserted in a shuffled order (deep). */
export function shuffleKeys<T>(value: T, seed: number): T {
  if (Array.isArray(value)) return value.map((item, i) => shuffleKeys(item, seed + i)) as T;
  if (value !== null && typeof value === "object") {
    const entries = shuffled(Object.entries(value), seed);
    return Object.fromEntries(entries.map(([k, v], i) => [k, shuffleKeys(v, seed * 31 + i)])) as T;
  }
  return value;
}
