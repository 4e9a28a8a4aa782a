import { Command } from "commander";
import type { OmniglassClient } from "@omniglass/client";
import { InputError } from "../errors";
import { addFlags, parseFlags, versionOf, type FlagShape, type FlagValues } from "../flags";
import type { CliIo } from "../io";
import { printRecord, printTable, type Column } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";

/**
 * `omniglass <resource> <verb>` for the estate's resources: list, get, create, update, delete,
 * move and rename, from one typed spec per resource. Each verb of a spec is a function on the
 * typed client (the resource's procedure map), so inputs and answers keep the API's types.
 */

export interface Page<Row> {
  items: Row[];
  nextPageToken: string | null;
  totalSize?: number;
}

/** The list flags every resource shares, as the list procedures take them. */
export interface PageInput {
  q?: string;
  filter?: string;
  order_by?: string;
  page_size: number;
  page_token?: string;
}

type Client = OmniglassClient;

export interface ResourceSpec<Row, L extends FlagShape, C extends FlagShape, U extends FlagShape> {
  name: string;
  description: string;
  /** What a single row is addressed by. */
  key: "ref" | "name";
  list: {
    /** Whether the list takes `q` (default true). */
    search?: boolean;
    filter?: boolean;
    orderBy?: boolean;
    /** Flags of this list beyond the shared ones (`{}` for none). */
    flags: L;
    call: (client: Client, page: PageInput, flags: FlagValues<L>) => Promise<Page<Row>>;
  };
  columns: Column<Row>[];
  get: (client: Client, key: string) => Promise<unknown>;
  create?: { flags: C; call: (client: Client, input: FlagValues<C>) => Promise<unknown> };
  update?: {
    flags: U;
    call: (client: Client, ref: string, input: FlagValues<U>, version?: number) => Promise<unknown>;
  };
  delete?: { argument?: string; call: (client: Client, key: string) => Promise<{ id: string }> };
  /** Locations move under a `parent` (`root`: the top level, sent as null), others to a `location`. */
  move?:
    | {
        to: "parent";
        call: (
          client: Client,
          ref: string,
          to: string | null,
          version?: number,
        ) => Promise<unknown>;
      }
    | {
        to: "location";
        call: (client: Client, ref: string, to: string, version?: number) => Promise<unknown>;
      };
  rename?: (client: Client, ref: string, name: string, version?: number) => Promise<unknown>;
}

const pathOf = (result: unknown, fallback: string) =>
  result && typeof result === "object" && "path" in result && typeof result.path === "string"
    ? result.path
    : fallback;

type ListOptions = Connection & {
  q?: string;
  pageSize: string;
  pageToken?: string;
  all?: boolean;
  filter?: string;
  orderBy?: string;
};

/**
 * `list` with the shared paging flags (`--page-size`, `--page-token`, `--all`), optional search,
 * filter and order, and the list's own flags; prints the rows as a table and the next-page token.
 */
export function listCommand<Row, L extends FlagShape>(
  spec: {
    description: string;
    search?: boolean;
    filter?: boolean;
    orderBy?: boolean;
    flags: L;
    call: (client: Client, page: PageInput, flags: FlagValues<L>) => Promise<Page<Row>>;
    columns: Column<Row>[];
  },
  io: CliIo,
): Command {
  const run = createRunner(io);
  const list = withConnection(new Command("list").description(spec.description));
  if (spec.search) list.option("--q <text>", "name or label contains this");
  list
    .option("--page-size <n>", "rows per page (1-500)", "50")
    .option("--page-token <token>", "continue from a previous page's next-page token")
    .option("--all", "follow the pages to the end");
  if (spec.filter) list.option("--filter <terms>", "space-separated field=value terms");
  if (spec.orderBy) list.option("--order-by <field>", "sort field, `-` for descending");
  addFlags(list, spec.flags);
  return list.action(async (options: ListOptions) =>
    run(
      options,
      async (client): Promise<Page<Row>> => {
        const pageSize = Number(options.pageSize);
        if (!Number.isInteger(pageSize)) throw new InputError("--page-size must be a whole number");
        const flags = parseFlags(spec.flags, options);
        const items: Row[] = [];
        let token = options.pageToken;
        let page: Page<Row>;
        do {
          page = await spec.call(
            client,
            {
              ...(options.filter ? { filter: options.filter } : {}),
              ...(options.orderBy ? { order_by: options.orderBy } : {}),
              ...(options.q ? { q: options.q } : {}),
              page_size: pageSize,
              ...(token ? { page_token: token } : {}),
            },
            flags,
          );
          items.push(...page.items);
          token = page.nextPageToken ?? undefined;
        } while (options.all && token);
        return { items, nextPageToken: page.nextPageToken, totalSize: page.totalSize };
      },
      (page) => {
        printTable(io, spec.columns, page.items);
        const total = page.totalSize === undefined ? "" : ` of ${page.totalSize}`;
        const next = page.nextPageToken ? `  next page: --page-token ${page.nextPageToken}` : "";
        io.out(`(${page.items.length}${total})${next}`);
      },
    ),
  );
}

export function resourceCommand<
  Row,
  L extends FlagShape = Record<never, never>,
  C extends FlagShape = Record<never, never>,
  U extends FlagShape = Record<never, never>,
>(spec: ResourceSpec<Row, L, C, U>, io: CliIo): Command {
  const run = createRunner(io);
  const command = new Command(spec.name).description(spec.description);
  const keyArg = spec.key === "name" ? "<name>" : "<ref>";
  const keyHelp = spec.key === "name" ? "its name" : "an id, a unique name or a dotted path";
  const single = (result: unknown) => printRecord(io, result);
  const versionOption = (c: Command) =>
    c.option("--version <n>", "the version you read (a stale one is refused, 409)");

  command.addCommand(
    listCommand(
      {
        description: `List ${spec.name}s in your scope`,
        search: spec.list.search ?? true,
        filter: spec.list.filter,
        orderBy: spec.list.orderBy,
        flags: spec.list.flags,
        call: spec.list.call,
        columns: spec.columns,
      },
      io,
    ),
  );

  command.addCommand(
    withConnection(new Command("get").description(`Show one ${spec.name}`))
      .argument(keyArg, keyHelp)
      .action(async (key: string, options: Connection) =>
        run(options, (client) => spec.get(client, key), single),
      ),
  );

  const { create, update, move, rename } = spec;
  if (create) {
    const c = withConnection(new Command("create").description(`Create a ${spec.name}`));
    addFlags(c, create.flags).action(async (options: Connection) =>
      run(options, (client) => create.call(client, parseFlags(create.flags, options)), single),
    );
    command.addCommand(c);
  }

  if (update) {
    const c = versionOption(
      withConnection(new Command("update").description(`Change a ${spec.name}`)),
    ).argument(keyArg, keyHelp);
    addFlags(c, update.flags).action(
      async (ref: string, options: Connection & { version?: string }) =>
        run(
          options,
          (client) =>
            update.call(client, ref, parseFlags(update.flags, options), versionOf(options)),
          single,
        ),
    );
    command.addCommand(c);
  }

  const remove = spec.delete;
  if (remove) {
    command.addCommand(
      withConnection(new Command("delete").description(`Delete a ${spec.name}`))
        .argument(remove.argument ?? keyArg, keyHelp)
        .action(async (key: string, options: Connection) =>
          run(
            options,
            (client) => remove.call(client, key),
            (result) => io.out(`deleted ${key} (${result.id})`),
          ),
        ),
    );
  }

  if (move) {
    const help =
      move.to === "parent"
        ? "the new parent (`root` for the top level)"
        : "the location it moves to";
    command.addCommand(
      versionOption(
        withConnection(new Command("move").description(`Move a ${spec.name} to another location`)),
      )
        .argument(keyArg, keyHelp)
        .argument("<to>", help)
        .action(async (ref: string, to: string, options: Connection & { version?: string }) =>
          run(
            options,
            (client) =>
              move.to === "parent"
                ? move.call(client, ref, to === "root" ? null : to, versionOf(options))
                : move.call(client, ref, to, versionOf(options)),
            (result) => io.out(`moved to ${pathOf(result, to)}`),
          ),
        ),
    );
  }

  if (rename) {
    command.addCommand(
      versionOption(withConnection(new Command("rename").description(`Rename a ${spec.name}`)))
        .argument(keyArg, keyHelp)
        .argument("<name>", "the new name")
        .action(async (ref: string, name: string, options: Connection & { version?: string }) =>
          run(
            options,
            (client) => rename(client, ref, name, versionOf(options)),
            (result) => io.out(`renamed to ${pathOf(result, name)}`),
          ),
        ),
    );
  }
  return command;
}
