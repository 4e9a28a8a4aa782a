import { Command } from "commander";
import type { CliIo } from "../io";
import { addFlags, flag, parseFlags } from "../flags";
import { printRecord, printTable } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";

/** `omniglass system type list|create|delete`: the kinds of system (meeting-room, video-wall…). */
export function systemTypeCommand(io: CliIo) {
  const run = createRunner(io);
  const command = new Command("type").description("System types: meeting-room, video-wall, …");
  command.addCommand(
    withConnection(new Command("list").description("List the system types"))
      .option("--page-size <n>", "rows per page (1-500)", "500")
      .action(async (options: Connection & { pageSize: string }) =>
        run(
          options,
          (client) => client.system.listTypes.query({ page_size: Number(options.pageSize) }),
          (page) =>
            printTable(
              io,
              [
                { header: "NAME", value: (t) => t.name },
                { header: "LABEL", value: (t) => t.label },
                { header: "OFFICIAL", value: (t) => t.official },
              ],
              page.items,
            ),
        ),
      ),
  );
  const createShape = {
    name: flag.required("the type's name (a-z, 0-9, dashes)"),
    label: flag.required("a label for humans"),
  };
  command.addCommand(
    addFlags(
      withConnection(new Command("create").description("Add a system type")),
      createShape,
    ).action(async (options: Connection) =>
      run(
        options,
        (client) => client.system.createType.mutate(parseFlags(createShape, options)),
        (type) => printRecord(io, type),
      ),
    ),
  );
  command.addCommand(
    withConnection(new Command("delete").description("Delete a system type no system uses"))
      .argument("<name>", "the type's name")
      .action(async (name: string, options: Connection) =>
        run(
          options,
          (client) => client.system.deleteType.mutate({ name }),
          () => io.out(`deleted system type ${name}`),
        ),
      ),
  );
  return command;
}
