import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { serverCommands } from "../src/program";
import { omniglass, startInProcessCli, type InProcessCli } from "./harness";

describe("omniglass estate commands", () => {
  let harness: InProcessCli;
  let token: string;
  const cli = (...args: string[]) => harness.cli(...args);

  beforeAll(async () => {
    harness = await startInProcessCli(serverCommands);
    token = harness.token;
  });
  afterAll(() => harness.stop());

  it("round-trips list, get, create, update, move, rename and delete", async () => {
    const t = ["--url", "http://127.0.0.1", "--token", token];
    expect((await cli("location", "create", "--name", "hq", "--type", "campus", ...t)).code).toBe(
      0,
    );
    for (const name of ["north", "south"])
      expect(
        (
          await cli(
            "location",
            "create",
            "--name",
            name,
            "--type",
            "building",
            "--parent",
            "hq",
            ...t,
          )
        ).code,
      ).toBe(0);
    const listed = await cli("location", "list", "--parent", "hq", ...t);
    expect(listed.out).toMatch(/PATH\s+TYPE/);
    expect(listed.out).toContain("hq.north");
    expect(listed.out).toMatch(/^\(2( of 2)?\)/m);

    const created = await cli(
      "component",
      "create",
      "--name",
      "display",
      "--location",
      "hq.north",
      "--template",
      "http-json-display",
      "--address",
      "10.20.1.10",
      "--label",
      "Lobby display",
      ...t,
    );
    expect(created.code, created.err).toBe(0);
    expect(created.out).toMatch(/path\s+hq\.north\.display/);

    const got = await cli("component", "get", "hq.north.display", "--json", ...t);
    expect(JSON.parse(got.out)).toMatchObject({
      path: "hq.north.display",
      version: 1,
      kind: "display",
    });

    const updated = await cli(
      "component",
      "update",
      "hq.north.display",
      "--model",
      "QM85R",
      "--version",
      "1",
      ...t,
    );
    expect(updated.code, updated.err).toBe(0);
    const stale = await cli(
      "component",
      "update",
      "hq.north.display",
      "--model",
      "X",
      "--version",
      "1",
      ...t,
    );
    expect(stale.code).toBe(1);
    expect(stale.err).toMatch(/409/);

    expect((await cli("component", "move", "hq.north.display", "hq.south", ...t)).out).toContain(
      "hq.south.display",
    );
    expect((await cli("component", "rename", "hq.south.display", "wall", ...t)).out).toContain(
      "hq.south.wall",
    );
    const all = await cli(
      "component",
      "list",
      "--page-size",
      "1",
      "--all",
      "--filter",
      "location=hq",
      ...t,
    );
    expect(all.out).toContain("hq.south.wall");

    const tagged = await cli("tag", "set", "location.hq.north", "building", "north", ...t);
    expect(tagged.code, tagged.err).toBe(0);
    const explained = await cli("tag", "explain", "location.hq.north", ...t);
    expect(explained.out).toMatch(/building\s+"north"\s+location\.hq\.north/);

    expect((await cli("component", "delete", "hq.south.wall", ...t)).code).toBe(0);
    const gone = await cli("component", "get", "hq.south.wall", ...t);
    expect(gone.code).toBe(1);
    expect(gone.err).toMatch(/404/);
  }, 60_000);

  it("publishes a template from YAML and names the invalid field by path", async () => {
    const t = ["--url", "http://127.0.0.1", "--token", token];
    const file = path.join(tmpdir(), `og-template-${process.pid}.yaml`);
    writeFileSync(file, "name: broken-thing\nversion: 1\nkind: display\ninterfaces: nope\n");
    const result = await cli("template", "publish", file, ...t);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^  interfaces: /m);
  }, 60_000);

  it("refuses without a token instead of using another identity", async () => {
    const result = await omniglass(["component", "list", "--url", "http://127.0.0.1:1"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("OMNIGLASS_TOKEN");
    const unreachable = await omniglass(["component", "list", "--url", "http://127.0.0.1:1"], {
      OMNIGLASS_TOKEN: "og_x",
    });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain("cannot reach http://127.0.0.1:1");
  }, 60_000);

  it("seeds N components with gateway paths, and refuses the same seed twice", async () => {
    const first = await omniglass([
      "seed",
      "--components",
      "600",
      "--buildings",
      "2",
      "--database-url",
      harness.databaseUrl,
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/seeded bench-600: 2 buildings.* 600 components/);
    expect(first.stdout).toMatch(/rows\/s/);
    const t = ["--url", "http://127.0.0.1", "--token", token];
    const listed = await cli(
      "component",
      "list",
      "--filter",
      "location=bench-600",
      "--page-size",
      "500",
      "--json",
      ...t,
    );
    const page = JSON.parse(listed.out) as {
      totalSize: number;
      items: { path: string; location: { path: string }; name: string }[];
    };
    expect(page.totalSize).toBe(600);
    for (const item of page.items) expect(item.path).toBe(`${item.location.path}.${item.name}`);
    const got = await cli("component", "get", page.items[0]!.path, "--json", ...t);
    expect(JSON.parse(got.out)).toMatchObject({
      primarySystem: { path: expect.stringMatching(/\.av$/) },
    });
    const again = await omniglass([
      "seed",
      "--components",
      "600",
      "--database-url",
      harness.databaseUrl,
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("bench-600 exists already");
  }, 120_000);
});
