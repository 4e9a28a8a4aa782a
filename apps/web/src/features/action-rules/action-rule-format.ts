import type { ApiOutputs } from "~/client/outputs";

/** An action rule as the API answers it. */
export type ActionRule = ApiOutputs["actionRule"]["get"];
export type Matchers = ActionRule["matchers"];

export const SEVERITIES = ["critical", "warning", "info"] as const;
export const KINDS = [
  "opened",
  "reopened",
  "resolved",
  "acknowledged",
  "unacknowledged",
  "flapping",
  "suppressed",
  "unsuppressed",
] as const;

export const endpointHref = (name: string) => `/webhook-endpoints/${encodeURIComponent(name)}`;

/** "all", "in or below north", "members of north.b1.room-2.av", "components of template x". */
export function scopeText(scope: ActionRule["scope"]): string {
  switch (scope.kind) {
    case "all":
      return "everywhere";
    case "location":
      return `in or below ${scope.ref ?? "?"}`;
    case "system":
      return `members of ${scope.ref ?? "?"}`;
    case "template":
      return `components of template ${scope.ref ?? "?"}`;
  }
}

/** The matchers in words, every one that holds ("critical · opened, reopened · not suppressed"). */
export function matchersText(m: Matchers, ruleNames: (id: string) => string): string {
  const parts = [
    m.severities ? m.severities.join(", ") : "any severity",
    m.kinds ? m.kinds.join(", ") : "every transition",
    ...(m.ruleIds ? [`rules ${m.ruleIds.map(ruleNames).join(", ")}`] : []),
    m.suppressed === true
      ? "only suppressed"
      : m.suppressed === "any"
        ? "suppressed or not"
        : "not suppressed",
    ...(m.acknowledged === undefined ? [] : [m.acknowledged ? "acknowledged" : "unacknowledged"]),
  ];
  return parts.join(" · ");
}

/** The API's field problems by field name. */
export function problemsOf(error: unknown): Map<string, string> {
  const data = (error as { data?: { fieldErrors?: { field: string; message: string }[] } } | null)
    ?.data;
  return new Map((data?.fieldErrors ?? []).map((f) => [f.field, f.message]));
}
