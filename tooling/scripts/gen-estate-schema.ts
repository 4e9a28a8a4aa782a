// `pnpm gen:estate-schema`: write docs/reference/estate.schema.json, the JSON Schema of an estate
// file, from the zod schema (packages/estate/src/schema.ts). A unit test of packages/estate fails
// when the committed file and the schema differ, so run this after changing the schema.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { estateJsonSchema } from "../../packages/estate/src/schema.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TARGET = path.join(ROOT, "docs/reference/estate.schema.json");

const options = (await resolveConfig(TARGET)) ?? {};
const text = await format(JSON.stringify(estateJsonSchema(), null, 2), {
  ...options,
  filepath: TARGET,
});
writeFileSync(TARGET, text);
console.log(`wrote ${path.relative(ROOT, TARGET)}`);
