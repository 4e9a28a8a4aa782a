import { healthCell } from "../output";
import type { RouterInputs } from "@omniglass/client";
import type { CliIo } from "../io";
import { flag } from "../flags";
import { resourceCommand } from "./resource";

type Interfaces = RouterInputs["component"]["create"]["interfaces"];

/** `omniglass component …`: devices, apps and services. */
export function componentCommand(io: CliIo) {
  return resourceCommand(
    {
      name: "component",
      description: "Components: devices, apps and services",
      key: "ref",
      list: {
        filter: true,
        orderBy: true,
        flags: {},
        call: (client, page) => client.component.list.query(page),
      },
      columns: [
        { header: "PATH", value: (r) => r.path },
        { header: "KIND", value: (r) => r.kind },
        { header: "TEMPLATE", value: (r) => `${r.template.name}@${r.template.version}` },
        { header: "ADDRESS", value: (r) => r.address },
        { header: "SYSTEM", value: (r) => r.primarySystem?.path },
        { header: "HEALTH", value: (r) => healthCell(r.health) },
        { header: "VERSION", value: (r) => r.version },
      ],
      get: (client, ref) => client.component.get.query({ ref }),
      create: {
        flags: {
          name: flag.required("the name"),
          location: flag.required("where it is placed"),
          template: flag.required("`<name>` or `<name>@<version>`"),
          system: flag.text("a system it serves (its primary)"),
          role: flag.text("the role of that system it fills"),
          node: flag.text("the node polling its interfaces"),
          label: flag.text("a label for humans"),
          vendor: flag.text("vendor"),
          model: flag.text("model"),
          serial: flag.text("serial number"),
          mac: flag.text("MAC address (aa:bb:cc:dd:ee:ff)"),
          address: flag.text("IP address or host name"),
          interfaces: flag.json<Interfaces>("interface bindings as JSON"),
        },
        call: (client, input) => client.component.create.mutate(input),
      },
      update: {
        flags: {
          label: flag.clearable("a label for humans"),
          vendor: flag.clearable("vendor"),
          model: flag.clearable("model"),
          serial: flag.clearable("serial number"),
          mac: flag.clearable("MAC address"),
          address: flag.clearable("IP address or host name"),
          interfaces: flag.json<Interfaces>("interface bindings as JSON"),
        },
        call: (client, ref, input, version) =>
          client.component.update.mutate({ ref, ...input, version }),
      },
      delete: { call: (client, ref) => client.component.delete.mutate({ ref }) },
      move: {
        to: "location",
        call: (client, ref, location, version) =>
          client.component.move.mutate({ ref, location, version }),
      },
      rename: (client, ref, name, version) =>
        client.component.rename.mutate({ ref, name, version }),
    },
    io,
  );
}
