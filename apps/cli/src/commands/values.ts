import { Command } from "commander";
import type { CliIo } from "../io";
import { printTable } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";

const shown = (value: unknown) =>
  value === null || value === undefined
    ? "-"
    : typeof value === "string"
      ? value
      : JSON.stringify(value);

/** `omniglass values <component>`: current values with their age and freshness. */
export function valuesCommand(io: CliIo) {
  const run = createRunner(io);
  return withConnection(
    new Command("values")
      .description("A component's current values: value, age and freshness per signal")
      .argument("<component>", "the component: id, name or path")
      .option("--signal <name>", "only this signal"),
  ).action(async (ref: string, options: Connection & { signal?: string }) =>
    run(
      options,
      (client) => client.component.values.query({ ref, signal: options.signal }),
      (result) =>
        printTable(
          io,
          [
            { header: "SIGNAL", value: (v) => v.signal },
            { header: "INSTANCE", value: (v) => v.instance || "-" },
            { header: "VALUE", value: (v) => shown(v.value) },
            { header: "UNIT", value: (v) => v.unit },
            {
              header: "AGE",
              value: (v) => (v.ageSeconds === null ? "-" : `${Math.round(v.ageSeconds)}s`),
            },
            { header: "STATE", value: (v) => v.state },
          ],
          result.values,
        ),
    ),
  );
}
