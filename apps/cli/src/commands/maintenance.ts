import { Command } from "commander";
import type { RouterInputs } from "@omniglass/client";
import { InputError } from "../errors";
import { addFlags, flag, parseFlags } from "../flags";
import type { CliIo } from "../io";
import { printTable } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";
import { resourceCommand } from "./resource";

/**
 * `omniglass maintenance …`: maintenance windows — a local start in an IANA zone, an elapsed
 * duration and an optional RRULE over a scope. DST policy (decision 0010): a start in a skipped
 * hour starts when the clock next reaches it; a repeated hour runs once, at its first instant.
 */

type Scope = RouterInputs["maintenanceWindow"]["create"]["scope"];
const SCOPE_KINDS = ["location", "system", "template", "owner"] as const;

/** `<kind>:<ref>`: location:<path>, system:<path>, template:<name>, owner:<component>. */
export function parseWindowScope(text: string): Scope {
  const colon = text.indexOf(":");
  const kind = text.slice(0, colon) as (typeof SCOPE_KINDS)[number];
  const ref = text.slice(colon + 1);
  if (colon < 1 || !SCOPE_KINDS.includes(kind) || !ref)
    throw new InputError(
      `--scope: ${JSON.stringify(text)} is not <kind>:<ref> with kind one of location, system, template, owner`,
    );
  return { kind, ref };
}

const scopeHelp = "where: location:<path>, system:<path>, template:<name>, owner:<component>";
const scheduleFlags = {
  dtstart: flag.text("the first start, local time YYYY-MM-DDTHH:mm (no offset)"),
  timeZone: flag.text("an IANA zone, e.g. Europe/London"),
  duration: flag.text("elapsed length of each occurrence: 90m, 2h"),
  label: flag.text("a label for humans"),
  description: flag.text("what is maintained and by whom"),
};

const withScope = <T extends { scope?: string | undefined }>({ scope, ...rest }: T) => ({
  ...rest,
  ...(scope === undefined ? {} : { scope: parseWindowScope(scope) }),
});

function need<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new InputError(`--${name} is required`);
  return value;
}

export function maintenanceCommand(io: CliIo) {
  const command = resourceCommand(
    {
      name: "maintenance",
      description: "Maintenance windows: recurring quiet time for a place, system or template",
      key: "ref",
      list: {
        filter: true,
        orderBy: true,
        flags: {},
        call: (client, page) => client.maintenanceWindow.list.query(page),
      },
      columns: [
        { header: "NAME", value: (w) => w.name },
        { header: "SCOPE", value: (w) => `${w.scope.kind}:${w.scope.ref}` },
        { header: "START", value: (w) => `${w.dtstart} ${w.timeZone}` },
        { header: "DURATION", value: (w) => w.duration },
        { header: "RRULE", value: (w) => w.rrule ?? "once" },
        { header: "ENABLED", value: (w) => w.enabled },
        { header: "OPEN", value: (w) => w.activeNow },
        { header: "NEXT", value: (w) => w.nextStart ?? "-" },
      ],
      get: (client, ref) => client.maintenanceWindow.get.query({ ref }),
      create: {
        flags: {
          name: flag.required("unique name (a-z, 0-9, dashes)"),
          scope: flag.required(scopeHelp),
          ...scheduleFlags,
          rrule: flag.text("RRULE, e.g. FREQ=WEEKLY;BYDAY=SA (omit: once)"),
          disabled: flag.switch("create it disabled"),
        },
        call: (client, { disabled, dtstart, timeZone, duration, scope, ...input }) =>
          client.maintenanceWindow.create.mutate({
            ...input,
            scope: parseWindowScope(scope),
            dtstart: need(dtstart, "dtstart"),
            timeZone: need(timeZone, "time-zone"),
            duration: need(duration, "duration"),
            ...(disabled ? { enabled: false } : {}),
          }),
      },
      update: {
        flags: {
          ...scheduleFlags,
          scope: flag.text(scopeHelp),
          label: flag.clearable("a label for humans"),
          rrule: flag.clearable("RRULE; --no-rrule: once"),
          enabled: flag.optionalChoice(["true", "false"], "in force or not"),
        },
        call: (client, ref, { enabled, ...input }, version) =>
          client.maintenanceWindow.update.mutate({
            ref,
            ...withScope(input),
            ...(enabled === undefined ? {} : { enabled: enabled === "true" }),
            version,
          }),
      },
      delete: { call: (client, ref) => client.maintenanceWindow.delete.mutate({ ref }) },
    },
    io,
  );
  command.commands.find((c) => c.name() === "get")?.alias("show");
  return command.addCommand(previewCommand(io));
}

/** `maintenance preview <ref> [--count N]`: next occurrences and last week's suppressed alarms. */
function previewCommand(io: CliIo) {
  const run = createRunner(io);
  const flags = { count: flag.int("how many next occurrences (1-100, default 10)") };
  const command = withConnection(
    new Command("preview").description(
      "The window's next occurrences (UTC and local, DST-resolved ones marked) and the alarms it would have suppressed last week",
    ),
  ).argument("<ref>", "the window: id or name");
  return addFlags(command, flags).action(async (ref: string, options: Connection) =>
    run(
      options,
      (client) => client.maintenanceWindow.preview.mutate({ ref, ...parseFlags(flags, options) }),
      (preview) => {
        printTable(
          io,
          [
            { header: "START (UTC)", value: (o) => o.start },
            { header: "END (UTC)", value: (o) => o.end },
            {
              header: `LOCAL (${preview.timeZone})`,
              value: (o) => `${o.localStart}–${o.localEnd}`,
            },
            { header: "DST", value: (o) => (o.dst === "exact" ? "" : o.dst) },
          ],
          preview.next,
        );
        const week = preview.lastWeek;
        io.out(
          `last 7 days: ${week.occurrences.length} occurrences, ${week.alarms.length} alarms it would have suppressed${week.truncated ? " (truncated)" : ""}`,
        );
        if (week.alarms.length === 0) return;
        printTable(
          io,
          [
            { header: "OWNER", value: (a) => a.owner },
            { header: "RULE", value: (a) => a.rule },
            { header: "SEVERITY", value: (a) => a.severity },
            { header: "OPENED", value: (a) => a.openedAt },
            { header: "RESOLVED", value: (a) => a.resolvedAt ?? "open" },
          ],
          week.alarms,
        );
      },
    ),
  );
}
