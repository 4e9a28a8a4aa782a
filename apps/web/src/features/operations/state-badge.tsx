import type { ProcessState, ScheduleState } from "@omniglass/contracts";

type Meaning = "good" | "bad" | "warn" | "neutral";

const CLASSES: Record<Meaning, string> = {
  good: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-300",
  bad: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-300",
  warn: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-300",
  neutral: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
};

/** What each state means for the operator: its colour follows, never the word itself. */
const MEANING: Record<ProcessState | ScheduleState, Meaning> = {
  up: "good",
  idle: "good",
  busy: "good",
  ok: "good",
  running: "good",
  open: "neutral",
  down: "bad",
  stuck: "bad",
  failing: "bad",
  overdue: "bad",
  "no-runner": "bad",
  degraded: "warn",
  stale: "warn",
  paused: "warn",
  unknown: "neutral",
};

/**
 * A state word with its colour. `unconfirmed` (the read failed, or its source is old) shows the
 * word struck through in grey: never a green that cannot be backed.
 */
export function StateBadge({
  state,
  unconfirmed = false,
}: {
  state: ProcessState | ScheduleState;
  unconfirmed?: boolean;
}) {
  const meaning = unconfirmed ? "neutral" : MEANING[state];
  return (
    <span
      data-state={state}
      data-unconfirmed={unconfirmed ? "true" : undefined}
      title={unconfirmed ? "Not confirmed: the last answer is old" : undefined}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium uppercase tracking-wide ${CLASSES[meaning]} ${unconfirmed ? "line-through" : ""}`}
    >
      {state}
    </span>
  );
}
