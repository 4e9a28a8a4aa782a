import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { parse as parseYaml } from "yaml";
import { createOmniglassClient, TRPCClientError, type OmniglassClient } from "@omniglass/client";
import { resolveServerUrl, resolveToken } from "../env";

/**
 * The estate's resource commands (`omniglass <resource> <verb>`), generated from one table of
 * resources below: each verb maps to the procedure of the same name through the typed client.
 * A token is required (`--token`, else OMNIGLASS_TOKEN); errors print the server's detail and exit
 * 1, an unreachable server exits 2.
 */

export interface EstateIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Overrides the transport (tests route it to an in-process server). */
  fetch?: typeof fetch;
}

const defaultIo: EstateIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

type FieldType = "string" | "int" | "bool" | "json" | "list";

interface Field {
  /** The input key; the flag is its kebab-case. */
  key: string;
  type?: FieldType;
  required?: boolean;
  /** `--no-label` style: the value may be cleared (sent as null). */
  nullable?: boolean;
  description: string;
}

interface Column {
  header: string;
  value: (row: Record<string, unknown>) => unknown;
}

interface ResourceSpec {
  name: "location" | "system" | "component" | "template" | "signal" | "node";
  description: string;
  /** The key a single row is addressed by (`ref`, or `name` for signals). */
  key: "ref" | "name";
  columns: Column[];
  list: { filter?: boolean; orderBy?: boolean; fields?: Field[] };
  create?: Field[];
  update?: Field[];
  delete?: boolean;
  /** The input key naming where it moves to (`parent` for locations, `location` otherwise). */
  move?: "parent" | "location";
  rename?: boolean;
}

const at = (path: string) => (row: Record<string, unknown>) =>
  path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | null)?.[k], row);

const LABEL: Field = { key: "label", nullable: true, description: "a label for humans" };

const RESOURCES: ResourceSpec[] = [
  {
    name: "location",
    description: "Locations: campus, building, floor, room…",
    key: "ref",
    columns: [
      { header: "PATH", value: at("path") },
      { header: "TYPE", value: at("type") },
      { header: "LABEL", value: at("label") },
      { header: "CHILDREN", value: at("childCount") },
      { header: "VERSION", value: at("version") },
    ],
    list: {
      fields: [
        {
          key: "parent",
          description: "only the children of this location (`root`: the top level)",
        },
      ],
    },
    create: [
      { key: "name", required: true, description: "the name (a-z, 0-9, dashes)" },
      { key: "type", required: true, description: "a location type, e.g. building" },
      { key: "parent", description: "the parent location (omit for a root)" },
      LABEL,
    ],
    update: [LABEL, { key: "type", description: "a location type" }],
    delete: true,
    move: "parent",
    rename: true,
  },
  {
    name: "system",
    description: "Systems: a room's AV, a video wall, …",
    key: "ref",
    columns: [
      { header: "PATH", value: at("path") },
      { header: "TYPE", value: at("type") },
      { header: "LABEL", value: at("label") },
      { header: "MEMBERS", value: at("memberCount") },
      { header: "VERSION", value: at("version") },
    ],
    list: { filter: true, orderBy: true },
    create: [
      { key: "name", required: true, description: "the name" },
      { key: "type", required: true, description: "a system type, e.g. meeting-room" },
      { key: "location", required: true, description: "where it is placed" },
      LABEL,
    ],
    update: [LABEL, { key: "type", description: "a system type" }],
    delete: true,
    move: "location",
    rename: true,
  },
  {
    name: "component",
    description: "Components: devices, apps and services",
    key: "ref",
    columns: [
      { header: "PATH", value: at("path") },
      { header: "KIND", value: at("kind") },
      {
        header: "TEMPLATE",
        value: (r) => `${String(at("template.name")(r))}@${String(at("template.version")(r))}`,
      },
      { header: "ADDRESS", value: at("address") },
      { header: "SYSTEM", value: at("primarySystem.path") },
      { header: "VERSION", value: at("version") },
    ],
    list: { filter: true, orderBy: true },
    create: [
      { key: "name", required: true, description: "the name" },
      { key: "location", required: true, description: "where it is placed" },
      { key: "template", required: true, description: "`<name>` or `<name>@<version>`" },
      { key: "system", description: "a system it serves (its primary)" },
      { key: "role", description: "the role of that system it fills" },
      { key: "node", description: "the node polling its interfaces" },
      { key: "label", description: "a label for humans" },
      { key: "vendor", description: "vendor" },
      { key: "model", description: "model" },
      { key: "serial", description: "serial number" },
      { key: "mac", description: "MAC address (aa:bb:cc:dd:ee:ff)" },
      { key: "address", description: "IP address or host name" },
      { key: "interfaces", type: "json", description: "interface bindings as JSON" },
    ],
    update: [
      LABEL,
      { key: "vendor", nullable: true, description: "vendor" },
      { key: "model", nullable: true, description: "model" },
      { key: "serial", nullable: true, description: "serial number" },
      { key: "mac", nullable: true, description: "MAC address" },
      { key: "address", nullable: true, description: "IP address or host name" },
      { key: "interfaces", type: "json", description: "interface bindings as JSON" },
    ],
    delete: true,
    move: "location",
    rename: true,
  },
  {
    name: "template",
    description: "Templates: versioned device definitions (publish with `template publish <file>`)",
    key: "ref",
    columns: [
      { header: "NAME", value: at("name") },
      { header: "KIND", value: at("kind") },
      { header: "LATEST", value: at("latestVersion") },
      { header: "LABEL", value: at("label") },
      { header: "OFFICIAL", value: at("official") },
    ],
    list: { filter: true },
    delete: true,
  },
  {
    name: "signal",
    description: "The signal catalog: metrics and properties",
    key: "name",
    columns: [
      { header: "NAME", value: at("name") },
      { header: "LANE", value: at("lane") },
      { header: "TYPE", value: at("valueType") },
      { header: "UNIT", value: at("unit") },
      { header: "LABEL", value: at("label") },
    ],
    list: { filter: true },
    create: [
      { key: "name", required: true, description: "the signal's name" },
      { key: "lane", required: true, description: "metric or property" },
      { key: "label", required: true, description: "a short name for humans" },
      { key: "description", required: true, description: "what it measures" },
      { key: "valueType", required: true, description: "number, string, boolean, integer or json" },
      { key: "unit", nullable: true, description: "metrics: the unit" },
      { key: "precision", type: "int", nullable: true, description: "metrics: decimal places" },
      { key: "schema", type: "json", nullable: true, description: "properties: a JSON Schema" },
    ],
    delete: true,
  },
  {
    name: "node",
    description: "Nodes: edge collectors",
    key: "ref",
    columns: [
      { header: "NAME", value: at("name") },
      { header: "LOCATION", value: at("location.path") },
      { header: "STATUS", value: at("status") },
      { header: "LABEL", value: at("label") },
      { header: "VERSION", value: at("version") },
    ],
    list: { filter: true, orderBy: true },
    create: [
      { key: "name", required: true, description: "unique among all principals" },
      { key: "location", required: true, description: "where it is placed" },
      { key: "expiresInHours", type: "int", description: "enrollment token lifetime in hours" },
      { key: "label", description: "a label for humans" },
    ],
    update: [LABEL],
    delete: true,
    move: "location",
  },
];

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

type Procedure = {
  query: (input: unknown) => Promise<unknown>;
  mutate: (input: unknown) => Promise<unknown>;
};

/** The procedure `<resource>.<verb>` on the typed client (the verbs are the router's names). */
function procedure(client: OmniglassClient, resource: string, verb: string): Procedure {
  return (client as unknown as Record<string, Record<string, Procedure>>)[resource]![verb]!;
}

interface Connection {
  url?: string;
  token?: string;
  json?: boolean;
}

/** The shared part of every estate command: the client, output and error handling. */
function runner(io: EstateIo) {
  return async (
    options: Connection,
    call: (client: OmniglassClient) => Promise<unknown>,
    print: (result: unknown) => void,
  ) => {
    const url = resolveServerUrl(options.url);
    const token = resolveToken(options.token);
    if (!token) {
      io.err(
        "omniglass: no API token: pass --token or set OMNIGLASS_TOKEN (`pnpm omniglass bootstrap <user>` prints one)",
      );
      process.exitCode = 2;
      return;
    }
    const client = createOmniglassClient({ url, client: "cli", token, fetch: io.fetch });
    try {
      const result = await call(client);
      if (options.json) io.out(JSON.stringify(result, null, 2));
      else print(result);
      process.exitCode = 0;
    } catch (error) {
      process.exitCode = reportError(io, url, error);
    }
  };
}

/** Prints the server's detail (and field errors); 1 for an answer, 2 when the server is unreachable. */
function reportError(io: EstateIo, url: string, error: unknown): number {
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<never>).data as
      | {
          httpStatus?: number;
          title?: string;
          fieldErrors?: { field: string; message: string }[];
          requestId?: string | null;
        }
      | undefined;
    if (data?.httpStatus) {
      io.err(`omniglass: ${data.title ?? "error"} (${data.httpStatus}): ${error.message}`);
      for (const f of data.fieldErrors ?? []) io.err(`  ${f.field}: ${f.message}`);
      return 1;
    }
    io.err(`omniglass: cannot reach ${url}: ${error.message}`);
    return 2;
  }
  if (error instanceof InputError) {
    io.err(`omniglass: ${error.message}`);
    for (const line of error.details) io.err(`  ${line}`);
    return 1;
  }
  io.err(`omniglass: ${(error as Error).message}`);
  return 1;
}

class InputError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

function withConnection(command: Command) {
  return command
    .option("--url <url>", "server URL (default: OMNIGLASS_URL, else the instance npm start runs)")
    .option("--token <token>", "API token (default: OMNIGLASS_TOKEN)")
    .option("--json", "print the raw JSON answer");
}

function addFields(command: Command, fields: Field[]) {
  for (const field of fields) {
    const flag = kebab(field.key);
    const value = field.type === "bool" ? "" : ` <${field.type === "json" ? "json" : "value"}>`;
    const option = new Option(`--${flag}${value}`, field.description);
    if (field.required) option.makeOptionMandatory();
    command.addOption(option);
    if (field.nullable) command.addOption(new Option(`--no-${flag}`, `clear ${flag}`));
  }
}

/** The input object from the parsed flags: ints and JSON parsed, `--no-x` as null, absent omitted. */
function fieldsOf(fields: Field[], options: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    const value = options[camel(kebab(field.key))];
    if (value === undefined) continue;
    if (value === false) {
      input[field.key] = null;
      continue;
    }
    if (value === true) {
      input[field.key] = field.type === "bool" ? true : undefined;
      continue;
    }
    const text = String(value);
    if (field.type === "int") {
      const n = Number(text);
      if (!Number.isInteger(n))
        throw new InputError(`--${kebab(field.key)} must be a whole number`);
      input[field.key] = n;
    } else if (field.type === "json") {
      try {
        input[field.key] = JSON.parse(text) as unknown;
      } catch {
        throw new InputError(`--${kebab(field.key)} is not valid JSON`);
      }
    } else input[field.key] = text;
  }
  return input;
}

function versionOf(options: { version?: string }): number | undefined {
  if (options.version === undefined) return undefined;
  const n = Number(options.version);
  if (!Number.isInteger(n) || n < 1)
    throw new InputError("--version must be a positive whole number");
  return n;
}

function printTable(io: EstateIo, columns: Column[], rows: Record<string, unknown>[]) {
  const cell = (v: unknown) => (v === null || v === undefined ? "-" : String(v));
  const table = [
    columns.map((c) => c.header),
    ...rows.map((r) => columns.map((c) => cell(c.value(r)))),
  ];
  const widths = columns.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table)
    io.out(
      row
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    );
}

/** A single row: `key: value` lines, nested values as JSON. */
function printRecord(io: EstateIo, value: unknown) {
  if (!value || typeof value !== "object") {
    io.out(String(value));
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const width = Math.max(...entries.map(([k]) => k.length));
  for (const [key, v] of entries) {
    const shown =
      v === null ? "-" : typeof v === "object" ? JSON.stringify(v) : String(v as string | number);
    io.out(`${key.padEnd(width)}  ${shown}`);
  }
}

function resourceCommand(spec: ResourceSpec, io: EstateIo): Command {
  const run = runner(io);
  const command = new Command(spec.name).description(spec.description);
  const keyArg = spec.key === "name" ? "<name>" : "<ref>";
  const keyHelp = spec.key === "name" ? "its name" : "an id, a unique name or a dotted path";
  const single = (result: unknown) => printRecord(io, result);

  const list = withConnection(new Command("list").description(`List ${spec.name}s in your scope`))
    .option("--q <text>", "name or label contains this")
    .option("--page-size <n>", "rows per page (1-500)", "50")
    .option("--page-token <token>", "continue from a previous page's next-page token")
    .option("--all", "follow the pages to the end");
  if (spec.list.filter) list.option("--filter <terms>", "space-separated field=value terms");
  if (spec.list.orderBy) list.option("--order-by <field>", "sort field, `-` for descending");
  addFields(list, spec.list.fields ?? []);
  list.action(async (options: Connection & Record<string, string | boolean | undefined>) => {
    const items: Record<string, unknown>[] = [];
    let last: { nextPageToken: string | null; totalSize?: number } = { nextPageToken: null };
    await run(
      options,
      async (client) => {
        const pageSize = Number(options.pageSize);
        if (!Number.isInteger(pageSize)) throw new InputError("--page-size must be a whole number");
        let token = options.pageToken as string | undefined;
        do {
          const page = (await procedure(client, spec.name, "list").query({
            ...fieldsOf(spec.list.fields ?? [], options),
            ...(options.filter ? { filter: options.filter } : {}),
            ...(options.orderBy ? { order_by: options.orderBy } : {}),
            ...(options.q ? { q: options.q } : {}),
            page_size: pageSize,
            ...(token ? { page_token: token } : {}),
          })) as {
            items: Record<string, unknown>[];
            nextPageToken: string | null;
            totalSize?: number;
          };
          items.push(...page.items);
          last = page;
          token = page.nextPageToken ?? undefined;
        } while (options.all && token);
        return { items, nextPageToken: last.nextPageToken, totalSize: last.totalSize };
      },
      () => {
        printTable(io, spec.columns, items);
        const total = last.totalSize === undefined ? "" : ` of ${last.totalSize}`;
        io.out(
          `(${items.length}${total})${last.nextPageToken ? `  next page: --page-token ${last.nextPageToken}` : ""}`,
        );
      },
    );
  });
  command.addCommand(list);

  command.addCommand(
    withConnection(new Command("get").description(`Show one ${spec.name}`))
      .argument(keyArg, keyHelp)
      .action(async (key: string, options: Connection) =>
        run(
          options,
          (client) => procedure(client, spec.name, "get").query({ [spec.key]: key }),
          single,
        ),
      ),
  );

  if (spec.create) {
    const fields = spec.create;
    const create = withConnection(new Command("create").description(`Create a ${spec.name}`));
    addFields(create, fields);
    create.action(async (options: Connection & Record<string, unknown>) =>
      run(
        options,
        (client) => procedure(client, spec.name, "create").mutate(fieldsOf(fields, options)),
        single,
      ),
    );
    command.addCommand(create);
  }

  if (spec.update) {
    const fields = spec.update;
    const update = withConnection(new Command("update").description(`Change a ${spec.name}`))
      .argument(keyArg, keyHelp)
      .option("--version <n>", "the version you read (a stale one is refused, 409)");
    addFields(update, fields);
    update.action(async (ref: string, options: Connection & Record<string, unknown>) =>
      run(
        options,
        (client) =>
          procedure(client, spec.name, "update").mutate({
            ref,
            ...fieldsOf(fields, options),
            version: versionOf(options as { version?: string }),
          }),
        single,
      ),
    );
    command.addCommand(update);
  }

  if (spec.delete) {
    command.addCommand(
      withConnection(new Command("delete").description(`Delete a ${spec.name}`))
        .argument(spec.name === "template" ? "<name@version>" : keyArg, keyHelp)
        .action(async (key: string, options: Connection) =>
          run(
            options,
            (client) => procedure(client, spec.name, "delete").mutate({ [spec.key]: key }),
            (result) => io.out(`deleted ${key} (${String((result as { id: string }).id)})`),
          ),
        ),
    );
  }

  if (spec.move) {
    const to = spec.move;
    command.addCommand(
      withConnection(new Command("move").description(`Move a ${spec.name} to another location`))
        .argument(keyArg, keyHelp)
        .argument(
          "<to>",
          to === "parent"
            ? "the new parent (`root` for the top level)"
            : "the location it moves to",
        )
        .option("--version <n>", "the version you read")
        .action(async (ref: string, target: string, options: Connection & { version?: string }) =>
          run(
            options,
            (client) =>
              procedure(client, spec.name, "move").mutate({
                ref,
                [to]: to === "parent" && target === "root" ? null : target,
                version: versionOf(options),
              }),
            (result) => io.out(`moved to ${String((result as { path?: string }).path ?? target)}`),
          ),
        ),
    );
  }

  if (spec.rename) {
    command.addCommand(
      withConnection(new Command("rename").description(`Rename a ${spec.name}`))
        .argument(keyArg, keyHelp)
        .argument("<name>", "the new name")
        .option("--version <n>", "the version you read")
        .action(async (ref: string, name: string, options: Connection & { version?: string }) =>
          run(
            options,
            (client) =>
              procedure(client, spec.name, "rename").mutate({
                ref,
                name,
                version: versionOf(options),
              }),
            (result) => io.out(`renamed to ${String((result as { path?: string }).path ?? name)}`),
          ),
        ),
    );
  }

  if (spec.name === "template") command.addCommand(publishCommand(io));
  return command;
}

/** `template publish <file>`: a YAML or JSON template document; invalid fields are named by path. */
function publishCommand(io: EstateIo) {
  const run = runner(io);
  return withConnection(
    new Command("publish").description("Publish a template version from a YAML or JSON file"),
  )
    .argument("<file>", "the template document (.yaml, .yml or .json)")
    .action(async (file: string, options: Connection) =>
      run(
        options,
        async (client) => {
          let document: unknown;
          try {
            const text = readFileSync(file, "utf8");
            document = /\.json$/i.test(file)
              ? (JSON.parse(text) as unknown)
              : (parseYaml(text) as unknown);
          } catch (error) {
            throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
          }
          try {
            return await procedure(client, "template", "publish").mutate({ document });
          } catch (error) {
            // The server names each invalid field by its path in the input; show it in the file's terms.
            const fieldErrors = (
              error instanceof TRPCClientError
                ? ((error as TRPCClientError<never>).data as { fieldErrors?: unknown } | undefined)
                    ?.fieldErrors
                : undefined
            ) as { field: string; message: string }[] | undefined;
            if (fieldErrors?.length)
              throw new InputError(
                `${file} is not a valid template`,
                fieldErrors.map(
                  (f) => `${f.field.replace(/^document\.?/, "") || "(document)"}: ${f.message}`,
                ),
              );
            throw error;
          }
        },
        (result) => {
          const version = result as { name: string; version: number };
          io.out(`published ${version.name}@${version.version}`);
        },
      ),
    );
}

/** `tag|variable set|delete|explain|list`: the cascade of tags and variables. */
function bindingCommand(kind: "tag" | "variable", io: EstateIo): Command {
  const run = runner(io);
  const command = new Command(kind).description(
    kind === "tag"
      ? "Tags (strings) set on the platform, a location, a system or a component"
      : "Variables (JSON values) set on the platform, a location, a system or a component",
  );
  const targetHelp = "`platform`, `location.<ref>`, `system.<ref>` or `component.<ref>`";
  const show = (result: unknown) => printRecord(io, result);
  command.addCommand(
    withConnection(new Command("set").description(`Set a ${kind} on a target`))
      .argument("<target>", targetHelp)
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
              procedure(client, kind, "set").mutate({
                target,
                key,
                value: kind === "tag" || options.secret ? raw : parseLoose(raw),
                ...(kind === "variable" && options.secret ? { secret: true } : {}),
                version: versionOf(options),
              }),
            show,
          ),
      ),
  );
  command.addCommand(
    withConnection(new Command("delete").description(`Remove a ${kind} from a target`))
      .argument("<target>", targetHelp)
      .argument("<key>", "the key")
      .action(async (target: string, key: string, options: Connection) =>
        run(
          options,
          (client) => procedure(client, kind, "delete").mutate({ target, key }),
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
      .argument("<target>", targetHelp)
      .option("--key <key>", "only this key")
      .action(async (target: string, options: Connection & { key?: string }) =>
        run(
          options,
          (client) =>
            procedure(client, kind, "explain").query({
              target,
              ...(options.key ? { key: options.key } : {}),
            }),
          (result) => {
            const items = (
              result as {
                items: {
                  key: string;
                  value: unknown;
                  winner: { target: string };
                  shadowed: { target: string }[];
                }[];
              }
            ).items;
            printTable(
              io,
              [
                { header: "KEY", value: at("key") },
                { header: "VALUE", value: (r) => JSON.stringify(r.value) },
                { header: "FROM", value: at("winner.target") },
                {
                  header: "SHADOWS",
                  value: (r) =>
                    (r.shadowed as { target: string }[]).map((s) => s.target).join(", ") || "-",
                },
              ],
              items as unknown as Record<string, unknown>[],
            );
          },
        ),
      ),
  );
  command.addCommand(
    withConnection(
      new Command("list").description(`${kind}s set directly on a target, or all you may read`),
    )
      .option("--target <target>", targetHelp)
      .option("--page-size <n>", "rows per page (1-500)", "50")
      .action(async (options: Connection & { target?: string; pageSize: string }) =>
        run(
          options,
          (client) =>
            procedure(client, kind, "list").query({
              ...(options.target ? { target: options.target } : {}),
              page_size: Number(options.pageSize),
            }),
          (result) =>
            printTable(
              io,
              [
                { header: "KEY", value: at("key") },
                { header: "VALUE", value: (r) => JSON.stringify(r.value) },
                { header: "ON", value: at("target") },
                { header: "VERSION", value: at("version") },
              ],
              (result as { items: Record<string, unknown>[] }).items,
            ),
        ),
      ),
  );
  return command;
}

/** A variable's value from the command line: JSON when it parses, else the text itself. */
function parseLoose(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export function estateCommands(io: EstateIo = defaultIo): Command[] {
  return [
    ...RESOURCES.map((spec) => resourceCommand(spec, io)),
    bindingCommand("tag", io),
    bindingCommand("variable", io),
  ];
}
