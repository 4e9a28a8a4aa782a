import { Command } from "commander";
import type { CliIo } from "../io";
import { addFlags, flag, parseFlags } from "../flags";
import { printRecord } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";
import { resourceCommand } from "./resource";

const expiresInHours = flag.int("enrollment token lifetime in hours (1-720, default 24)");

/** `omniglass node …`: edge collectors, and their one-time enrollment tokens. */
export function nodeCommand(io: CliIo) {
  const command = resourceCommand(
    {
      name: "node",
      description: "Nodes: edge collectors",
      key: "ref",
      list: {
        filter: true,
        orderBy: true,
        flags: {},
        call: (client, page) => client.node.list.query(page),
      },
      columns: [
        { header: "NAME", value: (r) => r.name },
        { header: "LOCATION", value: (r) => r.location.path },
        { header: "STATUS", value: (r) => r.status },
        { header: "LABEL", value: (r) => r.label },
        { header: "VERSION", value: (r) => r.version },
      ],
      get: (client, ref) => client.node.get.query({ ref }),
      create: {
        flags: {
          name: flag.required("unique among all principals"),
          location: flag.required("where it is placed"),
          expiresInHours,
          label: flag.text("a label for humans"),
        },
        call: (client, input) => client.node.create.mutate(input),
      },
      update: {
        flags: { label: flag.clearable("a label for humans") },
        call: (client, ref, input, version) =>
          client.node.update.mutate({ ref, ...input, version }),
      },
      delete: { call: (client, ref) => client.node.delete.mutate({ ref }) },
      move: {
        to: "location",
        call: (client, ref, location, version) =>
          client.node.move.mutate({ ref, location, version }),
      },
    },
    io,
  );
  return command.addCommand(issueEnrollmentCommand(io));
}

/** `node issue-enrollment <ref>`: a new one-time enrollment token (the previous one stops working). */
function issueEnrollmentCommand(io: CliIo) {
  const run = createRunner(io);
  const flags = { expiresInHours };
  const command = withConnection(
    new Command("issue-enrollment").description(
      "Issue a new one-time enrollment token for a node (shown once; an unused earlier one stops working)",
    ),
  ).argument("<ref>", "the node: id or name");
  return addFlags(command, flags).action(async (ref: string, options: Connection) =>
    run(
      options,
      (client) => client.node.issueEnrollment.mutate({ ref, ...parseFlags(flags, options) }),
      (result) => printRecord(io, result),
    ),
  );
}
