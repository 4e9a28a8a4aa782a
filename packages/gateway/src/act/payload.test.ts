import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { webhookJsonSchemas } from "@omniglass/contracts";

const FILE = fileURLToPath(new URL("../../../../docs/reference/webhooks.md", import.meta.url));
const BEGIN = "<!-- BEGIN GENERATED: webhook schemas";
const END = "<!-- END GENERATED: webhook schemas -->";

/** The `### Name` + json block pairs of the document's generated part. */
function documentedSchemas(): Record<string, unknown> {
  const text = readFileSync(FILE, "utf8");
  const part = text.slice(text.indexOf(BEGIN), text.indexOf(END));
  const found: Record<string, unknown> = {};
  for (const m of part.matchAll(/^### (\w+)\n\n```json\n([\s\S]*?)\n```/gm))
    found[m[1]!] = JSON.parse(m[2]!);
  return found;
}

describe("docs/reference/webhooks.md", () => {
  it("prints the body schemas as the contracts are (run `pnpm exec tsx tooling/scripts/gen-webhook-reference.ts`)", () => {
    expect(documentedSchemas()).toEqual(webhookJsonSchemas());
  });

  it("documents every event type and the ordering rule", () => {
    const text = readFileSync(FILE, "utf8");
    for (const type of [
      "alarm.opened",
      "alarm.reopened",
      "alarm.resolved",
      "alarm.acknowledged",
      "alarm.unacknowledged",
      "alarm.flapping",
      "alarm.suppressed",
      "alarm.unsuppressed",
      "alarm.storm",
      "webhook.test",
    ])
      expect(text).toContain(`\`${type}\``);
    for (const header of ["webhook-id", "webhook-timestamp", "webhook-signature"])
      expect(text).toContain(`\`${header}\``);
    expect(text).toMatch(/`410 Gone`/);
    expect(text).toMatch(/`429`/);
    expect(text).toContain("data.seq");
  });
});
