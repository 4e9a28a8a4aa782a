import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Problem, TagExplanation, VariableExplanation } from "@omniglass/contracts";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

describe("tags and variables down the cascade over REST", () => {
  let bed: Testbed;

  beforeAll(async () => {
    bed = await createTestbed();
    for (const [name, type, parent] of [
      ["campus", "campus", undefined],
      ["hq", "building", "campus"],
      ["annex", "building", "campus"],
      ["floor-1", "floor", "campus.hq"],
    ] as const)
      await bed.rest("POST", "/locations", { body: { name, type, parent } });
    await bed.rest("POST", "/systems", {
      body: { name: "av", type: "meeting-room", location: "campus.hq.floor-1" },
    });
    const component = await bed.rest("POST", "/components", {
      body: {
        name: "proj-1",
        location: "campus.hq.floor-1",
        template: "pjlink-projector",
        system: "campus.hq.floor-1.av",
        address: "10.0.0.21",
      },
    });
    expect(component.status, await component.clone().text()).toBe(200);
  });
  afterAll(() => bed.close());

  async function rest(method: string, path: string, body?: unknown, token?: string) {
    const response = await bed.rest(method, path, { body, ...(token ? { token } : {}) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function auditRows() {
    const page = (await rest("GET", "/audit-log?page_size=500")).body as { items: unknown[] };
    return page.items.length;
  }

  const set = (kind: "tags" | "variables", target: string, key: string, value: unknown) =>
    rest("PUT", `/${kind}`, { target, key, value });

  it("explains a component's variable: the most specific binding wins, the rest are shadowed in order", async () => {
    for (const [target, server] of [
      ["platform", "ntp.example.org"],
      ["location.campus", "ntp.campus"],
      ["location.campus.hq.floor-1", "ntp.floor"],
      ["system.campus.hq.floor-1.av", "ntp.av"],
    ] as const)
      expect((await set("variables", target, "ntp", { server })).status).toBe(200);
    await set("variables", "platform", "retries", 3);

    const explained = await rest(
      "GET",
      "/variables/explain?target=component.campus.hq.floor-1.proj-1",
    );
    expect(explained.status, JSON.stringify(explained.body)).toBe(200);
    const { target, items } = VariableExplanation.parse(explained.body);
    expect(target).toEqual({
      level: "component",
      target: "component.campus.hq.floor-1.proj-1",
      path: "campus.hq.floor-1.proj-1",
    });
    expect(items.map((i) => i.key)).toEqual(["ntp", "retries"]);
    const ntp = items[0]!;
    expect(ntp.value).toEqual({ server: "ntp.av" });
    expect(ntp.winner).toMatchObject({ level: "system", target: "system.campus.hq.floor-1.av" });
    expect(ntp.shadowed.map((s) => [s.level, s.target, s.value])).toEqual([
      ["location", "location.campus.hq.floor-1", { server: "ntp.floor" }],
      ["location", "location.campus", { server: "ntp.campus" }],
      ["platform", "platform", { server: "ntp.example.org" }],
    ]);
    expect(items[1]).toMatchObject({ value: 3, winner: { level: "platform" }, shadowed: [] });

    // A binding on the component itself beats its primary system; a sibling building takes no part.
    await set("variables", "component.campus.hq.floor-1.proj-1", "ntp", { server: "ntp.local" });
    await set("variables", "location.campus.annex", "ntp", { server: "ntp.annex" });
    const one = VariableExplanation.parse(
      (await rest("GET", "/variables/explain?target=component.campus.hq.floor-1.proj-1&key=ntp"))
        .body,
    );
    expect(one.items).toHaveLength(1);
    expect(one.items[0]!.winner.level).toBe("component");
    expect(one.items[0]!.shadowed.map((s) => s.target)).toEqual([
      "system.campus.hq.floor-1.av",
      "location.campus.hq.floor-1",
      "location.campus",
      "platform",
    ]);

    // A location sees only its ancestors: floor-1 does not inherit the system's or the component's.
    const floor = VariableExplanation.parse(
      (await rest("GET", "/variables/explain?target=location.campus.hq.floor-1&key=ntp")).body,
    );
    expect(floor.items[0]!.winner.target).toBe("location.campus.hq.floor-1");
  });

  it("sets, replaces and deletes a tag: one audit row per change, none for the same value", async () => {
    const before = await auditRows();
    const created = await set("tags", "location.campus.hq", "env", "prod");
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      key: "env",
      value: "prod",
      level: "location",
      target: "location.campus.hq",
      version: 1,
    });
    expect(await auditRows()).toBe(before + 1);
    const again = await set("tags", "location.campus.hq", "env", "prod");
    expect(again.body.version).toBe(1);
    expect(await auditRows()).toBe(before + 1);
    const replaced = await rest("PUT", "/tags", {
      target: "location.campus.hq",
      key: "env",
      value: "staging",
      version: 1,
    });
    expect(replaced.body).toMatchObject({ value: "staging", version: 2 });
    expect(await auditRows()).toBe(before + 2);
    const stale = await rest("PUT", "/tags", {
      target: "location.campus.hq",
      key: "env",
      value: "qa",
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect(Problem.parse(stale.body).errors?.[0]?.field).toBe("version");

    await set("tags", "platform", "env", "prod");
    await set("tags", "component.proj-1", "owner", "av-team");
    const direct = (await rest("GET", "/tags?target=location.campus.hq")).body as {
      items: { key: string; value: string }[];
    };
    expect(direct.items.map((t) => [t.key, t.value])).toEqual([["env", "staging"]]);
    const all = (await rest("GET", "/tags")).body as {
      items: { key: string; target: string }[];
      totalSize: number;
    };
    expect(all.items.map((t) => `${t.key}@${t.target}`)).toEqual([
      "env@location.campus.hq",
      "env@platform",
      "owner@component.campus.hq.floor-1.proj-1",
    ]);
    expect(all.totalSize).toBe(3);
    const explained = TagExplanation.parse(
      (await rest("GET", "/tags/explain?target=component.campus.hq.floor-1.proj-1")).body,
    );
    expect(explained.items.map((i) => [i.key, i.value, i.winner.target])).toEqual([
      ["env", "staging", "location.campus.hq"],
      ["owner", "av-team", "component.campus.hq.floor-1.proj-1"],
    ]);

    const deleted = await rest("DELETE", "/tags?target=location.campus.hq&key=env");
    expect(deleted.status).toBe(200);
    expect(await auditRows()).toBe(before + 5);
    expect((await rest("DELETE", "/tags?target=location.campus.hq&key=env")).status).toBe(404);
    const after = TagExplanation.parse(
      (await rest("GET", "/tags/explain?target=system.campus.hq.floor-1.av&key=env")).body,
    );
    expect(after.items[0]).toMatchObject({ value: "prod", winner: { level: "platform" } });
  });

  it("refuses bad keys, values and targets with 400 naming the field", async () => {
    const cases: [unknown, string][] = [
      [{ target: "platform", key: "Bad Key", value: "x" }, "key"],
      [{ target: "platform", key: "long", value: "x".repeat(201) }, "value"],
      [{ target: "building.hq", key: "k", value: "x" }, "target"],
      [{ target: "platform", key: "k", value: 3 }, "value"],
    ];
    for (const [body, field] of cases) {
      const refused = await rest("PUT", "/tags", body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(Problem.parse(refused.body).errors?.map((e) => e.field)).toContain(field);
    }
    const big = await set("variables", "platform", "big", { blob: "x".repeat(17 * 1024) });
    expect(big.status).toBe(400);
    expect((await set("variables", "platform", "nothing", null)).status).toBe(400);
    expect((await set("variables", "location.nowhere", "k", 1)).status).toBe(404);
  });

  it("keeps location-scoped principals to their building: 403 on the platform, 404 elsewhere", async () => {
    const operator = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "op-hq",
        grants: [{ role: "operator", location: "campus.hq" }],
      })
    ).token;
    const admin = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "admin-hq",
        grants: [{ role: "admin", location: "campus.hq" }],
      })
    ).token;
    const before = await auditRows();
    for (const token of [operator, admin]) {
      const platform = await rest(
        "PUT",
        "/variables",
        { target: "platform", key: "ntp", value: { server: "mine" } },
        token,
      );
      expect(platform.status).toBe(403);
      expect(
        (await rest("GET", "/variables?target=location.campus.annex", undefined, token)).status,
      ).toBe(404);
      expect(
        (await rest("GET", "/variables/explain?target=location.campus.annex", undefined, token))
          .status,
      ).toBe(404);
      const missing = await rest(
        "GET",
        "/variables?target=location.campus.nowhere",
        undefined,
        token,
      );
      const outside = await rest(
        "GET",
        "/variables?target=location.campus.annex",
        undefined,
        token,
      );
      expect(Problem.parse(outside.body).detail).toBe(Problem.parse(missing.body).detail);
      const all = (await rest("GET", "/variables", undefined, token)).body as {
        items: { target: string }[];
      };
      expect(all.items.some((v) => v.target.includes("annex"))).toBe(false);
      expect(all.items.some((v) => v.target === "platform")).toBe(true);
      // What a target in scope inherits from the platform and the campus is part of it.
      const floor = VariableExplanation.parse(
        (
          await rest(
            "GET",
            "/variables/explain?target=location.campus.hq.floor-1",
            undefined,
            token,
          )
        ).body,
      );
      expect(floor.items.find((i) => i.key === "retries")?.winner.target).toBe("platform");
    }
    expect(await auditRows()).toBe(before);
    // The admin may set variables inside its building; the operator's role does not carry it.
    expect(
      (await rest("PUT", "/variables", { target: "location.campus.hq", key: "k", value: 1 }, admin))
        .status,
    ).toBe(200);
    expect(
      (
        await rest(
          "PUT",
          "/variables",
          { target: "location.campus.annex", key: "k", value: 1 },
          admin,
        )
      ).status,
    ).toBe(404);
    expect(
      (await rest("PUT", "/variables", { target: "location.campus", key: "k", value: 1 }, admin))
        .status,
    ).toBe(404);
    expect(
      (
        await rest(
          "PUT",
          "/variables",
          { target: "location.campus.hq", key: "k", value: 2 },
          operator,
        )
      ).status,
    ).toBe(403);
  });
  it('keeps a value that reads like JSON exactly as sent (a tag "4711", a variable "true")', async () => {
    // jsonb values once came back parsed a second time: the string "4711" as the number 4711,
    // which failed the answer's schema (500).
    const tag = await set("tags", "location.campus", "cost-centre", "4711");
    expect(tag.status, JSON.stringify(tag.body)).toBe(200);
    expect(tag.body.value).toBe("4711");
    const variable = await set("variables", "location.campus", "flag", "true");
    expect(variable.status, JSON.stringify(variable.body)).toBe(200);
    expect(variable.body.value).toBe("true");
    const listed = (await rest("GET", "/tags?target=location.campus")).body as {
      items: { key: string; value: unknown }[];
    };
    expect(listed.items.find((t) => t.key === "cost-centre")?.value).toBe("4711");
  });
});
