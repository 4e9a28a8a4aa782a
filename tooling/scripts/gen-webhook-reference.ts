// `pnpm exec tsx tooling/scripts/gen-webhook-reference.ts`: rewrite the generated part of
// docs/reference/webhooks.md — the JSON Schemas of the webhook bodies — from the zod contracts
// (WebhookPayload in packages/contracts/src/act.ts, WebhookStormPayload in storm.ts). The unit
// test packages/gateway/src/act/payload.test.ts fails when the document and the contracts differ.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { webhookJsonSchemas } from "../../packages/contracts/src/storm.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TARGET = path.join(ROOT, "docs/reference/webhooks.md");
const BEGIN =
  "<!-- BEGIN GENERATED: webhook schemas (tooling/scripts/gen-webhook-reference.ts) -->";
const END = "<!-- END GENERATED: webhook schemas -->";

const text = readFileSync(TARGET, "utf8");
const start = text.indexOf(BEGIN);
const end = text.indexOf(END);
if (start < 0 || end < start) throw new Error(`${TARGET} lacks the generated markers`);
const blocks = Object.entries(webhookJsonSchemas())
  .map(
    ([name, schema]) => `### ${name}\n\n\`\`\`json\n${JSON.stringify(schema, null, 2)}\n\`\`\`\n`,
  )
  .join("\n");
const next = `${text.slice(0, start + BEGIN.length)}\n\n${blocks}\n${text.slice(end)}`;
const options = (await resolveConfig(TARGET)) ?? {};
writeFileSync(TARGET, await format(next, { ...options, filepath: TARGET }));
console.log(`wrote ${path.relative(ROOT, TARGET)}`);
