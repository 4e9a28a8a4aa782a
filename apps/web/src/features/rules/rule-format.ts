import type { ApiOutputs } from "~/client/outputs";
import { formatDuration } from "../../ui/format"; // relative: the unit tests run without the ~ alias

/** A rule as the API answers it. */
export type Rule = ApiOutputs["rule"]["get"];

/** A custom rule by its name (unique among custom rules); a template rule by id (its name is unique only within its template version). */
export const ruleHref = (r: Pick<Rule, "id" | "name" | "origin">) =>
  `/rules/${encodeURIComponent(r.origin === "custom" ? r.name : r.id)}`;

/** How a rule's scope reads: "every owner", "template http-json-display@1", "below campus.hq". */
export function scopeText(scope: Rule["scope"]): string {
  switch (scope.kind) {
    case "all":
      return "every component";
    case "template":
      return `components of template ${scope.ref ?? "?"}`;
    case "system-type":
      return `members of ${scope.ref ?? "?"} systems`;
    case "location":
      return `components in or below ${scope.ref ?? "?"}`;
    case "owner":
      return `only ${scope.ref ?? "?"}`;
  }
}

/** "at once" or "for 2 min". */
export const sustainText = (seconds: number) =>
  seconds === 0 ? "at once" : `for ${formatDuration(seconds)}`;

/** Line and column (1-based) of a CEL problem as the API says it ("… (at line 2, column 7)"). */
export function problemPosition(message: string): { line: number; column: number } | null {
  const m = /at line (\d+), column (\d+)/.exec(message);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}
