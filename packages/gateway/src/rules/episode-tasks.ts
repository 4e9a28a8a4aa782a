import { ruleAppliesTo, type ComponentFacts } from "./component-facts";
import { needsStoredValues, type EpisodeTask } from "./episode-replay";
import type { ActiveRule, RuleCache } from "./rule-cache";

/** A sample the writer stored (its shape in the writer). */
export interface StoredSample {
  seriesId: number;
  sample: {
    ownerKind: string;
    ownerId: string;
    signal: string;
    instance: string;
    ts: number;
    value: unknown;
  };
}

export const keyOf = (r: string, c: string, i: string) => `${r}|${c}|${i}`;

/** One task per (rule, component, instance) the batch's samples concern, samples in time order. */
export function buildTasks(
  stored: readonly StoredSample[],
  rules: RuleCache,
  facts: ReadonlyMap<string, ComponentFacts>,
): EpisodeTask[] {
  // Per component: the rules that apply to it by signal, and its tasks by instance and rule
  // (no key is built per sample: a batch holds tens of thousands).
  interface Entry {
    facts: ComponentFacts;
    rulesOf: Map<string, ActiveRule[]>;
    tasks: Map<string, Map<ActiveRule, EpisodeTask>>;
  }
  const entries = new Map<string, Entry | null>();
  const out: EpisodeTask[] = [];
  let lastOwner = "";
  let lastEntry: Entry | null | undefined;
  for (const item of stored) {
    const x = item.sample;
    if (x.ownerKind !== "component") continue;
    const candidates = rules.bySignal.get(x.signal);
    if (!candidates) continue;
    let entry = x.ownerId === lastOwner ? lastEntry : entries.get(x.ownerId);
    if (entry === undefined) {
      const c = facts.get(x.ownerId);
      entry = c ? { facts: c, rulesOf: new Map(), tasks: new Map() } : null;
      entries.set(x.ownerId, entry);
    }
    lastOwner = x.ownerId;
    lastEntry = entry;
    if (!entry) continue;
    let applying = entry.rulesOf.get(x.signal);
    if (!applying) {
      applying = candidates.filter((rule) => ruleAppliesTo(rule, entry.facts));
      entry.rulesOf.set(x.signal, applying);
    }
    if (applying.length === 0) continue;
    let byRule = entry.tasks.get(x.instance);
    if (!byRule) entry.tasks.set(x.instance, (byRule = new Map()));
    for (const rule of applying) {
      let task = byRule.get(rule);
      if (!task) {
        const componentId = entry.facts.id;
        task = {
          rule,
          componentId,
          instance: x.instance,
          key: keyOf(rule.id, componentId, x.instance),
          samples: [],
          needsStored: false,
        };
        byRule.set(rule, task);
        out.push(task);
      }
      task.samples.push(item);
    }
  }
  for (const task of out) {
    if (task.samples.length > 1) task.samples.sort((a, b) => a.sample.ts - b.sample.ts);
    task.needsStored = needsStoredValues(task.rule, task.samples);
  }
  return out;
}
