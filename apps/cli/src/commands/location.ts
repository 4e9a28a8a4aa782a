import { healthCell } from "../output";
import type { CliIo } from "../io";
import { flag } from "../flags";
import { resourceCommand } from "./resource";

/** `omniglass location …`: campus, building, floor, room. */
export function locationCommand(io: CliIo) {
  return resourceCommand(
    {
      name: "location",
      description: "Locations: campus, building, floor, room…",
      key: "ref",
      list: {
        flags: {
          parent: flag.text("only the children of this location (`root`: the top level)"),
        },
        call: (client, page, { parent }) => client.location.list.query({ ...page, parent }),
      },
      columns: [
        { header: "PATH", value: (r) => r.path },
        { header: "TYPE", value: (r) => r.type },
        { header: "LABEL", value: (r) => r.label },
        { header: "CHILDREN", value: (r) => r.childCount },
        { header: "HEALTH", value: (r) => healthCell(r.health) },
        { header: "VERSION", value: (r) => r.version },
      ],
      get: (client, ref) => client.location.get.query({ ref }),
      create: {
        flags: {
          name: flag.required("the name (a-z, 0-9, dashes)"),
          type: flag.required("a location type, e.g. building"),
          parent: flag.text("the parent location (omit for a root)"),
          label: flag.text("a label for humans"),
        },
        call: (client, input) => client.location.create.mutate(input),
      },
      update: {
        flags: { label: flag.clearable("a label for humans"), type: flag.text("a location type") },
        call: (client, ref, input, version) =>
          client.location.update.mutate({ ref, ...input, version }),
      },
      delete: { call: (client, ref) => client.location.delete.mutate({ ref }) },
      move: {
        to: "parent",
        call: (client, ref, parent, version) =>
          client.location.move.mutate({ ref, parent, version }),
      },
      rename: (client, ref, name, version) => client.location.rename.mutate({ ref, name, version }),
    },
    io,
  );
}
