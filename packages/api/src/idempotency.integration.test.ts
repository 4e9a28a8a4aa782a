import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { Problem } from "@omniglass/contracts";
import { unsafePruneIdempotencyKeys } from "@omniglass/gateway";
import { createTestbed, type Testbed } from "./testbed";

describe("Idempotency-Key on REST writes", () => {
  let bed: Testbed;

  beforeAll(async () => {
    bed = await createTestbed();
  });
  afterAll(() => bed.close());

  const count = async (path: string) =>
    ((await (await bed.rest("GET", path)).json()) as { items: unknown[] }).items.length;

  it("creates once and returns the same body to a retry", async () => {
    const key = randomUUID();
    const body = { name: "campus-a", type: "campus" };
    const auditBefore = await count("/audit-log?resource=location&page_size=500");
    const first = await bed.rest("POST", "/locations", {
      body,
      headers: { "idempotency-key": key },
    });
    const second = await bed.rest("POST", "/locations", {
      body,
      headers: { "idempotency-key": key },
    });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
    expect(await count("/locations?q=campus-a")).toBe(1);
    expect(await count("/audit-log?resource=location&page_size=500")).toBe(auditBefore + 1);
  });

  it("refuses the same key with a different request, and keeps client errors for replay", async () => {
    const key = randomUUID();
    await bed.rest("POST", "/locations", {
      body: { name: "campus-b", type: "campus" },
      headers: { "idempotency-key": key },
    });
    const other = await bed.rest("POST", "/locations", {
      body: { name: "campus-c", type: "campus" },
      headers: { "idempotency-key": key },
    });
    expect(other.status).toBe(409);
    expect(Problem.parse(await other.json()).detail).toContain("different request");

    const badKey = randomUUID();
    const bad = { name: "Bad Name", type: "campus" };
    const firstBad = await bed.rest("POST", "/locations", {
      body: bad,
      headers: { "idempotency-key": badKey },
    });
    const againBad = await bed.rest("POST", "/locations", {
      body: bad,
      headers: { "idempotency-key": badKey },
    });
    expect(firstBad.status).toBe(400);
    expect(againBad.status).toBe(400);
    expect(againBad.headers.get("content-type")).toBe("application/problem+json");
    expect(againBad.headers.get("idempotent-replayed")).toBe("true");
  });

  it("keeps keys apart per credential and rejects a malformed key by name", async () => {
    const key = randomUUID();
    const first = await bed.rest("POST", "/location-types", {
      body: { name: "kiosk", label: "Kiosk" },
      headers: { "idempotency-key": key },
    });
    expect(first.status).toBe(200);
    // The same key from no credential at all is someone else's key: it runs (and is refused, 401).
    const stranger = await bed.rest("POST", "/location-types", {
      token: null,
      body: { name: "kiosk", label: "Kiosk" },
      headers: { "idempotency-key": key },
    });
    expect(stranger.status).toBe(401);
    const malformed = await bed.rest("POST", "/location-types", {
      body: { name: "x", label: "X" },
      headers: { "idempotency-key": "has spaces" },
    });
    expect(malformed.status).toBe(400);
    expect(Problem.parse(await malformed.json()).errors?.[0]?.field).toBe("Idempotency-Key");
  });

  it("forgets keys past their age, after which the same key runs again", async () => {
    const key = randomUUID();
    const body = { name: "campus-z", type: "campus" };
    await bed.rest("POST", "/locations", { body, headers: { "idempotency-key": key } });
    expect(
      await unsafePruneIdempotencyKeys({ db: bed.db, olderThan: new Date(Date.now() - 60_000) }),
    ).toBe(0);
    expect(
      await unsafePruneIdempotencyKeys({ db: bed.db, olderThan: new Date(Date.now() + 1_000) }),
    ).toBeGreaterThan(0);
    const again = await bed.rest("POST", "/locations", {
      body,
      headers: { "idempotency-key": key },
    });
    expect(again.headers.get("idempotent-replayed")).toBeNull();
    expect(again.status).toBe(409);
  });
});
