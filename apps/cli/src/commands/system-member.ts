import { Command } from "commander";
import type { CliIo } from "../io";
import { addFlags, flag, parseFlags } from "../flags";
import { printTable } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";

const SYSTEM = ["<system>", "the system: an id, a unique name or a dotted path"] as const;
const COMPONENT = ["<component>", "the component: an id, a unique name or a dotted path"] as const;

/** `omniglass system member list|add|update|remove`: the components serving a system. */
export function systemMemberCommand(io: CliIo) {
  const run = createRunner(io);
  const listMembers = (options: Connection, ref: string) =>
    run(
      options,
      (client) => client.system.listMembers.query({ ref }),
      (result) =>
        printTable(
          io,
          [
            { header: "COMPONENT", value: (m) => m.component.path },
            { header: "KIND", value: (m) => m.kind },
            { header: "TEMPLATE", value: (m) => m.template },
            { header: "PRIMARY", value: (m) => m.primary },
            { header: "ROLE", value: (m) => m.role },
          ],
          result.items,
        ),
    );
  const changed = (what: string) => (system: { path: string; memberCount: number }) =>
    io.out(`${what}; ${system.path} has ${system.memberCount} member(s)`);

  const command = new Command("member").description("The components serving a system");
  command.addCommand(
    withConnection(new Command("list").description("List a system's members"))
      .argument(...SYSTEM)
      .action(async (ref: string, options: Connection) => listMembers(options, ref)),
  );

  const addShape = {
    primary: flag.switch("make this the component's primary system"),
    role: flag.text("the role of this system it fills"),
  };
  command.addCommand(
    addFlags(
      withConnection(new Command("add").description("Add a component to a system"))
        .argument(...SYSTEM)
        .argument(...COMPONENT),
      addShape,
    ).action(async (ref: string, component: string, options: Connection) =>
      run(
        options,
        (client) =>
          client.system.addMember.mutate({ ref, component, ...parseFlags(addShape, options) }),
        changed(`added ${component}`),
      ),
    ),
  );

  const updateShape = {
    primary: flag.switch("make this the component's primary system"),
    role: flag.clearable("the role of this system it fills"),
  };
  command.addCommand(
    addFlags(
      withConnection(new Command("update").description("Change a member's role or primary system"))
        .argument(...SYSTEM)
        .argument(...COMPONENT),
      updateShape,
    ).action(async (ref: string, component: string, options: Connection) =>
      run(
        options,
        (client) =>
          client.system.updateMember.mutate({
            ref,
            component,
            ...parseFlags(updateShape, options),
          }),
        changed(`updated ${component}`),
      ),
    ),
  );

  command.addCommand(
    withConnection(new Command("remove").description("Remove a component from a system"))
      .argument(...SYSTEM)
      .argument(...COMPONENT)
      .action(async (ref: string, component: string, options: Connection) =>
        run(
          options,
          (client) => client.system.removeMember.mutate({ ref, component }),
          changed(`removed ${component}`),
        ),
      ),
  );
  return command;
}
