import { Command } from "commander";
import type { RouterOutputs } from "@omniglass/client";
import { InputError } from "../errors";
import { addFlags, flag, parseFlags } from "../flags";
import type { CliIo } from "../io";
import { printRecord, printTable } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";
import { listCommand } from "./resource";

/**
 * `omniglass delivery …`: the webhook delivery log (30 days) — each message to each endpoint,
 * its status (pending, failed, throttled, dead, delivered) and every attempt — and replay of one
 * delivery or of a time range (the same webhook-id and body again).
 */

type DeliveryDetail = RouterOutputs["delivery"]["get"];
const STATUSES = ["pending", "failed", "throttled", "dead", "delivered"] as const;

/** A time flag as RFC 3339 (the server checks it too). */
function instant(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new InputError(`--${name}: ${value} is not a time`);
  return new Date(at).toISOString();
}

/** One delivery for people: its facts, then its attempts as a table. */
export function printDelivery(io: CliIo, d: DeliveryDetail) {
  const { body: _body, attemptLog, ...facts } = d;
  printRecord(io, facts);
  if (attemptLog.length === 0) {
    io.out(d.status === "pending" ? "(not attempted yet)" : "(no attempts logged)");
    return;
  }
  io.out("");
  printTable(
    io,
    [
      { header: "ATTEMPT", value: (a) => a.attempt },
      { header: "AT", value: (a) => a.at },
      { header: "CODE", value: (a) => a.statusCode ?? "none" },
      { header: "LATENCY", value: (a) => (a.latencyMs === null ? null : `${a.latencyMs} ms`) },
      { header: "ERROR", value: (a) => a.error },
      { header: "ANSWER", value: (a) => a.responseExcerpt?.replace(/\s+/g, " ").slice(0, 60) },
    ],
    attemptLog,
  );
}

export function deliveryCommand(io: CliIo) {
  const run = createRunner(io);
  const command = new Command("delivery").description(
    "The webhook delivery log: status, attempts and replay (kept 30 days)",
  );
  command.addCommand(
    listCommand(
      {
        description: "List deliveries in your scope, newest first",
        flags: {
          status: flag.optionalChoice(STATUSES, "status"),
          endpoint: flag.text("an endpoint's name or id"),
          alarm: flag.text("an alarm's id"),
          since: flag.text("created at or after this time"),
          until: flag.text("created before this time"),
        },
        call: (client, { page_size, page_token }, { since, until, ...flags }) =>
          client.delivery.list.query({
            page_size,
            ...(page_token ? { page_token } : {}),
            ...flags,
            ...(since ? { since: instant(since, "since") } : {}),
            ...(until ? { until: instant(until, "until") } : {}),
          }),
        columns: [
          { header: "CREATED", value: (d) => d.createdAt },
          { header: "ENDPOINT", value: (d) => d.endpointName },
          { header: "EVENT", value: (d) => d.eventType },
          { header: "ALARM", value: (d) => (d.alarmId ? `${d.alarmId}#${d.alarmSeq}` : null) },
          { header: "STATUS", value: (d) => d.status },
          { header: "ATTEMPTS", value: (d) => d.attempts },
          { header: "CODE", value: (d) => d.lastStatusCode },
          {
            header: "LATENCY",
            value: (d) => (d.lastLatencyMs === null ? null : `${d.lastLatencyMs} ms`),
          },
          { header: "ID", value: (d) => d.id },
        ],
      },
      io,
    ),
  );
  command.addCommand(
    withConnection(new Command("get").alias("show").description("Show a delivery and its attempts"))
      .argument("<id>", "the delivery's id (its webhook-id, msg_…)")
      .action(async (id: string, options: Connection) =>
        run(
          options,
          (client) => client.delivery.get.query({ id }),
          (d) => printDelivery(io, d),
        ),
      ),
  );
  const rangeFlags = {
    from: flag.text("replay every delivery created at or after this time (with --to)"),
    to: flag.text("… and before this time"),
    endpoint: flag.text("only this endpoint's (name or id)"),
    status: flag.optionalChoice(["dead", "failed", "delivered"], "only deliveries in this status"),
  };
  const replay = withConnection(
    new Command("replay").description(
      "Send a delivery again (same webhook-id and body), or every one of a time range",
    ),
  ).argument("[id]", "the delivery's id (msg_…); omit it to replay --from … --to");
  command.addCommand(
    addFlags(replay, rangeFlags).action(async (id: string | undefined, options: Connection) =>
      run(
        options,
        async (client) => {
          const { from, to, ...range } = parseFlags(rangeFlags, options);
          if (id !== undefined) {
            if (from || to || range.endpoint || range.status)
              throw new InputError("give a delivery id or --from/--to, not both");
            return client.delivery.replay.mutate({ id });
          }
          if (!from || !to) throw new InputError("give a delivery id, or --from and --to");
          return client.delivery.replayRange.mutate({
            from: instant(from, "from")!,
            to: instant(to, "to")!,
            ...range,
          });
        },
        (result) =>
          "replayed" in result
            ? io.out(`replayed ${result.replayed} deliveries`)
            : io.out(`replayed ${result.id} (${result.endpointName}): ${result.status}`),
      ),
    ),
  );
  return command;
}
