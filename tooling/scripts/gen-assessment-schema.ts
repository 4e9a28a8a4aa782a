// `pnpm gen:assessment-schema`: write docs/reference/assessment.schema.json, the JSON Schema of the
// assessment (GET /api/v1/assessment?format=json), from the zod contract
// (packages/contracts/src/assessment.ts). A unit test of packages/contracts fails when the
// committed file and the contract differ, so run this after changing the contract.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { assessmentJsonSchema } from "../../packages/contracts/src/assessment.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TARGET = path.join(ROOT, "docs/reference/assessment.schema.json");

const options = (await resolveConfig(TARGET)) ?? {};
const text = await format(JSON.stringify(assessmentJsonSchema(), null, 2), {
  ...options,
  filepath: TARGET,
});
writeFileSync(TARGET, text);
console.log(`wrote ${path.relative(ROOT, TARGET)}`);
