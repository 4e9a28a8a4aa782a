import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { omniglass } from "./harness";

/** `omniglass estate …` (issue #15): the estate as files. */

function estateFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "omniglass-estate-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const ENTRY = `version: 1
include:
  - rooms/r1.yaml
locations:
  campus: { type: campus, label: Main campus }
`;

const ROOM = `locations:
  campus.r1: { type: room, label: Room 1 }
components:
  campus.r1.display:
    template: generic-display@2
    address: 10.0.0.11
`;

describe("omniglass estate validate", () => {
  it("exits 0 on valid files and reads their includes", async () => {
    const dir = estateFolder({ "estate.yaml": ENTRY, "rooms/r1.yaml": ROOM });
    const result = await omniglass(["estate", "validate", path.join(dir, "estate.yaml")]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("valid (2 files, 3 objects)");
  }, 60_000);

  it("names a typo'd key with file:line:column and the key it probably meant, exit 1", async () => {
    const dir = estateFolder({
      "estate.yaml": ENTRY,
      "rooms/r1.yaml": ROOM.replace("    address:", "    adress:"),
    });
    const result = await omniglass(["estate", "validate", path.join(dir, "estate.yaml")]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `${path.join(dir, "rooms/r1.yaml")}:6:5  unknown-key  unknown key \`adress\``,
    );
    expect(result.stdout).toContain("(did you mean `address`?)");
    expect(result.stderr).toContain("is not valid: 1 error");
  }, 60_000);

  it("prints the diagnostics as JSON with --json, and a missing file is a diagnostic", async () => {
    const dir = estateFolder({ "estate.yaml": ENTRY });
    const result = await omniglass(["estate", "validate", "--json", path.join(dir, "estate.yaml")]);
    expect(result.code).toBe(1);
    const answer = JSON.parse(result.stdout) as {
      ok: boolean;
      diagnostics: { file: string; line: number; column: number; code: string }[];
    };
    expect(answer.ok).toBe(false);
    expect(answer.diagnostics).toEqual([
      expect.objectContaining({
        file: path.join(dir, "estate.yaml"),
        line: 3,
        column: 5,
        code: "include-missing",
      }),
    ]);
  }, 60_000);
});
