import { Command } from "commander";
import type { RouterInputs } from "@omniglass/client";
import { InputError } from "../errors";
import { addFlags, flag, parseFlags } from "../flags";
import type { CliIo } from "../io";
import { printTable } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";
import { resourceCommand } from "./resource";

/**
 * `omniglass rule …`: event rules (CEL fire and clear over an owner's values, a sustain, a
 * severity, a scope). Template and built-in rules are read-only; the server checks CEL on save and
 * names the field, line and column of an error.
 */

type Scope = RouterInputs["rule"]["create"]["scope"];
const SCOPE_KINDS = ["all", "template", "system-type", "location", "owner"] as const;

/** `all`, or `<kind>:<ref>` (template:name@version, system-type:name, location:path, owner:ref). */
export function parseScope(text: string): NonNullable<Scope> {
  if (text === "all") return { kind: "all", ref: null };
  const colon = text.indexOf(":");
  const kind = text.slice(0, colon) as (typeof SCOPE_KINDS)[number];
  const ref = text.slice(colon + 1);
  if (colon < 1 || !SCOPE_KINDS.includes(kind) || kind === "all" || !ref)
    throw new InputError(
      `--scope: ${JSON.stringify(text)} is not \`all\` or <kind>:<ref> with kind one of template, system-type, location, owner`,
    );
  return { kind, ref };
}

const scopeFlag = flag.text(
  "where it applies: all, template:<name@version>, system-type:<name>, location:<path>, owner:<ref>",
);

const ruleFields = {
  label: flag.text("a label for humans"),
  description: flag.text("what it means and what to do"),
  fire: flag.text('CEL: when it fires, e.g. signals["temperature"] > 70'),
  clear: flag.text("CEL: when it clears (hysteresis); default: when fire is false"),
  sustainSeconds: flag.int("how long fire must hold before the alarm opens (0-86400)"),
  scope: scopeFlag,
  flapWindowSeconds: flag.int("the window transitions are counted in for flapping"),
  flapThreshold: flag.int("transitions within the window that make it flapping (2-100)"),
};

const withScope = <T extends { scope?: string | undefined }>({ scope, ...rest }: T) => ({
  ...rest,
  ...(scope === undefined ? {} : { scope: parseScope(scope) }),
});

export function ruleCommand(io: CliIo) {
  const command = resourceCommand(
    {
      name: "rule",
      description: "Event rules: CEL conditions that open and resolve alarms (with a preview)",
      key: "ref",
      list: {
        filter: true,
        orderBy: true,
        flags: {},
        call: (client, page) => client.rule.list.query(page),
      },
      columns: [
        { header: "NAME", value: (r) => r.name },
        { header: "SEVERITY", value: (r) => r.severity },
        {
          header: "ORIGIN",
          value: (r) => (r.template ? `${r.template.name}@${r.template.version}` : r.origin),
        },
        {
          header: "SCOPE",
          value: (r) => (r.scope.ref ? `${r.scope.kind}:${r.scope.ref}` : r.scope.kind),
        },
        { header: "SUSTAIN", value: (r) => `${r.sustainSeconds}s` },
        { header: "ENABLED", value: (r) => r.enabled },
        { header: "FIRE", value: (r) => r.fire },
        { header: "ID", value: (r) => r.id },
      ],
      get: (client, ref) => client.rule.get.query({ ref }),
      create: {
        flags: {
          name: flag.required("unique among custom rules"),
          severity: flag.choice(["info", "warning", "critical"], "severity"),
          ...ruleFields,
          fire: flag.required('CEL: when it fires, e.g. signals["temperature"] > 70'),
          disabled: flag.switch("create it disabled"),
        },
        call: (client, { disabled, ...input }) =>
          client.rule.create.mutate({
            ...withScope(input),
            ...(disabled ? { enabled: false } : {}),
          }),
      },
      update: {
        flags: {
          ...ruleFields,
          label: flag.clearable("a label for humans"),
          clear: flag.clearable("CEL: when it clears; --no-clear: when fire is false"),
          severity: flag.optionalChoice(["info", "warning", "critical"], "severity"),
          enabled: flag.optionalChoice(["true", "false"], "evaluated or not"),
        },
        call: (client, ref, { enabled, ...input }, version) =>
          client.rule.update.mutate({
            ref,
            ...withScope(input),
            ...(enabled === undefined ? {} : { enabled: enabled === "true" }),
            version,
          }),
      },
      delete: { call: (client, ref) => client.rule.delete.mutate({ ref }) },
    },
    io,
  );
  command.commands.find((c) => c.name() === "get")?.alias("show");
  return command.addCommand(previewCommand(io));
}

/** `rule preview <ref> [--hours N]`: when the rule would have fired and cleared over history. */
function previewCommand(io: CliIo) {
  const run = createRunner(io);
  const flags = { hours: flag.int("look back this many hours (1-168, default 24)") };
  const command = withConnection(
    new Command("preview").description(
      "Replay a saved rule over the last hours of history: when it would have fired and cleared",
    ),
  ).argument("<ref>", "the rule: id or name");
  return addFlags(command, flags).action(async (ref: string, options: Connection) =>
    run(
      options,
      (client) => client.rule.preview.mutate({ ref, ...parseFlags(flags, options) }),
      (preview) => {
        io.out(
          `${preview.episodes.length} episodes over ${preview.hours} h (${preview.owners} owners, ${preview.samples} samples${preview.truncated ? "; truncated: part of the scope" : ""})`,
        );
        if (preview.episodes.length === 0) return;
        printTable(
          io,
          [
            { header: "OWNER", value: (e) => e.owner.path },
            { header: "INSTANCE", value: (e) => e.instance || "-" },
            { header: "FIRED", value: (e) => e.firedAt },
            { header: "CLEARED", value: (e) => e.clearedAt ?? "still firing" },
          ],
          preview.episodes,
        );
      },
    ),
  );
}
