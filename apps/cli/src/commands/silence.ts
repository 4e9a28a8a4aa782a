import { Command } from "commander";
import type { RouterInputs } from "@omniglass/client";
import { InputError } from "../errors";
import { flag } from "../flags";
import type { CliIo } from "../io";
import { printRecord } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";
import { resourceCommand } from "./resource";

/**
 * `omniglass silence …`: silences — matchers (rules, an owner subtree, severities, templates),
 * a reason and a mandatory expiry at most the server's maximum (default 7 days) away.
 */

type Matchers = RouterInputs["silence"]["create"]["matchers"];
const SEVERITIES = ["info", "warning", "critical"] as const;

/** `--for 2h` / `--for 3d` or `--expires <ISO time>`: the expiry as an ISO time. */
export function expiryOf(options: { for?: string; expires?: string }, now = Date.now()) {
  if (options.for !== undefined && options.expires !== undefined)
    throw new InputError("give --for or --expires, not both");
  if (options.expires !== undefined) {
    const at = Date.parse(options.expires);
    if (Number.isNaN(at)) throw new InputError(`--expires: ${options.expires} is not a time`);
    return new Date(at).toISOString();
  }
  if (options.for === undefined) return undefined;
  const match = /^(\d+)([mhd])$/.exec(options.for);
  if (!match) throw new InputError(`--for: ${options.for} is not like 90m, 4h or 3d`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "m" | "h" | "d"];
  return new Date(now + Number(match[1]) * unit).toISOString();
}

function matchersOf(flags: {
  rules?: string[] | undefined;
  owner?: string | undefined;
  severities?: string[] | undefined;
  templates?: string[] | undefined;
}): Matchers | undefined {
  const { rules, owner, severities, templates } = flags;
  if (!rules && !owner && !severities && !templates) return undefined;
  for (const s of severities ?? [])
    if (!(SEVERITIES as readonly string[]).includes(s))
      throw new InputError(`--severities: ${s} is not one of ${SEVERITIES.join(", ")}`);
  return {
    ...(rules ? { rules } : {}),
    ...(owner ? { owner } : {}),
    ...(severities ? { severities: severities as Matchers["severities"] } : {}),
    ...(templates ? { templates } : {}),
  };
}

const matcherFlags = {
  rules: flag.list("rule names, comma-separated (any of them)"),
  owner: flag.text("a location, system or component: it and everything below it"),
  severities: flag.list("severities, comma-separated: info, warning, critical"),
  templates: flag.list("template names or name@version, comma-separated"),
  for: flag.text("how long from now: 90m, 4h, 3d"),
  expires: flag.text("when it ends (an ISO time)"),
};

export function silenceCommand(io: CliIo) {
  const command = resourceCommand(
    {
      name: "silence",
      description: "Silences: do not notify about matching alarms until an expiry (always one)",
      key: "ref",
      list: {
        flags: { state: flag.optionalChoice(["pending", "active", "expired"], "which ones") },
        call: (client, { filter: _filter, ...page }, { state }) =>
          client.silence.list.query({
            ...page,
            ...(state ? { state } : {}),
            ...(page.order_by ? { order_by: page.order_by as "created_at" } : {}),
          }),
      },
      columns: [
        { header: "ID", value: (s) => s.id },
        { header: "STATE", value: (s) => (s.idle ? `${s.state} (idle)` : s.state) },
        { header: "OWNER", value: (s) => s.owner?.path ?? "(all)" },
        {
          header: "MATCHERS",
          value: (s) =>
            [
              s.matchers.rules && `rules=${s.matchers.rules.join(",")}`,
              s.matchers.severities && `severities=${s.matchers.severities.join(",")}`,
              s.matchers.templates && `templates=${s.matchers.templates.join(",")}`,
            ]
              .filter(Boolean)
              .join(" "),
        },
        { header: "AUTHOR", value: (s) => s.author.name },
        { header: "EXPIRES", value: (s) => s.expiresAt },
        { header: "REASON", value: (s) => s.reason },
      ],
      get: (client, id) => client.silence.get.query({ id }),
      create: {
        flags: {
          ...matcherFlags,
          reason: flag.required("why (shown to everyone who sees a silenced alarm)"),
          starts: flag.text("when it starts (an ISO time; default now)"),
        },
        call: (client, input) =>
          client.silence.create.mutate({
            matchers: matchersOf(input) ?? {},
            reason: input.reason,
            ...(input.starts ? { startsAt: new Date(input.starts).toISOString() } : {}),
            expiresAt: expiryOf(input) ?? null,
          }),
      },
      update: {
        flags: { ...matcherFlags, reason: flag.text("why") },
        call: (client, id, input, version) => {
          const matchers = matchersOf(input);
          const expiresAt = expiryOf(input);
          return client.silence.update.mutate({
            id,
            ...(matchers ? { matchers } : {}),
            ...(input.reason ? { reason: input.reason } : {}),
            ...(expiresAt ? { expiresAt } : {}),
            version,
          });
        },
      },
    },
    io,
  );
  command.commands.find((c) => c.name() === "get")?.alias("show");
  return command.addCommand(expireCommand(io));
}

/** `silence expire <id>`: end it now (who and when are kept). */
function expireCommand(io: CliIo) {
  const run = createRunner(io);
  return withConnection(new Command("expire").description("End a silence now"))
    .argument("<id>", "the silence's id")
    .action(async (id: string, options: Connection) =>
      run(
        options,
        (client) => client.silence.expire.mutate({ id }),
        (silence) => printRecord(io, silence),
      ),
    );
}
