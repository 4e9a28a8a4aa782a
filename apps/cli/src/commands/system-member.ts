import { Command } from "commander";
import type { OmniglassClient } from "@omniglass/client";
import type { CliIo } from "../io";
import { addFlags, flag, parseFlags, type FlagShape, type FlagValues } from "../flags";
import { printTable } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";

const SYSTEM = ["<system>", "the system: an id, a unique name or a dotted path"] as const;
const COMPONENT = ["<component>", "the component: an id, a unique name or a dotted path"] as const;

const addShape = {
  primary: flag.switch("make this the component's primary system"),
  role: flag.text("the role of this system it fills"),
};
const updateShape = {
  primary: flag.switch("make this the component's primary system"),
  role: flag.clearable("the role of this system it fills"),
};

/** `omniglass system member list|add|update|remove`: the components serving a system. */
export function systemMemberCommand(io: CliIo) {
  const run = createRunner(io);

  /** A change to one membership: `<system> <component>` and flags; prints the new member count. */
  const change = <S extends FlagShape>(
    name: string,
    description: string,
    shape: S,
    call: (
      client: OmniglassClient,
      input: { ref: string; component: string } & FlagValues<S>,
    ) => Promise<{ path: string; memberCount: number }>,
    done: string,
  ) =>
    addFlags(
      withConnection(new Command(name).description(description))
        .argument(...SYSTEM)
        .argument(...COMPONENT),
      shape,
    ).action(async (ref: string, component: string, options: Connection) =>
      run(
        options,
        (client) => call(client, { ref, component, ...parseFlags(shape, options) }),
        (system) =>
          io.out(`${done} ${component}; ${system.path} has ${system.memberCount} member(s)`),
      ),
    );

  return new Command("member")
    .description("The components serving a system")
    .addCommand(
      withConnection(new Command("list").description("List a system's members"))
        .argument(...SYSTEM)
        .action(async (ref: string, options: Connection) =>
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
          ),
        ),
    )
    .addCommand(
      change(
        "add",
        "Add a component to a system",
        addShape,
        (client, input) => client.system.addMember.mutate(input),
        "added",
      ),
    )
    .addCommand(
      change(
        "update",
        "Change a member's role or primary system",
        updateShape,
        (client, input) => client.system.updateMember.mutate(input),
        "updated",
      ),
    )
    .addCommand(
      change(
        "remove",
        "Remove a component from a system",
        {},
        (client, { ref, component }) => client.system.removeMember.mutate({ ref, component }),
        "removed",
      ),
    );
}
