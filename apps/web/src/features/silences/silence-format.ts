import type { ApiOutputs } from "~/client/outputs";

export type Silence = ApiOutputs["silence"]["get"];

/** The matchers besides the owner, as one line: `rules=a,b severities=warning`. */
export function matchersText(m: Silence["matchers"]): string {
  const parts = [
    m.rules && `rules=${m.rules.join(",")}`,
    m.severities && `severities=${m.severities.join(",")}`,
    m.templates && `templates=${m.templates.join(",")}`,
  ].filter(Boolean);
  return parts.length ? parts.join(" ") : "everything there";
}

/** A comma-separated field as a list, or undefined when empty. */
export function listOf(text: string): string[] | undefined {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/** A local `datetime-local` value for an instant (the viewer's zone). */
export function localInput(date: Date): string {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}
