import {
  step,
  type CompiledExpression,
  type EpisodeAction,
  type EpisodeState,
  type RuleContext,
} from "@omniglass/domain";
import type { ActiveRule } from "./rule-cache";

/*
 * The ingest writer's judgement of one episode, in memory: a batch's samples of one (rule,
 * component, instance) stepped through the pure state machine in time order. Run once on the
 * episode as read without a lock (most batches stop there: nothing moves), and again, for the
 * few that move, on the episode as re-read under its row lock.
 */

/** A batch sample of a signal the rule reads (the writer's own object: none is copied). */
export interface RuleSample {
  seriesId: number;
  sample: { signal: string; ts: number; value: unknown };
}

/** A stored current value (what a signal the batch does not carry reads). */
export interface CurrentValue {
  value: unknown;
  ms: number;
  fresh: boolean;
  staleMs: number | null;
  /** The value before the series' first sample of this batch (rules reading `previous`). */
  previous: unknown;
}

export interface EpisodeTask {
  rule: ActiveRule;
  componentId: string;
  instance: string;
  /** `rule|component|instance`. */
  key: string;
  /** Sorted by time. */
  samples: RuleSample[];
  /** Whether some context needs a stored value (a signal absent at the first point, or `previous`). */
  needsStored: boolean;
}

/** An action the replay took, with what proved it. */
export interface ReplayedAction {
  action: Exclude<EpisodeAction, { kind: "none" }>;
  point: number;
  signals: Record<string, unknown>;
}

/** An episode nobody has written yet: ok since the epoch (rows are created when they move). */
export const UNTOUCHED: EpisodeState = { phase: "ok", since: 0 };

/*
 * CEL is deterministic: an expression that reads one signal's value and nothing else (no
 * freshness, age or previous value) gives the same answer for the same value. Most rules are
 * such (reachable == false, link-state == "down", cpu-load > 90) and a fleet repeats a few
 * values, so answers are kept per expression and primitive value, a bounded number of them, for
 * as long as the compiled rule lives (the rule cache drops it when rules change).
 */
const MEMO_MAX = 4_096;
const memos = new WeakMap<CompiledExpression, Map<unknown, boolean | null> | null>();

function memoOf(expression: CompiledExpression): Map<unknown, boolean | null> | null {
  let memo = memos.get(expression);
  if (memo === undefined) {
    memo =
      expression.signals.length === 1 && !/\b(?:fresh|age|previous)\b/.test(expression.source)
        ? new Map()
        : null;
    memos.set(expression, memo);
  }
  return memo;
}

const isPrimitive = (value: unknown) =>
  value === null ||
  typeof value === "number" ||
  typeof value === "string" ||
  typeof value === "boolean";

/** The answer kept for this value (undefined: none kept, or the expression is not memoised). */
function remembered(expression: CompiledExpression, value: unknown): boolean | null | undefined {
  if (value === undefined) return undefined;
  return memoOf(expression)?.get(value);
}

function judge(
  expression: CompiledExpression,
  context: RuleContext,
  value: unknown,
): boolean | null {
  const result = expression.evaluate(context);
  const memo = memoOf(expression);
  if (memo && value !== undefined && isPrimitive(value)) {
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(value, result);
  }
  return result;
}

/** Whether some point's context reads a stored value instead of a batch sample. */
export function needsStoredValues(rule: ActiveRule, samples: readonly RuleSample[]): boolean {
  if (rule.readsPrevious) return true;
  const first = samples[0]?.sample.ts ?? Infinity;
  for (const name of rule.signalList) {
    let seen = false;
    for (const s of samples)
      if (s.sample.signal === name) {
        seen = s.sample.ts === first;
        break;
      }
    if (!seen) return true;
  }
  return false;
}

/**
 * Steps `start` through the task's samples. Points older than the episode's phase are skipped
 * (redelivery, late data). The context at a point: for each signal the rule reads, the newest
 * batch sample at or before it, else the stored current value (`current`, keyed
 * `component|instance|signal`). Written for the hot path (one sample per task, one signal per
 * rule, an answer already known for that value): no map per task, and no context is built
 * unless the expression runs or an action needs the values that proved it.
 */
export function replayEpisode(
  task: EpisodeTask,
  start: EpisodeState,
  current: ReadonlyMap<string, CurrentValue>,
): { state: EpisodeState; actions: ReplayedAction[] } {
  const { rule, samples } = task;
  const names = rule.signalList;
  const single = names.length === 1;
  let state = start;
  let actions: ReplayedAction[] | null = null;
  // Per signal of the rule: the index of its newest sample so far, and of the one before.
  const latest: number[] = single ? [-1] : names.map(() => -1);
  const before: number[] = single ? [-1] : names.map(() => -1);
  const stored = task.needsStored
    ? names.map((name) => current.get(`${task.componentId}|${task.instance}|${name}`))
    : null;
  for (let i = 0; i < samples.length;) {
    const point = samples[i]!.sample.ts;
    for (; i < samples.length && samples[i]!.sample.ts === point; i++) {
      const n = single
        ? samples[i]!.sample.signal === names[0]
          ? 0
          : -1
        : names.indexOf(samples[i]!.sample.signal);
      if (n < 0) continue;
      before[n] = latest[n]!;
      latest[n] = i;
    }
    if (point < state.since) continue;
    // Only what the phase reads is evaluated: fire while ok or pending; clear (or fire, when
    // the rule has no clear) while firing.
    const readsClear = state.phase === "firing" && rule.clear !== null;
    const expression = readsClear ? rule.clear! : rule.fire;
    const memoKey = single && latest[0]! >= 0 ? samples[latest[0]!]!.sample.value : undefined;
    let context: RuleContext | null = null;
    let result = remembered(expression, memoKey);
    if (result === undefined) {
      context = contextAt(task, point, latest, before, stored);
      result = judge(expression, context, memoKey);
    }
    const { next, action } = step(
      state,
      {
        fire: readsClear ? null : result,
        clear: readsClear ? result : null,
        hasClear: rule.clear !== null,
        at: point,
      },
      rule.sustainMs,
    );
    state = next;
    if (action.kind !== "none") {
      context ??= contextAt(task, point, latest, before, stored);
      (actions ??= []).push({ action, point, signals: context.signals });
    }
  }
  return { state, actions: actions ?? [] };
}

function contextAt(
  task: EpisodeTask,
  point: number,
  latest: readonly number[],
  before: readonly number[],
  stored: readonly (CurrentValue | undefined)[] | null,
): RuleContext {
  const { samples } = task;
  const names = task.rule.signalList;
  const context: RuleContext = { signals: {}, fresh: {}, age: {}, previous: {} };
  for (let n = 0; n < names.length; n++) {
    const name = names[n]!;
    const own = latest[n]!;
    const value = stored?.[n];
    if (own >= 0) {
      const s = samples[own]!.sample;
      context.signals[name] = s.value;
      context.fresh[name] = true;
      context.age[name] = Math.max(0, (point - s.ts) / 1000);
      const previous = before[n]! >= 0 ? samples[before[n]!]!.sample.value : value?.previous;
      if (previous !== undefined) context.previous[name] = previous;
    } else if (value) {
      context.signals[name] = value.value;
      context.fresh[name] = value.fresh && (value.staleMs === null || value.staleMs > point);
      context.age[name] = Math.max(0, (point - value.ms) / 1000);
      if (value.previous !== undefined) context.previous[name] = value.previous;
    }
  }
  return context;
}
