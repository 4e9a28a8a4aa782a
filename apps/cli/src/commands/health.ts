import { Command } from "commander";
import type { OmniglassClient, RouterOutputs } from "@omniglass/client";
import { InputError, problemOf } from "../errors";
import { flag, parseFlags, addFlags } from "../flags";
import type { CliIo } from "../io";
import { printRecord, printTable } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";

/**
 * `omniglass health <ref>`: the verdict of a component, system or location, since when and why
 * (down to the red leaves); `--history` adds its transitions and availability over a window.
 */

const KINDS = ["component", "system", "location"] as const;
type Kind = (typeof KINDS)[number];
type OwnerHealth = RouterOutputs["component"]["health"];
type Cause = OwnerHealth["causes"][number];
type History = RouterOutputs["component"]["healthHistory"];

/** One line per cause, in the words an operator reads. */
export function describeCause(c: Cause): string {
  switch (c.kind) {
    case "alarm":
      return `${c.severity} alarm ${c.rule} on ${c.owner}: ${c.summary}`;
    case "role":
      return `role ${c.role} of ${c.owner}: ${c.working} of ${c.installed} working (quorum ${c.quorum}, impact ${c.impact})`;
    case "collector-down":
      return `${c.owner}: its collector ${c.node} is down`;
    case "not-monitored":
      return `${c.owner}: not monitored (no node polls it)`;
    case "no-data":
      return `${c.owner}: no current data`;
    case "member":
      return `member ${c.path} of ${c.owner}: ${c.verdict}`;
    case "child":
      return `${c.path} in ${c.owner}: ${c.verdict}`;
  }
}

const percent = (f: number | null) =>
  f === null ? "unknown" : f > 0 && f < 0.0001 ? "<0.01%" : `${(f * 100).toFixed(2)}%`;

/** Asks each kind (or the one given); exactly one must know the ref. */
async function findHealth(client: OmniglassClient, ref: string, kind: Kind | undefined) {
  const kinds = kind ? [kind] : KINDS;
  const answers = await Promise.allSettled(
    kinds.map((k) => client[k].health.query({ ref }).then((health) => ({ kind: k, health }))),
  );
  const found = answers.flatMap((a) => (a.status === "fulfilled" ? [a.value] : []));
  const failure = answers.find(
    (a): a is PromiseRejectedResult =>
      a.status === "rejected" && problemOf(a.reason)?.httpStatus !== 404,
  );
  if (failure) throw failure.reason;
  if (found.length > 1)
    throw new InputError(
      `${ref} names a ${found.map((f) => f.kind).join(" and a ")}: pass --kind to say which`,
    );
  if (found.length === 0) {
    const notFound = answers.find((a) => a.status === "rejected");
    throw notFound && notFound.status === "rejected"
      ? notFound.reason
      : new InputError(`no ${kinds.join(", ")} ${ref}`);
  }
  return found[0]!;
}

export function healthCommand(io: CliIo) {
  const run = createRunner(io);
  const flags = {
    kind: flag.optionalChoice(KINDS, "what the ref names, when it is ambiguous"),
    history: flag.switch("also list its transitions and availability over the window"),
    from: flag.text("history from this instant (ISO 8601; default 7 days before --to)"),
    to: flag.text("history up to this instant (ISO 8601; default now)"),
    limit: flag.int("transitions listed, newest first (1-1000, default 200)"),
  };
  const command = withConnection(
    new Command("health")
      .description(
        "The health of a component, system or location: verdict, since when, and why (--history: transitions and availability)",
      )
      .argument("<ref>", "an id, a unique name or a dotted path"),
  );
  return addFlags(command, flags).action(async (ref: string, options: Connection) =>
    run(
      options,
      async (client) => {
        const { kind, history, from, to, limit } = parseFlags(flags, options);
        const found = await findHealth(client, ref, kind);
        if (!history) return found.health;
        const window = await client[found.kind].healthHistory.query({
          ref: found.health.owner.id,
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          ...(limit ? { limit } : {}),
        });
        return { ...found.health, history: window };
      },
      (result: OwnerHealth & { history?: History }) => {
        printRecord(io, {
          owner: `${result.owner.kind} ${result.owner.path}`,
          verdict: result.verdict,
          since: result.since,
          why: result.explanation,
        });
        if (result.leaves.length > 0) {
          io.out("");
          io.out("Red leaves:");
          for (const leaf of result.leaves) io.out(`  ${describeCause(leaf)}`);
        }
        const h = result.history;
        if (!h) return;
        const a = h.availability;
        io.out("");
        io.out(`Availability ${percent(a.available)} from ${a.from} to ${a.to}`);
        const spent = Object.entries(a.byVerdict)
          .filter(([, f]) => f > 0)
          .map(([v, f]) => `${v} ${percent(f)}`);
        if (spent.length > 0) io.out(`  ${spent.join(", ")}`);
        io.out("");
        printTable(
          io,
          [
            { header: "AT", value: (t) => t.at },
            { header: "VERDICT", value: (t) => t.verdict },
            { header: "PREVIOUS", value: (t) => t.previous },
            { header: "WHY", value: (t) => t.explanation },
          ],
          h.transitions,
        );
      },
    ),
  );
}
