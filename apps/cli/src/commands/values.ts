import { readFileSync } from "node:fs";
import { Command } from "commander";
import { createOmniglassClient, TRPCClientError, type OmniglassClient } from "@omniglass/client";
import { resolveServerUrl, resolveToken } from "../env";

/**
 * Telemetry commands: `omniglass values <component>` (current values with age and freshness) and
 * `omniglass samples push <file.json>` (the push API). Same conventions as the estate commands:
 * `--token` or OMNIGLASS_TOKEN; an answer's error exits 1, an unreachable server 2.
 */

export interface TelemetryIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Overrides the transport (tests route it to an in-process server). */
  fetch?: typeof fetch;
}

const defaultIo: TelemetryIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

interface Connection {
  url?: string;
  token?: string;
  json?: boolean;
}

const connection = (command: Command) =>
  command
    .option("--url <url>", "the server (default: OMNIGLASS_URL, else the local instance)")
    .option("--token <token>", "an API token (default: OMNIGLASS_TOKEN)")
    .option("--json", "print the answer as JSON");

async function run(
  io: TelemetryIo,
  options: Connection,
  call: (client: OmniglassClient) => Promise<unknown>,
  print: (result: unknown) => void,
) {
  const url = resolveServerUrl(options.url);
  const token = resolveToken(options.token);
  if (!token) {
    io.err("omniglass: no API token: pass --token or set OMNIGLASS_TOKEN");
    process.exitCode = 2;
    return;
  }
  const client = createOmniglassClient({ url, client: "cli", token, fetch: io.fetch });
  try {
    const result = await call(client);
    if (options.json) io.out(JSON.stringify(result, null, 2));
    else print(result);
    process.exitCode = 0;
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const data = (error as TRPCClientError<never>).data as
        | {
            httpStatus?: number;
            title?: string;
            fieldErrors?: { field: string; message: string }[];
          }
        | undefined;
      if (data?.httpStatus) {
        io.err(`omniglass: ${data.title ?? "error"} (${data.httpStatus}): ${error.message}`);
        for (const f of data.fieldErrors ?? []) io.err(`  ${f.field}: ${f.message}`);
        process.exitCode = 1;
        return;
      }
      io.err(`omniglass: cannot reach ${url}: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    io.err(`omniglass: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

function table(io: TelemetryIo, rows: string[][]) {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows)
    io.out(
      row
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    );
}

interface CurrentValue {
  signal: string;
  instance: string;
  value: unknown;
  unit: string | null;
  ageSeconds: number | null;
  state: string;
}

const shown = (value: unknown) =>
  value === null || value === undefined
    ? "-"
    : typeof value === "string"
      ? value
      : JSON.stringify(value);

function valuesCommand(io: TelemetryIo) {
  return connection(
    new Command("values")
      .description("A component's current values: value, age and freshness per signal")
      .argument("<component>", "the component: id, name or path")
      .option("--signal <name>", "only this signal"),
  ).action(async (ref: string, options: Connection & { signal?: string }) =>
    run(
      io,
      options,
      (client) => client.component.values.query({ ref, signal: options.signal }),
      (result) => {
        const values = (result as { values: CurrentValue[] }).values;
        table(io, [
          ["SIGNAL", "INSTANCE", "VALUE", "UNIT", "AGE", "STATE"],
          ...values.map((v) => [
            v.signal,
            v.instance || "-",
            shown(v.value),
            v.unit ?? "-",
            v.ageSeconds === null ? "-" : `${Math.round(v.ageSeconds)}s`,
            v.state,
          ]),
        ]);
      },
    ),
  );
}

function samplesCommand(io: TelemetryIo) {
  const push = connection(
    new Command("push")
      .description(
        'Push samples from a JSON file: `{ "samples": [...] }` or an array of samples (POST /samples)',
      )
      .argument("<file>", "the JSON file (`-` for standard input)"),
  ).action(async (file: string, options: Connection) => {
    // The server validates every sample (and names the field); here only the file's shape.
    let input: { samples: never[] };
    try {
      const raw = JSON.parse(readFileSync(file === "-" ? 0 : file, "utf8")) as unknown;
      input = (Array.isArray(raw) ? { samples: raw } : raw) as { samples: never[] };
      if (!input || !Array.isArray(input.samples))
        throw new Error('expected { "samples": [...] } or an array of samples');
    } catch (error) {
      io.err(`omniglass: ${file}: ${(error as Error).message}`);
      process.exitCode = 1;
      return;
    }
    await run(
      io,
      options,
      (client) => client.sample.push.mutate(input),
      (result) => {
        const { accepted, rejected } = result as {
          accepted: number;
          rejected: { index: number; signal: string; reason: string; detail: string }[];
        };
        io.out(`accepted ${accepted}, rejected ${rejected.length}`);
        for (const r of rejected) io.out(`  #${r.index} ${r.signal}: ${r.reason} — ${r.detail}`);
      },
    );
  });
  return new Command("samples").description("Samples: push history").addCommand(push);
}

export function telemetryCommands(io: TelemetryIo = defaultIo): Command[] {
  return [valuesCommand(io), samplesCommand(io)];
}
