import type { Severity } from "@omniglass/contracts";

const STYLES: Record<Severity, string> = {
  critical: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-300",
  warning: "bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-200",
  info: "bg-sky-100 text-sky-900 dark:bg-sky-900/50 dark:text-sky-200",
};

/** An alarm's or rule's severity: the word with its colour, never the colour alone. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span
      data-severity={severity}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium uppercase tracking-wide ${STYLES[severity]}`}
    >
      {severity}
    </span>
  );
}
