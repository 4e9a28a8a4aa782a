const GREEN = "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-300";
const RED = "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-300";
const GREY = "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300";

const STYLES: Record<string, string> = {
  fresh: GREEN,
  online: GREEN,
  offline: RED,
  never: GREY,
  up: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-300",
  running: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-300",
  down: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-300",
  stale: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-300",
  unknown: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  stopped: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  // Webhook deliveries (issue #14).
  delivered: GREEN,
  failed: RED,
  dead: RED,
  throttled: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-300",
  pending: GREY,
};

/** A state word with its colour; the word is always there, so colour is never the only signal. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      data-status={status}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium uppercase tracking-wide ${STYLES[status] ?? STYLES.unknown}`}
    >
      {status}
    </span>
  );
}
