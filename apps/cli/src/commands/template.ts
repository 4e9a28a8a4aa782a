import { readFileSync } from "node:fs";
import { Command } from "commander";
import { parse as parseYaml } from "yaml";
import type { RouterInputs } from "@omniglass/client";
import { InputError, problemOf } from "../errors";
import type { CliIo } from "../io";
import { createRunner, withConnection, type Connection } from "../runner";
import { resourceCommand } from "./resource";

/** `omniglass template …`: versioned device definitions, published from YAML or JSON files. */
export function templateCommand(io: CliIo) {
  const command = resourceCommand(
    {
      name: "template",
      description:
        "Templates: versioned device definitions (publish with `template publish <file>`)",
      key: "ref",
      list: { filter: true, flags: {}, call: (client, page) => client.template.list.query(page) },
      columns: [
        { header: "NAME", value: (r) => r.name },
        { header: "KIND", value: (r) => r.kind },
        { header: "LATEST", value: (r) => r.latestVersion },
        { header: "LABEL", value: (r) => r.label },
        { header: "OFFICIAL", value: (r) => r.official },
      ],
      get: (client, ref) => client.template.get.query({ ref }),
      delete: {
        argument: "<name@version>",
        call: (client, ref) => client.template.delete.mutate({ ref }),
      },
    },
    io,
  );
  return command.addCommand(publishCommand(io));
}

type TemplateDocument = RouterInputs["template"]["publish"]["document"];

/** The file as the API's document type: the server checks it and names every invalid field. */
function readDocument(file: string): TemplateDocument {
  try {
    const text = readFileSync(file, "utf8");
    return /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** `template publish <file>`: the server checks the document; invalid fields are named by path. */
function publishCommand(io: CliIo) {
  const run = createRunner(io);
  return withConnection(
    new Command("publish").description("Publish a template version from a YAML or JSON file"),
  )
    .argument("<file>", "the template document (.yaml, .yml or .json)")
    .action(async (file: string, options: Connection) =>
      run(
        options,
        async (client) => {
          const document = readDocument(file);
          try {
            return await client.template.publish.mutate({ document });
          } catch (error) {
            const fieldErrors = problemOf(error)?.fieldErrors;
            if (fieldErrors?.length)
              throw new InputError(
                `${file} is not a valid template`,
                fieldErrors.map(
                  (f) => `${f.field.replace(/^document\.?/, "") || "(document)"}: ${f.message}`,
                ),
              );
            throw error;
          }
        },
        (version) => io.out(`published ${version.name}@${version.version}`),
      ),
    );
}
