/**
 * The life of one (rule, owner, instance) condition, pure: an evaluation of the rule's fire and
 * clear expressions (or the clock saying a sustain period ended) moves it between `ok`, `pending`
 * (firing, waiting out the sustain period) and `firing` (its alarm is open). Acknowledgement and
 * suppression are other facts, kept elsewhere: nothing here reads or changes them.
 */
export type EpisodePhase = "ok" | "pending" | "firing";

export interface EpisodeState {
  phase: EpisodePhase;
  /** When the current phase began (ms); for `pending`, when the fire condition first held. */
  since: number;
}

export interface Evaluation {
  /** The fire expression: true, false, or null (undecided: a value it reads is absent). */
  fire: boolean | null;
  /** The clear expression, or null when the rule has none (then: fire is false). */
  clear: boolean | null;
  hasClear: boolean;
  at: number;
}

export type EpisodeAction =
  | { kind: "none" }
  | { kind: "pend"; dueAt: number }
  | { kind: "cancel" }
  | { kind: "open"; at: number }
  | { kind: "resolve"; at: number };

export const OK: EpisodeState = { phase: "ok", since: 0 };

const clears = (e: Evaluation) => (e.hasClear ? e.clear === true : e.fire === false);

/** What one evaluation does to the episode; `sustainMs` 0 opens at once. */
export function step(
  state: EpisodeState,
  evaluation: Evaluation,
  sustainMs: number,
): { next: EpisodeState; action: EpisodeAction } {
  const { at } = evaluation;
  switch (state.phase) {
    case "ok":
      if (evaluation.fire !== true) return { next: state, action: { kind: "none" } };
      if (sustainMs <= 0)
        return { next: { phase: "firing", since: at }, action: { kind: "open", at } };
      return {
        next: { phase: "pending", since: at },
        action: { kind: "pend", dueAt: at + sustainMs },
      };
    case "pending":
      if (evaluation.fire === true) {
        const dueAt = state.since + sustainMs;
        return at >= dueAt
          ? { next: { phase: "firing", since: dueAt }, action: { kind: "open", at: dueAt } }
          : { next: state, action: { kind: "none" } };
      }
      // A pending condition that stops holding never opened: the sustain period starts over.
      return evaluation.fire === false
        ? { next: { phase: "ok", since: at }, action: { kind: "cancel" } }
        : { next: state, action: { kind: "none" } };
    case "firing":
      return clears(evaluation)
        ? { next: { phase: "ok", since: at }, action: { kind: "resolve", at } }
        : { next: state, action: { kind: "none" } };
  }
}

/** The clock's half: a pending episode whose sustain period has passed opens, dated when it ended. */
export function elapse(
  state: EpisodeState,
  now: number,
  sustainMs: number,
): { next: EpisodeState; action: EpisodeAction } {
  if (state.phase !== "pending" || now < state.since + sustainMs) {
    return { next: state, action: { kind: "none" } };
  }
  const at = state.since + sustainMs;
  return { next: { phase: "firing", since: at }, action: { kind: "open", at } };
}

/**
 * Flapping: at least `threshold` open/resolve transitions within `windowMs` before `now`. While an
 * alarm flaps, a re-fire within the window reopens the same alarm (its acknowledgement survives)
 * instead of opening a new one.
 */
export function isFlapping(
  transitions: readonly number[],
  now: number,
  windowMs: number,
  threshold: number,
): boolean {
  return transitions.filter((t) => t > now - windowMs && t <= now).length >= threshold;
}
