import { readFileSync } from "node:fs";
import { Command } from "commander";
import type { RouterInputs } from "@omniglass/client";
import { InputError } from "../errors";
import type { CliIo } from "../io";
import { createRunner, withConnection, type Connection } from "../runner";

type Samples = RouterInputs["sample"]["push"]["samples"];

/** The file's samples: `{ "samples": [...] }` or an array. The server checks every sample. */
function readSamples(file: string): Samples {
  try {
    const raw: unknown = JSON.parse(readFileSync(file === "-" ? 0 : file, "utf8"));
    const samples: unknown = Array.isArray(raw)
      ? raw
      : raw && typeof raw === "object" && "samples" in raw
        ? raw.samples
        : undefined;
    if (!Array.isArray(samples)) throw new Error('expected { "samples": [...] } or an array');
    return samples;
  } catch (error) {
    throw new InputError(`${file}: ${(error as Error).message}`);
  }
}

/** `omniglass samples push <file>`: the push API (POST /samples). */
export function samplesCommand(io: CliIo) {
  const run = createRunner(io);
  const push = withConnection(
    new Command("push")
      .description(
        'Push samples from a JSON file: `{ "samples": [...] }` or an array of samples (POST /samples)',
      )
      .argument("<file>", "the JSON file (`-` for standard input)"),
  ).action(async (file: string, options: Connection) =>
    run(
      options,
      (client) => client.sample.push.mutate({ samples: readSamples(file) }),
      ({ accepted, rejected }) => {
        io.out(`accepted ${accepted}, rejected ${rejected.length}`);
        for (const r of rejected) io.out(`  #${r.index} ${r.signal}: ${r.reason} — ${r.detail}`);
      },
    ),
  );
  return new Command("samples").description("Samples: push history").addCommand(push);
}
