/**
 * `pnpm bench <name>`: performance benchmarks, run by hand (never part of `npm test`).
 *   pnpm bench estate [--components 100000] [--buildings N] [--iterations 200]
 */
import { parseArgs } from "node:util";
import { benchEstate } from "./estate";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    components: { type: "string", default: "100000" },
    buildings: { type: "string" },
    iterations: { type: "string", default: "200" },
  },
});

const name = positionals[0];
if (name !== "estate") {
  console.error("usage: pnpm bench estate [--components N] [--buildings N] [--iterations N]");
  process.exit(2);
}
const positive = (text: string | undefined, flag: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${flag} must be a positive whole number`);
    process.exit(2);
  }
  return n;
};
await benchEstate({
  components: positive(values.components, "components"),
  buildings: values.buildings === undefined ? undefined : positive(values.buildings, "buildings"),
  iterations: positive(values.iterations, "iterations"),
});
