import { Command } from "commander";
import type { OmniglassClient } from "@omniglass/client";
import { versionOf } from "../flags";
import type { CliIo } from "../io";
import { printRecord, printTable } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";

const TARGET = [
  "<target>",
  "`platform`, `location.<ref>`, `system.<ref>` or `component.<ref>`",
] as const;

/** A variable's value from the command line: JSON when it parses, else the text itself. */
function parseLoose(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

interface SetInput {
  target: string;
  key: string;
  raw: string;
  secret?: boolean;
  version?: number;
}

/** The procedures of one kind: a tag's value is text, a variable's JSON (or secret text). */
function proceduresOf(kind: "tag" | "variable") {
  const isTag = kind === "tag";
  return {
    set: async (client: OmniglassClient, { raw, secret, ...input }: SetInput) =>
      isTag
        ? await client.tag.set.mutate({ ...input, value: raw })
        : await client.variable.set.mutate({
            ...input,
            value: secret ? raw : parseLoose(raw),
            ...(secret ? { secret: true } : {}),
          }),
    delete: async (client: OmniglassClient, input: { target: string; key: string }) =>
      isTag ? await client.tag.delete.mutate(input) : await client.variable.delete.mutate(input),
    explain: async (client: OmniglassClient, input: { target: string; key?: string }) =>
      isTag ? await client.tag.explain.query(input) : await client.variable.explain.query(input),
    list: async (
      client: OmniglassClient,
      input: { target?: string; page_size: number },
    ): Promise<{ items: { key: string; value?: unknown; target: string; version: number }[] }> =>
      isTag ? await client.tag.list.query(input) : await client.variable.list.query(input),
  };
}

/** `omniglass tag|variable set|delete|explain|list`: the cascade of tags and variables. */
export function bindingCommand(kind: "tag" | "variable", io: CliIo): Command {
  const run = createRunner(io);
  const procedures = proceduresOf(kind);
  const command = new Command(kind).description(
    kind === "tag"
      ? "Tags (strings) set on the platform, a location, a system or a component"
      : "Variables (JSON values) set on the platform, a location, a system or a component",
  );
  command.addCommand(
    withConnection(new Command("set").description(`Set a ${kind} on a target`))
      .argument(...TARGET)
      .argument("<key>", "the key")
      .argument("<value>", kind === "tag" ? "a string" : "a JSON value (bare words are strings)")
      .option("--version <n>", "the version you read")
      .option(
        "--secret",
        "variables: store it encrypted, never shown again (a password, community or token; taken as text)",
      )
      .action(
        async (
          target: string,
          key: string,
          raw: string,
          options: Connection & { version?: string; secret?: boolean },
        ) =>
          run(
            options,
            (client) =>
              procedures.set(client, {
                target,
                key,
                raw,
                secret: kind === "variable" && options.secret,
                version: versionOf(options),
              }),
            (result) => printRecord(io, result),
          ),
      ),
  );
  command.addCommand(
    withConnection(new Command("delete").description(`Remove a ${kind} from a target`))
      .argument(...TARGET)
      .argument("<key>", "the key")
      .action(async (target: string, key: string, options: Connection) =>
        run(
          options,
          (client) => procedures.delete(client, { target, key }),
          () => io.out(`deleted ${kind} ${key} on ${target}`),
        ),
      ),
  );
  command.addCommand(
    withConnection(
      new Command("explain").description(
        `The effective ${kind}s of a target and where each comes from`,
      ),
    )
      .argument(...TARGET)
      .option("--key <key>", "only this key")
      .action(async (target: string, options: Connection & { key?: string }) =>
        run(
          options,
          (client) => procedures.explain(client, { target, key: options.key }),
          (result) =>
            printTable(
              io,
              [
                { header: "KEY", value: (r) => r.key },
                { header: "VALUE", value: (r) => JSON.stringify(r.value) },
                { header: "FROM", value: (r) => r.winner.target },
                {
                  header: "SHADOWS",
                  value: (r) => r.shadowed.map((s) => s.target).join(", ") || "-",
                },
              ],
              result.items,
            ),
        ),
      ),
  );
  command.addCommand(
    withConnection(
      new Command("list").description(`${kind}s set directly on a target, or all you may read`),
    )
      .option("--target <target>", TARGET[1])
      .option("--page-size <n>", "rows per page (1-500)", "50")
      .action(async (options: Connection & { target?: string; pageSize: string }) =>
        run(
          options,
          (client) =>
            procedures.list(client, {
              target: options.target,
              page_size: Number(options.pageSize),
            }),
          (result) =>
            printTable(
              io,
              [
                { header: "KEY", value: (r) => r.key },
                { header: "VALUE", value: (r) => JSON.stringify(r.value) },
                { header: "ON", value: (r) => r.target },
                { header: "VERSION", value: (r) => r.version },
              ],
              result.items,
            ),
        ),
      ),
  );
  return command;
}
