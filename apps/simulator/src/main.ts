import { readFileSync } from "node:fs";
import { createLogger } from "@omniglass/log";
import { parseArgs } from "node:util";
import { z } from "zod";
import { describeIssues } from "./fleet";
import { startSimulator } from "./simulator";

const logger = createLogger({ process: "simulator", pretty: process.stdout.isTTY === true });

const USAGE = `usage: tsx apps/simulator/src/main.ts (--fleet <file.json> | --fleet-json '<json>')
       [--control-port <n>] [--transition-ms <n>] [--flap-ms <n>]`;

const Args = z.object({
  fleet: z.string().min(1).optional(),
  "fleet-json": z.string().min(1).optional(),
  "control-port": z.coerce.number().int().min(0).max(65535).default(0),
  "transition-ms": z.coerce.number().int().min(0).max(600_000).default(3000),
  "flap-ms": z.coerce.number().int().min(100).max(3_600_000).default(5000),
});

function fail(message: string): never {
  console.error(`omniglass-simulator: ${message}\n${USAGE}`);
  process.exit(64);
}

async function main() {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      options: {
        fleet: { type: "string" },
        "fleet-json": { type: "string" },
        "control-port": { type: "string" },
        "transition-ms": { type: "string" },
        "flap-ms": { type: "string" },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  const parsed = Args.safeParse(values);
  if (!parsed.success) fail(describeIssues(parsed.error, "--"));
  const args = parsed.data;
  if ((args.fleet === undefined) === (args["fleet-json"] === undefined)) {
    fail("give exactly one of --fleet and --fleet-json");
  }
  let fleet: unknown;
  try {
    const text = args.fleet !== undefined ? readFileSync(args.fleet, "utf8") : args["fleet-json"]!;
    fleet = JSON.parse(text);
  } catch (error) {
    fail(`cannot read the fleet: ${(error as Error).message}`);
  }

  let simulator;
  try {
    simulator = await startSimulator(fleet, {
      controlPort: args["control-port"],
      transitionMs: args["transition-ms"],
      flapMs: args["flap-ms"],
    });
  } catch (error) {
    logger.fatal((error as Error).message);
    process.exit(1);
  }
  logger.info({ controlUrl: simulator.controlUrl }, `ready control=${simulator.controlUrl}`);

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    void simulator.stop().then(() => process.exit(0));
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

void main();
