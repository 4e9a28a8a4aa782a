import { healthCell } from "../output";
import type { CliIo } from "../io";
import { flag } from "../flags";
import { resourceCommand } from "./resource";
import { systemMemberCommand } from "./system-member";
import { systemRoleCommand } from "./system-role";
import { systemTypeCommand } from "./system-type";

/** `omniglass system …`: systems, their members, roles and the system types. */
export function systemCommand(io: CliIo) {
  return resourceCommand(
    {
      name: "system",
      description: "Systems: a room's AV, a video wall, … (with their members, roles and types)",
      key: "ref",
      list: {
        filter: true,
        orderBy: true,
        flags: {},
        call: (client, page) => client.system.list.query(page),
      },
      columns: [
        { header: "PATH", value: (r) => r.path },
        { header: "TYPE", value: (r) => r.type },
        { header: "LABEL", value: (r) => r.label },
        { header: "MEMBERS", value: (r) => r.memberCount },
        { header: "HEALTH", value: (r) => healthCell(r.health) },
        { header: "VERSION", value: (r) => r.version },
      ],
      get: (client, ref) => client.system.get.query({ ref }),
      create: {
        flags: {
          name: flag.required("the name"),
          type: flag.required("a system type, e.g. meeting-room"),
          location: flag.required("where it is placed"),
          label: flag.text("a label for humans"),
        },
        call: (client, input) => client.system.create.mutate(input),
      },
      update: {
        flags: { label: flag.clearable("a label for humans"), type: flag.text("a system type") },
        call: (client, ref, input, version) =>
          client.system.update.mutate({ ref, ...input, version }),
      },
      delete: { call: (client, ref) => client.system.delete.mutate({ ref }) },
      move: {
        to: "location",
        call: (client, ref, location, version) =>
          client.system.move.mutate({ ref, location, version }),
      },
      rename: (client, ref, name, version) => client.system.rename.mutate({ ref, name, version }),
    },
    io,
  )
    .addCommand(systemMemberCommand(io))
    .addCommand(systemRoleCommand(io))
    .addCommand(systemTypeCommand(io));
}
