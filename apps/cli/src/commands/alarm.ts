import { Command } from "commander";
import type { RouterOutputs } from "@omniglass/client";
import { InputError } from "../errors";
import { flag } from "../flags";
import type { CliIo } from "../io";
import { printRecord, printTable } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";
import { listCommand } from "./resource";

/**
 * `omniglass alarm …`: the alarm queue (DESIGN.md §8). Lifecycle, acknowledgement and flapping
 * are separate facts, shown side by side: `open`/`resolved`, who acknowledged it, `flapping`.
 */

type Alarm = RouterOutputs["alarm"]["list"]["items"][number];
type AlarmDetail = RouterOutputs["alarm"]["get"];

const boolChoice = (description: string) => flag.optionalChoice(["true", "false"], description);

/** `--expires 30m | 4h | 2d` (or whole minutes) as minutes. */
export function parseExpiry(text: string): number {
  const match = /^(\d+)\s*(m|min|h|d)?$/i.exec(text.trim());
  const minutes = match
    ? Number(match[1]) *
      ({ m: 1, min: 1, h: 60, d: 1440 }[(match[2] ?? "m").toLowerCase() as "m"] ?? 1)
    : NaN;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60 * 24 * 30)
    throw new InputError(
      `--expires: ${JSON.stringify(text)} is not a duration of 1 minute to 30 days (e.g. 30m, 4h, 2d)`,
    );
  return minutes;
}

const ackOf = (a: Alarm) =>
  a.acknowledgement
    ? `${a.acknowledgement.byName ?? "(deleted)"}${a.acknowledgement.expiresAt ? ` until ${a.acknowledgement.expiresAt}` : ""}`
    : "-";

export function alarmCommand(io: CliIo) {
  const run = createRunner(io);
  const command = new Command("alarm").description(
    "Alarms: list, show with the timeline, acknowledge, resolve",
  );

  command.addCommand(
    listCommand(
      {
        description: "List alarms in your scope, newest first",
        flags: {
          state: flag.optionalChoice(["open", "resolved"], "lifecycle"),
          owner: flag.text(
            "a component, system or location (a location includes what is below it, a system its members)",
          ),
          severity: flag.optionalChoice(["info", "warning", "critical"], "severity"),
          acknowledged: boolChoice("acknowledged (and not lapsed) or not"),
          flapping: boolChoice("flapping or not"),
          rule: flag.text("a rule's id or name"),
          order: flag.optionalChoice(
            ["-openedAt", "-resolvedAt"],
            "newest opened first (default) or newest resolved first",
          ),
          resolvedSince: flag.text("only alarms resolved at or after this instant (RFC 3339)"),
        },
        call: (client, { page_size, page_token }, { order, ...flags }) =>
          client.alarm.list.query({
            page_size,
            ...(page_token ? { page_token } : {}),
            ...flags,
            ...(order ? { order_by: order } : {}),
          }),
        columns: [
          { header: "ID", value: (a) => a.id },
          { header: "SEVERITY", value: (a) => a.severity },
          { header: "STATE", value: (a) => (a.flapping ? `${a.lifecycle} flapping` : a.lifecycle) },
          { header: "ACKNOWLEDGED", value: ackOf },
          { header: "OWNER", value: (a) => a.owner.path },
          { header: "RULE", value: (a) => a.rule.name },
          { header: "OPENED", value: (a) => a.openedAt },
          { header: "SUMMARY", value: (a) => a.summary },
        ],
      },
      io,
    ),
  );

  const printDetail = (a: AlarmDetail) => {
    const { timeline, acknowledgement, rule, owner, ...rest } = a;
    printRecord(io, {
      ...rest,
      rule: `${rule.name} (${rule.origin})`,
      owner: `${owner.kind} ${owner.path}`,
      acknowledgement: acknowledgement
        ? `${acknowledgement.byName ?? "(deleted)"} at ${acknowledgement.at}: ${acknowledgement.comment}${acknowledgement.expiresAt ? ` (until ${acknowledgement.expiresAt})` : ""}`
        : null,
    });
    io.out("");
    printTable(
      io,
      [
        { header: "SEQ", value: (e) => e.seq },
        { header: "AT", value: (e) => e.at },
        { header: "EVENT", value: (e) => e.kind },
        {
          header: "BY",
          value: (e) => (e.by ? (e.byName ?? e.by) : e.sampleAt ? "sample" : "clock"),
        },
        { header: "DETAIL", value: (e) => e.comment ?? (e.value === null ? null : e.value) },
      ],
      timeline,
    );
  };

  command.addCommand(
    withConnection(
      new Command("show")
        .alias("get")
        .description("Show one alarm with its timeline (fired, acknowledged, flapping, resolved)")
        .argument("<id>", "the alarm's id"),
    ).action(async (id: string, options: Connection) =>
      run(options, (client) => client.alarm.get.query({ id }), printDetail),
    ),
  );

  command.addCommand(
    withConnection(
      new Command("ack")
        .alias("acknowledge")
        .description(
          "Acknowledge alarms: someone owns them (never opens or resolves anything). Several ids: all or none",
        )
        .argument("<id...>", "the alarms' ids (up to 1,000)")
        .requiredOption("--comment <text>", "what is being done, for the next person (required)")
        .option("--expires <duration>", "lapse after this long (30m, 4h, 2d; at most 30 days)"),
    ).action(async (ids: string[], options: Connection & { comment: string; expires?: string }) =>
      run(
        options,
        async (client) => {
          const expiry =
            options.expires === undefined ? {} : { expiresInMinutes: parseExpiry(options.expires) };
          return ids.length === 1
            ? client.alarm.acknowledge.mutate({ id: ids[0]!, comment: options.comment, ...expiry })
            : client.alarm.acknowledgeMany.mutate({ ids, comment: options.comment, ...expiry });
        },
        (result) =>
          "acknowledged" in result
            ? io.out(`acknowledged ${result.acknowledged} alarms`)
            : io.out(`acknowledged ${result.id} (${result.owner.path})`),
      ),
    ),
  );

  command.addCommand(
    withConnection(
      new Command("unack")
        .alias("unacknowledge")
        .description("Withdraw an acknowledgement: nobody owns the alarm any more")
        .argument("<id>", "the alarm's id"),
    ).action(async (id: string, options: Connection) =>
      run(
        options,
        (client) => client.alarm.unacknowledge.mutate({ id }),
        (a) => io.out(`unacknowledged ${a.id} (${a.owner.path})`),
      ),
    ),
  );

  command.addCommand(
    withConnection(
      new Command("resolve")
        .description(
          "Resolve an alarm by hand, with a reason (while the condition holds no new alarm opens)",
        )
        .argument("<id>", "the alarm's id")
        .requiredOption("--reason <text>", "why it is resolved by hand (required)"),
    ).action(async (id: string, options: Connection & { reason: string }) =>
      run(
        options,
        (client) => client.alarm.resolve.mutate({ id, reason: options.reason }),
        (a) => io.out(`resolved ${a.id} (${a.owner.path})`),
      ),
    ),
  );
  return command;
}
