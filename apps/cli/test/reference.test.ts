import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cliReference } from "../src/reference";

const FILE = fileURLToPath(new URL("../../../docs/reference/cli.md", import.meta.url));

describe("docs/reference/cli.md", () => {
  it("is the commands' help as they are (run `pnpm --filter @omniglass/cli gen:reference`)", () => {
    expect(readFileSync(FILE, "utf8")).toBe(cliReference());
  });

  it("says how `estate apply` handles secrets: ${env:NAME} from the environment, in the request only; a generated secret printed once", () => {
    const text = cliReference();
    const section = text.slice(
      text.indexOf("### `omniglass estate apply`"),
      text.indexOf("### `omniglass estate status`"),
    );
    expect(section.replace(/\s+/g, " ")).toMatch(
      /`\$\{env:NAME\}` references are read from this CLI's environment and sent only in the apply request.*generated signing secret is printed once/,
    );
  });

  it("documents the new verbs and the login", () => {
    const text = cliReference();
    for (const heading of [
      "`omniglass login`",
      "`omniglass context use`",
      "`omniglass system member add`",
      "`omniglass system role update`",
      "`omniglass system type delete`",
      "`omniglass node issue-enrollment`",
    ])
      expect(text).toContain(heading);
  });
});
