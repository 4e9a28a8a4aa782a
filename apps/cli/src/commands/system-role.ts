import { Command } from "commander";
import type { CliIo } from "../io";
import { addFlags, flag, parseFlags, versionOf } from "../flags";
import { printTable } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";

const SYSTEM = ["<system>", "the system: an id, a unique name or a dotted path"] as const;
const ROLE = ["<role>", "the role's name"] as const;
const IMPACTS = ["outage", "degraded", "none"] as const;

/** `omniglass system role list|create|update|delete`: the slots a system needs filled. */
export function systemRoleCommand(io: CliIo) {
  const run = createRunner(io);
  const changed = (what: string) => (system: { path: string; roles: unknown[] }) =>
    io.out(`${what}; ${system.path} has ${system.roles.length} role(s)`);

  const command = new Command("role").description("The roles a system needs filled (quorum)");
  command.addCommand(
    withConnection(new Command("list").description("List a system's roles"))
      .argument(...SYSTEM)
      .action(async (ref: string, options: Connection) =>
        run(
          options,
          (client) => client.system.listRoles.query({ ref }),
          (result) =>
            printTable(
              io,
              [
                { header: "ROLE", value: (r) => r.name },
                { header: "ACCEPTS", value: (r) => r.accepts.join(",") },
                { header: "QUORUM", value: (r) => r.quorum },
                { header: "IMPACT", value: (r) => r.impact },
                { header: "MEMBERS", value: (r) => r.members.join(",") || "-" },
                { header: "VERSION", value: (r) => r.version },
              ],
              result.items,
            ),
        ),
      ),
  );

  const createShape = {
    name: flag.required("the role's name"),
    accepts: flag.list("component kinds that may fill it, comma-separated (e.g. display,codec)"),
    quorum: flag.int("how many members must work (default 1)"),
    impact: flag.choice(IMPACTS, "what the system suffers below quorum"),
    label: flag.text("a label for humans"),
  };
  command.addCommand(
    addFlags(
      withConnection(new Command("create").description("Add a role to a system")).argument(
        ...SYSTEM,
      ),
      createShape,
    ).action(async (ref: string, options: Connection) =>
      run(
        options,
        (client) => {
          const { accepts, ...input } = parseFlags(createShape, options);
          return client.system.createRole.mutate({ ref, accepts: accepts ?? [], ...input });
        },
        changed("created"),
      ),
    ),
  );

  const updateShape = {
    accepts: flag.list("component kinds that may fill it, comma-separated"),
    quorum: flag.int("how many members must work"),
    impact: flag.optionalChoice(IMPACTS, "what the system suffers below quorum"),
    label: flag.clearable("a label for humans"),
  };
  command.addCommand(
    addFlags(
      withConnection(new Command("update").description("Change a system's role"))
        .argument(...SYSTEM)
        .argument(...ROLE)
        .option("--version <n>", "the role's version you read (a stale one is refused, 409)"),
      updateShape,
    ).action(async (ref: string, role: string, options: Connection & { version?: string }) =>
      run(
        options,
        (client) =>
          client.system.updateRole.mutate({
            ref,
            role,
            ...parseFlags(updateShape, options),
            version: versionOf(options),
          }),
        changed(`updated ${role}`),
      ),
    ),
  );

  command.addCommand(
    withConnection(new Command("delete").description("Remove a role from a system"))
      .argument(...SYSTEM)
      .argument(...ROLE)
      .action(async (ref: string, role: string, options: Connection) =>
        run(
          options,
          (client) => client.system.deleteRole.mutate({ ref, role }),
          changed(`deleted ${role}`),
        ),
      ),
  );
  return command;
}
