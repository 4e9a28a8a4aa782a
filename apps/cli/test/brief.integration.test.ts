import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverCommands } from "../src/program";
import { startInProcessCli, type InProcessCli } from "./harness";

/** `omniglass brief`: the brief status for a person (sources, then tiles), --json for a machine. */
describe("omniglass brief", () => {
  let harness: InProcessCli;
  let t: string[];
  const cli = (...args: string[]) => harness.cli(...args, ...t);

  beforeAll(async () => {
    harness = await startInProcessCli(serverCommands);
    t = ["--url", "http://127.0.0.1", "--token", harness.token];
    for (const args of [
      ["location", "create", "--name", "hq", "--type", "campus"],
      ["node", "create", "--name", "edge-hq", "--location", "hq"],
      [
        "component",
        "create",
        "--name",
        "display",
        "--location",
        "hq",
        "--template",
        "http-json-display",
      ],
    ]) {
      const result = await cli(...args);
      expect(result.code, `${args.join(" ")}: ${result.err}`).toBe(0);
    }
  });
  afterAll(() => harness.stop());

  it("prints each source with its state and each tile with its total, source, as-of time and items", async () => {
    const table = await cli("brief");
    expect(table.code, table.err).toBe(0);
    expect(table.out).toMatch(/^brief status {2}checked \S+ {2}\(scope: all, /m);
    expect(table.out).toMatch(/^database\s+up\s/m);
    expect(table.out).toMatch(/^nats\s+up\s/m);
    // The display is polled by no node: unknown (not monitored), linked by its path.
    expect(table.out).toMatch(
      /^Components unknown or not monitored: 1 {2}\(as of \S+; source: health verdicts via component\.list/m,
    );
    expect(table.out).toMatch(
      /^\s+unknown\s+\S+\s+hq\.display\s+component:hq\.display location:hq$/m,
    );
    // The node never beat: down.
    expect(table.out).toMatch(/^Collectors down or stale: 1 /m);
    expect(table.out).toMatch(/^\s+down\s+-\s+edge-hq\s+node:edge-hq location:hq$/m);
  });

  it("prints the whole answer with --json, and refuses a bad --items naming it", async () => {
    const json = await cli("brief", "--json", "--items", "1");
    expect(json.code, json.err).toBe(0);
    const brief = JSON.parse(json.out) as {
      sources: { name: string }[];
      tiles: { key: string; total: number; items: unknown[] }[];
    };
    expect(brief.sources.map((s) => s.name)).toEqual(["database", "nats", "workers", "collectors"]);
    expect(brief.tiles.find((x) => x.key === "components")).toMatchObject({ total: 1 });
    for (const tile of brief.tiles) expect(tile.items.length).toBeLessThanOrEqual(1);
    const bad = await cli("brief", "--items", "0");
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("items");
  });
});
