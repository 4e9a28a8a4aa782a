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
type AlarmWhy = RouterOutputs["alarm"]["why"];
type Suppression = NonNullable<Alarm["suppression"]>;

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

/**
 * Why an alarm is held, in a few words: the windows by name, the silences by reason, the root
 * alarm's owner ("behind campus.north.switch-1").
 */
export function suppressionText(s: Suppression | null | undefined): string | null {
  if (!s) return null;
  return [
    ...s.windows.map((w) => `window ${w.name}`),
    ...s.silences.map((x) => `silence "${x.reason}"`),
    ...(s.root ? [`behind ${s.root.owner.path}`] : []),
  ].join(", ");
}

/** "delivered 200 in 120 ms at <time> (1 attempt)" for one webhook. */
const deliveryText = (d: AlarmWhy["transitions"][number]["deliveries"][number]) =>
  [
    `${d.endpoint.name}: ${d.status}`,
    d.lastStatusCode !== null ? `${d.lastStatusCode}` : null,
    d.lastLatencyMs !== null ? `in ${d.lastLatencyMs} ms` : null,
    d.deliveredAt
      ? `at ${d.deliveredAt}`
      : d.lastAttemptAt
        ? `last tried ${d.lastAttemptAt}`
        : null,
    `(${d.attempts} attempt${d.attempts === 1 ? "" : "s"})`,
    d.status !== "delivered" && d.lastError ? `— ${d.lastError}` : null,
    d.status !== "delivered" && d.nextAttemptAt ? `next ${d.nextAttemptAt}` : null,
  ]
    .filter((x) => x !== null)
    .join(" ");

/** The answer of `alarm why` for people: the state, the suppression history, every transition. */
export function printWhy(io: CliIo, w: AlarmWhy) {
  const current = w.suppression.current;
  printRecord(io, {
    alarm: `${w.alarm.id} ${w.alarm.severity} ${w.alarm.lifecycle}${w.alarm.acknowledged ? " acknowledged" : ""} — ${w.alarm.summary}`,
    owner: `${w.alarm.owner.kind} ${w.alarm.owner.path}`,
    rule: `${w.rule.name} (${w.rule.origin})`,
    notified: w.notified ? "yes: a webhook was delivered" : "no webhook delivered",
    suppressed: current ? `yes since ${current.since}: ${suppressionText(current)}` : "no",
    ...(current?.root
      ? {
          chain: current.root.links
            .map((l) => `${l.from} → ${l.to} (${l.via}: ${l.reason})`)
            .join("; "),
        }
      : {}),
    ...(w.suppression.root
      ? {
          "root alarm": `${w.suppression.root.id} ${w.suppression.root.lifecycle} — ${w.suppression.root.summary} on ${w.suppression.root.owner.path}`,
        }
      : {}),
  });
  if (w.suppression.history.length > 0) {
    io.out("");
    io.out("Suppression");
    printTable(
      io,
      [
        { header: "SEQ", value: (h) => h.seq },
        { header: "AT", value: (h) => h.at },
        { header: "EVENT", value: (h) => h.kind },
        {
          header: "REASONS",
          value: (h) =>
            `${suppressionText(h.reasons) ?? "(not recorded)"}${h.kind === "unsuppressed" ? " ended" : ""}${h.comment ? ` — ${h.comment}` : ""}`,
        },
      ],
      w.suppression.history,
    );
  }
  io.out("");
  io.out("Transitions");
  for (const t of w.transitions) {
    const held = t.suppressed ? "held" : "not held";
    io.out(`#${t.seq} ${t.at} ${t.kind} (${held}; ${t.outbox}; facts from ${t.facts})`);
    const rules = t.actionRules.map(
      (r) =>
        `${r.name} ${r.matched ? "matched" : `no (${r.why})`}${r.changedSince ? " [changed since]" : ""}`,
    );
    const hidden = t.otherActionRules.matched + t.otherActionRules.notMatched;
    if (hidden > 0)
      rules.push(
        `${hidden} not readable (${t.otherActionRules.matched} matched, ${t.otherActionRules.notMatched} not)`,
      );
    io.out(`  action rules: ${rules.length > 0 ? rules.join("; ") : "none"}`);
    for (const d of t.deliveries) io.out(`  webhook ${deliveryText(d)}`);
    if (t.otherDeliveries.total > 0)
      io.out(
        `  webhooks to endpoints not readable: ${t.otherDeliveries.total} (${t.otherDeliveries.delivered} delivered)`,
      );
    if (t.deliveries.length === 0 && t.otherDeliveries.total === 0) io.out("  no webhook");
  }
}

export function alarmCommand(io: CliIo) {
  const run = createRunner(io);
  const command = new Command("alarm").description(
    "Alarms: list, show with the timeline, why (did or didn't it notify), acknowledge, resolve",
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
          suppressed: boolChoice(
            "true: open alarms held from notifying (the suppressed lane); false: not held",
          ),
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
          { header: "SUPPRESSED", value: (a) => suppressionText(a.suppression) },
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
    const { timeline, acknowledgement, rule, owner, suppression, ...rest } = a;
    printRecord(io, {
      ...rest,
      suppression: suppressionText(suppression),
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
      new Command("why")
        .description(
          "Why did (or didn't) an alarm notify: the windows, silences or root alarm that held it, the action rules each transition matched and the webhooks delivered",
        )
        .argument("<id>", "the alarm's id"),
    ).action(async (id: string, options: Connection) =>
      run(
        options,
        (client) => client.alarm.why.query({ id }),
        (w) => printWhy(io, w),
      ),
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
