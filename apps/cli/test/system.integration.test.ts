import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { serverCommands } from "../src/program";
import { startInProcessCli, type InProcessCli } from "./harness";

/** The verbs beyond CRUD: system members, roles and types, node enrollment; --json and --yaml. */
describe("omniglass system members, roles, types and node enrollment", () => {
  let harness: InProcessCli;
  let t: string[];
  const cli = (...args: string[]) => harness.cli(...args, ...t);

  beforeAll(async () => {
    harness = await startInProcessCli(serverCommands);
    t = ["--url", "http://127.0.0.1", "--token", harness.token];
    for (const args of [
      ["location", "create", "--name", "hq", "--type", "campus"],
      ["system", "type", "create", "--name", "focus-pod", "--label", "Focus pod"],
      ["system", "create", "--name", "room", "--type", "focus-pod", "--location", "hq"],
      ["component", "create", "--name", "display", "--location", "hq"],
    ]) {
      const extra = args[1] === "create" && args[0] === "component";
      const result = await cli(...args, ...(extra ? ["--template", "http-json-display"] : []));
      expect(result.code, `${args.join(" ")}: ${result.err}`).toBe(0);
    }
  });
  afterAll(() => harness.stop());

  it("lists, creates and deletes system types", async () => {
    const types = await cli("system", "type", "list");
    expect(types.out).toMatch(/^NAME\s+LABEL\s+OFFICIAL$/m);
    expect(types.out).toMatch(/^focus-pod\s+Focus pod\s+false$/m);
    expect(
      (await cli("system", "type", "create", "--name", "spare", "--label", "Spare")).code,
    ).toBe(0);
    expect((await cli("system", "type", "delete", "spare")).out).toBe("deleted system type spare");
    expect((await cli("system", "type", "delete", "spare")).err).toMatch(/404/);
  });

  it("manages roles and members, and refuses a stale role version", async () => {
    const created = await cli(
      "system",
      "role",
      "create",
      "hq.room",
      "--name",
      "displays",
      "--accepts",
      "display",
      "--impact",
      "outage",
      "--quorum",
      "1",
    );
    expect(created.code, created.err).toBe(0);
    expect(created.out).toBe("created; hq.room has 1 role(s)");

    const added = await cli(
      "system",
      "member",
      "add",
      "hq.room",
      "hq.display",
      "--role",
      "displays",
      "--primary",
    );
    expect(added.code, added.err).toBe(0);
    expect(added.out).toBe("added hq.display; hq.room has 1 member(s)");
    const members = await cli("system", "member", "list", "hq.room");
    expect(members.out).toMatch(/^COMPONENT\s+KIND\s+TEMPLATE\s+PRIMARY\s+ROLE$/m);
    expect(members.out).toMatch(
      /^hq\.display\s+display\s+http-json-display@\d+\s+true\s+displays$/m,
    );

    const roles = await cli("system", "role", "list", "hq.room");
    expect(roles.out).toMatch(/^displays\s+display\s+1\s+outage\s+hq\.display\s+1$/m);
    const updated = await cli(
      "system",
      "role",
      "update",
      "hq.room",
      "displays",
      "--quorum",
      "0",
      "--version",
      "1",
    );
    expect(updated.code, updated.err).toBe(0);
    const stale = await cli(
      "system",
      "role",
      "update",
      "hq.room",
      "displays",
      "--quorum",
      "1",
      "--version",
      "1",
    );
    expect(stale.code).toBe(1);
    expect(stale.err).toMatch(/409/);

    expect(
      (await cli("system", "member", "update", "hq.room", "hq.display", "--no-role")).code,
    ).toBe(0);
    const json = JSON.parse((await cli("system", "member", "list", "hq.room", "--json")).out) as {
      items: { role: string | null }[];
    };
    expect(json.items).toEqual([expect.objectContaining({ role: null, primary: true })]);
    expect((await cli("system", "member", "remove", "hq.room", "hq.display")).out).toBe(
      "removed hq.display; hq.room has 0 member(s)",
    );
    expect((await cli("system", "role", "delete", "hq.room", "displays")).out).toBe(
      "deleted displays; hq.room has 0 role(s)",
    );
  });

  it("refuses a bad flag value before asking the server", async () => {
    const bad = await cli(
      "system",
      "role",
      "create",
      "hq.room",
      "--name",
      "x",
      "--impact",
      "total",
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--impact: /);
    const notNumber = await cli(
      "system",
      "role",
      "create",
      "hq.room",
      "--name",
      "x",
      "--impact",
      "none",
      "--quorum",
      "two",
    );
    expect(notNumber.err).toMatch(/--quorum: must be a whole number/);
  });

  it("issues a node's enrollment token again", async () => {
    const created = await cli("node", "create", "--name", "edge-1", "--location", "hq", "--json");
    expect(created.code, created.err).toBe(0);
    const first = (JSON.parse(created.out) as { enrollmentToken: string }).enrollmentToken;
    const issued = await cli(
      "node",
      "issue-enrollment",
      "edge-1",
      "--expires-in-hours",
      "2",
      "--yaml",
    );
    expect(issued.code, issued.err).toBe(0);
    const answer = parseYaml(issued.out) as { name: string; enrollmentToken: string };
    expect(answer.name).toBe("edge-1");
    expect(answer.enrollmentToken).toMatch(/^og_/);
    expect(answer.enrollmentToken).not.toBe(first);
  });

  it("prints the same answer as a table, JSON or YAML", async () => {
    const table = await cli("location", "list");
    expect(table.out).toMatch(/^PATH\s+TYPE\s+LABEL\s+CHILDREN\s+HEALTH\s+VERSION$/m);
    // Every row says its verdict and since when.
    expect(table.out).toMatch(
      /^hq\s.*\s(healthy|incomplete|unknown|degraded|outage) since \d{4}-\d\d-\d\d \d\d:\d\dZ\s/m,
    );
    const json = JSON.parse((await cli("location", "list", "--json")).out) as unknown;
    const yaml = parseYaml((await cli("location", "list", "--yaml")).out) as unknown;
    expect(yaml).toEqual(json);
    expect(json).toMatchObject({ items: [expect.objectContaining({ path: "hq" })] });
    const record = await cli("system", "get", "hq.room", "--yaml");
    expect(parseYaml(record.out)).toMatchObject({ path: "hq.room", type: "focus-pod" });
  });
});
