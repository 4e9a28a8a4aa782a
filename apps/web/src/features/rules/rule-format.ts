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
    default:
      return `${scope.kind} ${scope.ref ?? "?"}`;
  }
}

/** "at once" or "for 2 min". */
export const sustainText = (seconds: number) =>
  seconds === 0 ? "at once" : `for ${formatDuration(seconds)}`;

/** One field problem the API answered: its message and, for an expression, where in it. */
export interface FieldProblem {
  message: string;
  line?: number;
  column?: number;
}

/**
 * The API's field problems by field (`rule.fire` of a draft preview reads as `fire`), with the
 * line and column an expression's problem carries as fields (never parsed out of the message).
 */
export function problemsOf(error: unknown): Map<string, FieldProblem> {
  const data = (error as { data?: { fieldErrors?: ({ field: string } & FieldProblem)[] } } | null)
    ?.data;
  return new Map(
    (data?.fieldErrors ?? []).map(({ field, message, line, column }) => [
      field.replace(/^rule\./, ""),
      { message, ...(line && column ? { line, column } : {}) },
    ]),
  );
}
