// `pnpm --filter @omniglass/cli gen:reference`: write docs/reference/cli.md from the commands'
// help (src/reference.ts). test/reference.test.ts fails when the committed file differs.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cliReference } from "../src/reference";

const TARGET = fileURLToPath(new URL("../../../docs/reference/cli.md", import.meta.url));
writeFileSync(TARGET, cliReference());
console.log("wrote docs/reference/cli.md");
