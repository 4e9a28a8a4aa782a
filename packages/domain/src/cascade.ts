/**
 * Tags and variables resolved down the cascade (DESIGN.md §6), pure. A binding sits at one level:
 * the platform, a location, a system or a component. Resolving for a target walks its frames from
 * the least specific to the most: the platform, the target's location tree from the root down, the
 * system (for a component: its primary system only), then the component. For each key the binding
 * on the most specific frame wins; the others are shadowed.
 */

export type CascadeLevel = "platform" | "location" | "system" | "component";

/** One step of the cascade: a level and the dotted path of what sits there (null for the platform). */
export interface CascadeFrame {
  level: CascadeLevel;
  path: string | null;
}

/** What bindings are resolved for: its own path and, for placed things, where it is placed. */
export type CascadeTarget =
  | { level: "platform" }
  | { level: "location"; path: string }
  | { level: "system"; path: string; locationPath: string }
  | {
      level: "component";
      path: string;
      locationPath: string;
      /** The systems it serves; only the primary one takes part in the cascade. */
      systems: readonly { path: string; primary: boolean }[];
    };

export interface CascadeBinding<V = unknown> extends CascadeFrame {
  key: string;
  value: V;
}

export interface ResolvedBinding<V = unknown, B extends CascadeBinding<V> = CascadeBinding<V>> {
  key: string;
  value: V;
  /** The binding that gives the value: the most specific one. */
  winner: B;
  /** The bindings of the same key it overrides, most specific first. */
  shadowed: B[];
}

/** The paths of a location and its ancestors, root first: `a.b.c` → `a`, `a.b`, `a.b.c`. */
export function locationAncestors(path: string): string[] {
  const names = path.split(".");
  return names.map((_, i) => names.slice(0, i + 1).join("."));
}

/** The frames of a target's cascade, least specific first. */
export function cascadeFrames(target: CascadeTarget): CascadeFrame[] {
  const frames: CascadeFrame[] = [{ level: "platform", path: null }];
  if (target.level === "platform") return frames;
  const locationPath = target.level === "location" ? target.path : target.locationPath;
  for (const path of locationAncestors(locationPath)) frames.push({ level: "location", path });
  if (target.level === "system") frames.push({ level: "system", path: target.path });
  if (target.level === "component") {
    const primary = target.systems.find((s) => s.primary);
    if (primary) frames.push({ level: "system", path: primary.path });
    frames.push({ level: "component", path: target.path });
  }
  return frames;
}

const frameKey = (frame: CascadeFrame) => `${frame.level}\u0000${frame.path ?? ""}`;

/**
 * Resolves bindings against a target's frames: one entry per key (sorted by key), the winner and
 * the shadowed most specific first. Bindings on no frame of the target take no part.
 */
export function resolveCascade<V, B extends CascadeBinding<V>>(
  frames: readonly CascadeFrame[],
  bindings: readonly B[],
): ResolvedBinding<V, B>[] {
  const rank = new Map(frames.map((frame, index) => [frameKey(frame), index]));
  const byKey = new Map<string, { rank: number; binding: B }[]>();
  for (const binding of bindings) {
    const at = rank.get(frameKey(binding));
    if (at === undefined) continue;
    const list = byKey.get(binding.key) ?? [];
    list.push({ rank: at, binding });
    byKey.set(binding.key, list);
  }
  return [...byKey.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => {
      const [winner, ...shadowed] = byKey
        .get(key)!
        .sort((a, b) => b.rank - a.rank)
        .map((entry) => entry.binding);
      return { key, value: winner!.value, winner: winner!, shadowed };
    });
}
