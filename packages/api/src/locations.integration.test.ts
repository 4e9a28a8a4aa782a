import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Problem } from "@omniglass/contracts";
import { createTestbed, type Testbed } from "./testbed";

describe("locations and the audit log over REST", () => {
  let bed: Testbed;
  let ownerId: string;

  beforeAll(async () => {
    bed = await createTestbed();
    ownerId = bed.owner.id;
  });
  afterAll(() => bed.close());

  async function rest(method: string, path: string, body?: unknown) {
    const response = await bed.rest(method, path, { body });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it("addresses a location by id, unique name and dotted path; renaming carries the subtree's paths", async () => {
    await rest("POST", "/locations", { name: "hq", type: "building" });
    const floor = await rest("POST", "/locations", {
      name: "floor-3",
      type: "floor",
      parent: "hq",
    });
    await rest("POST", "/locations", { name: "boardroom", type: "room", parent: "hq.floor-3" });
    for (const ref of [floor.body.id as string, "floor-3", "hq.floor-3"]) {
      expect((await rest("GET", `/locations/${ref}`)).body.path, ref).toBe("hq.floor-3");
    }
    const renamed = await rest("POST", "/locations/hq/rename", { name: "headquarters" });
    expect(renamed.body.path).toBe("headquarters");
    expect((await rest("GET", "/locations/headquarters.floor-3.boardroom")).status).toBe(200);
    expect((await rest("GET", "/locations/hq.floor-3")).status).toBe(404);
  });

  it("refuses a taken name, a stale version and a delete with children, all 409", async () => {
    await rest("POST", "/locations", { name: "annex", type: "building" });
    expect((await rest("POST", "/locations/annex/rename", { name: "headquarters" })).status).toBe(
      409,
    );
    expect((await rest("POST", "/locations", { name: "annex", type: "building" })).status).toBe(
      409,
    );
    const current = await rest("GET", "/locations/annex");
    expect(
      (await rest("PATCH", "/locations/annex", { label: "Annex", version: current.body.version }))
        .status,
    ).toBe(200);
    const stale = await rest("PATCH", "/locations/annex", {
      label: "Annex B",
      version: current.body.version,
    });
    expect(stale.status).toBe(409);
    expect(Problem.parse(stale.body).errors?.[0]?.field).toBe("version");
    const refused = await rest("DELETE", "/locations/headquarters");
    expect(refused.status).toBe(409);
    expect(Problem.parse(refused.body).detail).toContain("headquarters.floor-3");
  });

  it("rejects an unknown type and a bad name naming the field", async () => {
    const badType = await rest("POST", "/locations", { name: "x1", type: "spaceship" });
    expect(badType.status).toBe(400);
    expect(Problem.parse(badType.body).errors?.[0]?.field).toBe("type");
    const badName = await rest("POST", "/locations", { name: "Not OK", type: "room" });
    expect(badName.status).toBe(400);
    expect(Problem.parse(badName.body).errors?.[0]?.field).toBe("name");
  });

  it("filters the audit log by resource, verb, actor and time, newest first", async () => {
    const all = await rest("GET", "/audit-log?resource=location&page_size=500");
    const items = all.body.items as {
      verb: string;
      resource: string;
      at: string;
      actorId: string;
    }[];
    expect(items.length).toBeGreaterThan(3);
    expect(items.every((e) => e.resource === "location")).toBe(true);
    expect([...items].sort((a, b) => b.at.localeCompare(a.at)).map((e) => e.at)).toEqual(
      items.map((e) => e.at),
    );
    const renames = await rest("GET", "/audit-log?resource=location&verb=rename");
    expect((renames.body.items as unknown[]).length).toBe(1);
    const mine = await rest("GET", `/audit-log?actor=${ownerId}&page_size=500`);
    expect((mine.body.items as { actorId: string }[]).every((e) => e.actorId === ownerId)).toBe(
      true,
    );
    const future = await rest(
      "GET",
      `/audit-log?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    );
    expect(future.body.items).toEqual([]);
    const pageOne = await rest("GET", "/audit-log?page_size=2");
    const pageTwo = await rest(
      "GET",
      `/audit-log?page_size=2&page_token=${encodeURIComponent(pageOne.body.nextPageToken as string)}`,
    );
    const ids = [
      ...(pageOne.body.items as { id: string }[]),
      ...(pageTwo.body.items as { id: string }[]),
    ].map((e) => e.id);
    expect(new Set(ids).size).toBe(4);
  });

  it("refuses to delete a location that holds a system, naming the system (409, not a 500)", async () => {
    await rest("POST", "/locations", { name: "lobby", type: "room" });
    await rest("POST", "/systems", { name: "signage", type: "video-wall", location: "lobby" });
    const refused = await rest("DELETE", "/locations/lobby");
    expect(refused.status).toBe(409);
    expect(Problem.parse(refused.body).detail).toContain("lobby.signage");
    expect((await rest("DELETE", "/systems/lobby.signage")).status).toBe(200);
    expect((await rest("DELETE", "/locations/lobby")).status).toBe(200);
  });
});
