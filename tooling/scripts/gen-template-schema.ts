// `pnpm gen:schema`: write docs/reference/template.schema.json, the JSON Schema of a template
// document, from the zod contract (packages/contracts/src/template.ts). The catalog test fails when
// the committed file and the contract differ, so run this after changing the contract.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { templateJsonSchema } from "../../packages/contracts/src/template.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TARGET = path.join(ROOT, "docs/reference/template.schema.json");

const options = (await resolveConfig(TARGET)) ?? {};
const text = await format(JSON.stringify(templateJsonSchema(), null, 2), {
  ...options,
  filepath: TARGET,
});
writeFileSync(TARGET, text);
console.log(`wrote ${path.relative(ROOT, TARGET)}`);
