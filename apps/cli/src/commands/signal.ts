import type { RouterInputs } from "@omniglass/client";
import type { CliIo } from "../io";
import { flag } from "../flags";
import { resourceCommand } from "./resource";

type SignalInput = RouterInputs["signal"]["create"];

/** `omniglass signal …`: the catalog of metrics and properties. */
export function signalCommand(io: CliIo) {
  return resourceCommand(
    {
      name: "signal",
      description: "The signal catalog: metrics and properties",
      key: "name",
      list: { filter: true, flags: {}, call: (client, page) => client.signal.list.query(page) },
      columns: [
        { header: "NAME", value: (r) => r.name },
        { header: "LANE", value: (r) => r.lane },
        { header: "TYPE", value: (r) => r.valueType },
        { header: "UNIT", value: (r) => r.unit },
        { header: "LABEL", value: (r) => r.label },
      ],
      get: (client, name) => client.signal.get.query({ name }),
      create: {
        flags: {
          name: flag.required("the signal's name"),
          lane: flag.choice(["metric", "property"], "the lane"),
          label: flag.required("a short name for humans"),
          description: flag.required("what it measures"),
          valueType: flag.choice(
            ["number", "string", "boolean", "integer", "json"],
            "the value's type",
          ),
          unit: flag.clearable("metrics: the unit"),
          precision: flag.clearableInt("metrics: decimal places"),
          schema: flag.clearableJson<SignalInput["schema"]>("properties: a JSON Schema"),
        },
        call: (client, { unit, precision, schema, ...input }) =>
          client.signal.create.mutate({
            ...input,
            unit: unit ?? null,
            precision: precision ?? null,
            schema: schema ?? null,
          }),
      },
      delete: { call: (client, name) => client.signal.delete.mutate({ name }) },
    },
    io,
  );
}
