import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverCommands } from "../src/program";
import { startInProcessCli, type InProcessCli } from "./harness";

/** `omniglass collectors` and `omniglass schedules`: tables for a person, --json for a machine. */
describe("omniglass collectors / schedules", () => {
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
        "--node",
        "edge-hq",
        "--address",
        "127.0.0.1",
      ],
    ]) {
      const result = await cli(...args);
      expect(result.code, `${args.join(" ")}: ${result.err}`).toBe(0);
    }
  });
  afterAll(() => harness.stop());

  it("lists the node down (it never beat) with its reason, and the whole answer with --json", async () => {
    const table = await cli("collectors");
    expect(table.code, table.err).toBe(0);
    expect(table.out).toMatch(/^collectors & workers {2}as of /m);
    expect(table.out).toMatch(/^node\s+edge-hq\s+hq\s+down\s+never\s.*never sent a heartbeat$/m);
    const json = await cli("collectors", "--json");
    expect(json.code, json.err).toBe(0);
    const report = JSON.parse(json.out) as { collectors: { name: string; state: string }[] };
    expect(report.collectors).toEqual([
      expect.objectContaining({ name: "edge-hq", state: "down" }),
    ]);
  });

  it("lists the display's functions without a runner, drift first", async () => {
    const table = await cli("schedules");
    expect(table.code, table.err).toBe(0);
    expect(table.out).toMatch(/with drift/);
    expect(table.out).toMatch(
      /^function\s+hq\.display › http\/status\s+edge-hq\s+30 s\s+no-runner \(drift\)/m,
    );
    const json = await cli("schedules", "--json");
    const report = JSON.parse(json.out) as { rows: { kind: string; state: string }[] };
    expect(
      report.rows.filter((r) => r.kind === "function").every((r) => r.state === "no-runner"),
    ).toBe(true);
  });
});
