import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { serverCommands } from "../src/program";

import { omniglass, startInProcessCli, type InProcessCli } from "./harness";

describe("omniglass values and samples push", () => {
  let harness: InProcessCli;
  let token: string;
  const cli = (...args: string[]) => harness.cli(...args);

  beforeAll(async () => {
    harness = await startInProcessCli(serverCommands);
    token = harness.token;
  });
  afterAll(() => harness.stop());

  it("pushes samples from a file and shows the component's current values", async () => {
    const t = ["--url", "http://127.0.0.1", "--token", token];
    expect((await cli("location", "create", "--name", "hq", "--type", "campus", ...t)).code).toBe(
      0,
    );
    const created = await cli(
      "component",
      "create",
      "--name",
      "display-1",
      "--location",
      "hq",
      "--template",
      "http-json-display",
      ...t,
    );
    expect(created.code, created.err).toBe(0);
    const file = path.join(tmpdir(), `samples-${randomUUID()}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        samples: [
          { owner: "hq.display-1", signal: "temperature", value: 38.5, expectedInterval: 60 },
          { owner: "hq.display-1", signal: "no-such-signal", value: 1 },
        ],
      }),
    );
    const pushed = await cli("samples", "push", file, ...t);
    expect(pushed.code, pushed.err).toBe(0);
    expect(pushed.out).toMatch(/^accepted 1, rejected 1/);
    expect(pushed.out).toMatch(/#1 no-such-signal: unregistered-signal/);

    const values = await cli("values", "hq.display-1", ...t);
    expect(values.code, values.err).toBe(0);
    const lines = values.out.split("\n");
    expect(lines[0]).toMatch(/^SIGNAL\s+INSTANCE\s+VALUE\s+UNIT\s+AGE\s+STATE$/);
    expect(lines.find((l) => l.startsWith("temperature"))).toMatch(/38\.5\s+°C\s+\d+s\s+fresh/);
    expect(lines.find((l) => l.startsWith("power-state"))).toMatch(/unknown$/);

    const missing = await cli("values", "hq.nothing", ...t);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/404/);
    const bad = path.join(tmpdir(), `samples-${randomUUID()}.json`);
    writeFileSync(bad, "{}");
    expect((await cli("samples", "push", bad, ...t)).code).toBe(1);
  });

  it("is wired into the omniglass binary", async () => {
    const help = await omniglass(["--help"]);
    expect(help.stdout).toMatch(/values/);
    expect(help.stdout).toMatch(/samples/);
  });
});
