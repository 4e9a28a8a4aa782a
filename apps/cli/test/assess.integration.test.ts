import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverCommands } from "../src/program";
import { startInProcessCli, type InProcessCli } from "./harness";

/** `omniglass assess <ref>`: Markdown for a person, --json for a machine, errors as the server's. */
describe("omniglass assess", () => {
  let harness: InProcessCli;
  let t: string[];
  const cli = (...args: string[]) => harness.cli(...args, ...t);

  beforeAll(async () => {
    harness = await startInProcessCli(serverCommands);
    t = ["--url", "http://127.0.0.1", "--token", harness.token];
    for (const args of [
      ["location", "create", "--name", "hq", "--type", "campus"],
      ["system", "create", "--name", "room", "--type", "meeting-room", "--location", "hq"],
      [
        "component",
        "create",
        "--name",
        "display",
        "--location",
        "hq",
        "--template",
        "http-json-display",
        "--system",
        "hq.room",
      ],
    ]) {
      const result = await cli(...args);
      expect(result.code, `${args.join(" ")}: ${result.err}`).toBe(0);
    }
  });
  afterAll(() => harness.stop());

  it("prints the assessment as Markdown, and as the JSON document with --json", async () => {
    const md = await cli("assess", "hq");
    expect(md.code, md.err).toBe(0);
    expect(md.out).toMatch(/^# Assessment of hq$/m);
    expect(md.out).toContain("### hq.room");
    expect(md.out).toContain("### hq.display");
    expect(md.out).toMatch(/^- `hq\.display` \(component, [^)]*\): Not monitored/m);
    const json = await cli("assess", "hq", "--json");
    expect(json.code, json.err).toBe(0);
    const document = JSON.parse(json.out) as {
      scope: { kind: string; path: string };
      components: { path: string; monitored: boolean }[];
      summary: { missing: { count: number } };
    };
    expect(document.scope).toMatchObject({ kind: "location", path: "hq" });
    expect(document.components).toEqual([
      expect.objectContaining({ path: "hq.display", monitored: false }),
    ]);
    expect(document.summary.missing.count).toBeGreaterThan(0);
  });

  it("says 404 for a scope it cannot find", async () => {
    const missing = await cli("assess", "nowhere");
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/404/);
  });
});
