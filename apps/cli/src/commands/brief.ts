import { Command } from "commander";
import type { RouterOutputs } from "@omniglass/client";
import type { CliIo } from "../io";
import { printTable } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";

/**
 * `omniglass brief`: the brief status (what needs attention first, in your scope) as the console's
 * first screen shows it: the sources with their state and since, then each tile with its total,
 * source, as-of time and first items. `--json` prints the whole answer.
 */

type Brief = RouterOutputs["command"]["brief"];

export function printBrief(io: CliIo, brief: Brief) {
  io.out(
    `brief status  checked ${brief.checkedAt}  (scope: ${brief.scope}, version ${brief.version})`,
  );
  io.out("");
  printTable(
    io,
    [
      { header: "SOURCE", value: (s) => s.name },
      { header: "STATE", value: (s) => s.state },
      { header: "SINCE", value: (s) => s.since },
      { header: "CHECKED", value: (s) => s.checkedAt },
      { header: "DETAIL", value: (s) => s.detail },
    ],
    brief.sources,
  );
  for (const tile of brief.tiles) {
    io.out("");
    const total = tile.available ? `${tile.total}${tile.totalIsLowerBound ? "+" : ""}` : "unknown";
    io.out(`${tile.title}: ${total}  (as of ${tile.asOf}; source: ${tile.source})`);
    if (!tile.available) io.out(`  unavailable: ${tile.error}`);
    if (tile.stale) io.out(`  STALE since ${tile.stale.since ?? "unknown"}: ${tile.stale.reason}`);
    const breakdown = Object.entries(tile.breakdown);
    if (breakdown.length > 0) io.out(`  ${breakdown.map(([k, v]) => `${k} ${v}`).join(" · ")}`);
    if (tile.items.length > 0)
      printTable(
        io,
        [
          { header: "  STATE", value: (i) => `  ${i.state}` },
          { header: "AT", value: (i) => i.at },
          { header: "WHAT", value: (i) => i.title },
          { header: "LINKS", value: (i) => i.links.map((l) => `${l.kind}:${l.ref}`).join(" ") },
        ],
        tile.items,
      );
    if (tile.total > tile.items.length) io.out(`  … all of them: ${tile.api}`);
  }
}

export function briefCommand(io: CliIo) {
  const run = createRunner(io);
  return withConnection(
    new Command("brief").description(
      "The brief status: critical alarms nobody owns, systems and components not healthy, collectors and workers down, dead deliveries and plans awaiting approval, each with its source and as-of time",
    ),
  )
    .option("--items <n>", "items shown per tile, 1 to 20", "5")
    .action(async (options: Connection & { items: string }) =>
      run(
        options,
        (client) => client.command.brief.query({ items: Number(options.items) }),
        (brief) => printBrief(io, brief),
      ),
    );
}
