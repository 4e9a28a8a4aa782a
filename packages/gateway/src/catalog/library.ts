import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TemplateDocument } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import { parse } from "yaml";

/**
 * The official template library: one YAML TemplateDocument per file. (A path join rather than
 * `new URL(…, import.meta.url)`, which the console's bundler would take for an asset import.)
 */
export const TEMPLATES_FOLDER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../templates",
);

/**
 * Parse one template file's text. A YAML error or an invalid document throws INVALID naming the
 * file and, per problem, the field path (`functions.2.interface`).
 */
export function parseTemplateFile(file: string, text: string): TemplateDocument {
  let data: unknown;
  try {
    data = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    throw new OmniglassError("INVALID", `${file}: not valid YAML: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const result = TemplateDocument.safeParse(data);
  if (!result.success) {
    const fieldErrors = result.error.issues.map((issue) => ({
      field: issue.path.join(".") || "(document)",
      message: issue.message,
    }));
    throw new OmniglassError(
      "INVALID",
      `${file}: not a valid template: ${fieldErrors.map((item) => `${item.field}: ${item.message}`).join("; ")}`,
      { fieldErrors },
    );
  }
  return result.data;
}

/** Every template in the official library, validated, by name. Throws on the first bad file. */
export function loadTemplateLibrary(folder: string = TEMPLATES_FOLDER): TemplateDocument[] {
  const files = readdirSync(folder)
    .filter((file) => file.endsWith(".yaml"))
    .sort();
  const documents = files.map((file) =>
    parseTemplateFile(file, readFileSync(path.join(folder, file), "utf8")),
  );
  return documents.sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.version - b.version,
  );
}

/**
 * Earlier versions of official templates, kept as they were published
 * (`templates/published/<name>@<version>.yaml`, never edited): a fresh install publishes them
 * before the library's current version, so every install holds the same numbered history and a
 * component pinned to an earlier version reads the same document everywhere.
 */
export const PUBLISHED_FOLDER = path.join(TEMPLATES_FOLDER, "published");

export function loadPublishedVersions(folder: string = PUBLISHED_FOLDER): TemplateDocument[] {
  let files: string[];
  try {
    files = readdirSync(folder).filter((file) => file.endsWith(".yaml"));
  } catch {
    return [];
  }
  const documents = files.map((file) => {
    const document = parseTemplateFile(file, readFileSync(path.join(folder, file), "utf8"));
    if (file !== `${document.name}@${document.version}.yaml`)
      throw new OmniglassError(
        "INVALID",
        `${file}: a published version's file is named <name>@<version>.yaml (${document.name}@${document.version}.yaml)`,
      );
    return document;
  });
  return documents.sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.version - b.version,
  );
}
