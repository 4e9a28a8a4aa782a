import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestbed, type Testbed } from "./testbed";

/**
 * Every list page costs the same number of SQL statements whatever its size (DESIGN.md §4). The
 * count includes authentication (token lookup and the one-statement actor load).
 */
describe("list pages cost a constant number of statements", () => {
  let bed: Testbed;

  beforeAll(async () => {
    bed = await createTestbed();
    await bed.rest("POST", "/locations", { body: { name: "campus", type: "campus" } });
    for (let i = 0; i < 30; i++) {
      await bed.rest("POST", "/locations", {
        body: { name: `room-${i}`, type: "room", parent: "campus" },
      });
      await bed.rest("POST", "/principals", { body: { kind: "service", name: `svc-${i}` } });
      await bed.rest("POST", "/systems", {
        body: { name: `av-${i}`, type: "meeting-room", location: `campus.room-${i}` },
      });
    }
  });
  afterAll(() => bed.close());

  async function cost(path: string): Promise<{ statements: number; items: number }> {
    bed.statements.length = 0;
    const response = await bed.rest("GET", path);
    expect(response.status, path).toBe(200);
    const { items } = (await response.json()) as { items: unknown[] };
    return { statements: bed.statements.length, items: items.length };
  }

  for (const list of [
    "/locations",
    "/principals",
    "/audit-log",
    "/roles",
    "/location-types",
    "/workers",
    "/systems",
    "/system-types",
  ]) {
    it(`${list}: the same count for 1, 10 and 100 rows a page`, async () => {
      const costs = [];
      for (const size of [1, 10, 100]) costs.push(await cost(`${list}?page_size=${size}`));
      expect(costs[0]!.items).toBeLessThanOrEqual(1);
      expect(new Set(costs.map((c) => c.statements)).size, JSON.stringify(costs)).toBe(1);
      expect(costs[0]!.statements).toBeLessThanOrEqual(4);
    });
  }

  it("a deep page costs the same as the first", async () => {
    const first = await cost("/locations?page_size=5");
    const response = await bed.rest("GET", "/locations?page_size=5");
    const { nextPageToken } = (await response.json()) as { nextPageToken: string };
    const next = await cost(
      `/locations?page_size=5&page_token=${encodeURIComponent(nextPageToken)}`,
    );
    expect(next.statements).toBe(first.statements);
  });
});
