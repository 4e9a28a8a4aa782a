/**
 * `pnpm bench <name>`: performance benchmarks, run by hand (never part of `npm test`).
 *   pnpm bench estate [--components 100000] [--buildings N] [--iterations 200]
 *   pnpm bench ingest [--samples 200000] [--batch 1000] [--series-components 200] [--rules [--rounds 2]]
 *   pnpm bench alarms [--alarms 100000] [--rate 10000] [--faults 200] [--iterations 200]
 *   pnpm bench actions [--transitions 200] [--storm 10000] [--storm-seconds 60] [--direct-writes] [--quick]
 *   pnpm bench estate-file [--components 100000] [--new-components 1000] [--quick]
 *   pnpm bench brief [--components 100000] [--alarms 10000] [--iterations 200]
 */
import { parseArgs } from "node:util";
import { benchEstate } from "./estate";
import { benchIngest } from "./ingest";
import { benchAlarms } from "./alarms";
import { benchActions } from "./actions";
import { benchEstateFile } from "./estate-file";
import { benchBrief } from "./brief";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    components: { type: "string", default: "100000" },
    buildings: { type: "string" },
    iterations: { type: "string", default: "200" },
    samples: { type: "string", default: "200000" },
    batch: { type: "string", default: "1000" },
    "series-components": { type: "string", default: "200" },
    rules: { type: "boolean", default: false },
    rounds: { type: "string", default: "2" },
    alarms: { type: "string", default: "100000" },
    rate: { type: "string", default: "10000" },
    faults: { type: "string", default: "200" },
    transitions: { type: "string", default: "200" },
    storm: { type: "string", default: "10000" },
    "storm-seconds": { type: "string", default: "60" },
    quick: { type: "boolean", default: false },
    "direct-writes": { type: "boolean", default: false },
    "new-components": { type: "string", default: "1000" },
  },
});

const name = positionals[0];
if (
  name !== "estate" &&
  name !== "ingest" &&
  name !== "alarms" &&
  name !== "actions" &&
  name !== "estate-file" &&
  name !== "brief"
) {
  console.error(
    "usage: pnpm bench estate [--components N] [--buildings N] [--iterations N]\n       pnpm bench ingest [--samples N] [--batch N] [--series-components N] [--rules [--rounds N]]\n       pnpm bench alarms [--alarms N] [--rate N] [--faults N] [--iterations N]\n       pnpm bench actions [--transitions N] [--storm N] [--storm-seconds N] [--direct-writes] [--quick]\n       pnpm bench estate-file [--components N] [--new-components N] [--quick]\n       pnpm bench brief [--components N] [--alarms N] [--iterations N]",
  );
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
if (name === "actions") {
  // --quick: a short check that it works (50 transitions, a storm of 1,000 in 10 s).
  const quick = values.quick ?? false;
  await benchActions({
    transitions: quick ? 50 : positive(values.transitions, "transitions"),
    storm: quick ? 1000 : positive(values.storm, "storm"),
    stormSeconds: quick ? 10 : positive(values["storm-seconds"], "storm-seconds"),
    directWrites: values["direct-writes"] ?? false,
  });
  process.exit(0);
}
if (name === "estate-file") {
  // --quick: a short check that it works (5,000 components, 100 new ones).
  const quick = values.quick ?? false;
  await benchEstateFile({
    components: quick ? 5000 : positive(values.components, "components"),
    newComponents: quick ? 100 : positive(values["new-components"], "new-components"),
  });
  process.exit(0);
}
if (name === "brief") {
  // --alarms defaults to 100,000 for the alarms bench; the brief status is measured at 10,000.
  const alarmsGiven = process.argv.some((a) => a === "--alarms" || a.startsWith("--alarms="));
  await benchBrief({
    components: positive(values.components, "components"),
    alarms: alarmsGiven ? positive(values.alarms, "alarms") : 10_000,
    iterations: positive(values.iterations, "iterations"),
  });
  process.exit(0);
}
if (name === "alarms") {
  await benchAlarms({
    alarms: positive(values.alarms, "alarms"),
    rate: positive(values.rate, "rate"),
    faults: positive(values.faults, "faults"),
    iterations: positive(values.iterations, "iterations"),
  });
  process.exit(0);
}
if (name === "ingest") {
  await benchIngest({
    samples: positive(values.samples, "samples"),
    batch: Math.min(20_000, positive(values.batch, "batch")),
    components: positive(values["series-components"], "series-components"),
    rules: values.rules ?? false,
    rounds: positive(values.rounds, "rounds"),
  });
  process.exit(0);
}
await benchEstate({
  components: positive(values.components, "components"),
  buildings: values.buildings === undefined ? undefined : positive(values.buildings, "buildings"),
  iterations: positive(values.iterations, "iterations"),
});
