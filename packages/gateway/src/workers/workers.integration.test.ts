import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { RequestMeta, WorkerHeartbeat } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { createTestDatabase, type TestDatabase } from "../testing";
import { listWorkers } from "./list-workers";
import { unsafePruneWorkers } from "./prune-workers";
import { unsafeRecordWorkerHeartbeat } from "./record-worker-heartbeat";

const meta: RequestMeta = {
  requestId: "test",
  source: "rest",
  actor: null,
  realActor: null,
  ip: "127.0.0.1",
};

function beat(overrides: Partial<WorkerHeartbeat> = {}): WorkerHeartbeat {
  return {
    workerId: "01936f2c-0000-7000-8000-000000000001",
    hostname: "host-a",
    pid: 4242,
    version: "0.1.0",
    startedAt: "2026-11-22T10:00:00.000Z",
    beatAt: "2026-11-22T10:00:05.000Z",
    intervalMs: 5000,
    lifecycle: "running",
    consumers: [
      { stream: "OG_PRESENCE", name: "presence", pending: 3, ackPending: 1, redelivered: 0 },
    ],
    lastError: null,
    ...overrides,
  };
}

describe("worker registry", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const statements: string[] = [];

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, onQuery: (q) => statements.push(q) });
  });
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });
  beforeEach(async () => {
    await handle.db.execute(sql`delete from worker`);
    statements.length = 0;
  });

  it("records a beat and moves only forward in time", async () => {
    const { db } = handle;
    expect(await unsafeRecordWorkerHeartbeat({ db, heartbeat: beat() })).toBe(true);
    expect(
      await unsafeRecordWorkerHeartbeat({
        db,
        heartbeat: beat({ beatAt: "2026-11-22T10:00:10.000Z", pid: 1 }),
      }),
    ).toBe(true);
    // A late, older beat (redelivered) changes nothing.
    expect(
      await unsafeRecordWorkerHeartbeat({
        db,
        heartbeat: beat({ beatAt: "2026-11-22T10:00:07.000Z", pid: 2 }),
      }),
    ).toBe(false);
    // The same beat again (duplicate delivery) changes nothing either.
    expect(
      await unsafeRecordWorkerHeartbeat({
        db,
        heartbeat: beat({ beatAt: "2026-11-22T10:00:10.000Z", pid: 3 }),
      }),
    ).toBe(false);
    const page = await listWorkers({ db, meta, input: { page_size: 50 } });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      pid: 1,
      lastSeenAt: "2026-11-22T10:00:10.000Z",
      consumers: beat().consumers,
    });
  });

  it("derives the state: stale after silence, stopped when it said so", async () => {
    const { db } = handle;
    const now = Date.now();
    await unsafeRecordWorkerHeartbeat({
      db,
      heartbeat: beat({
        workerId: "01936f2c-0000-7000-8000-00000000000a",
        beatAt: new Date(now - 1_000).toISOString(),
        startedAt: new Date(now - 60_000).toISOString(),
      }),
    });
    await unsafeRecordWorkerHeartbeat({
      db,
      heartbeat: beat({
        workerId: "01936f2c-0000-7000-8000-00000000000b",
        beatAt: new Date(now - 60_000).toISOString(),
        startedAt: new Date(now - 120_000).toISOString(),
      }),
    });
    await unsafeRecordWorkerHeartbeat({
      db,
      heartbeat: beat({
        workerId: "01936f2c-0000-7000-8000-00000000000c",
        beatAt: new Date(now - 600_000).toISOString(),
        startedAt: new Date(now - 900_000).toISOString(),
        lifecycle: "stopped",
      }),
    });
    const page = await listWorkers({ db, meta, input: { page_size: 50 } });
    expect(page.items.map((w) => [w.id.slice(-1), w.state])).toEqual([
      ["a", "running"],
      ["b", "stale"],
      ["c", "stopped"],
    ]);
  });

  it("pages with a cursor, newest first, in one statement per page whatever the page size", async () => {
    const { db } = handle;
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const id = `01936f2c-0000-7000-8000-${String(i).padStart(12, "0")}`;
      ids.push(id);
      // Pairs share a start time so the id breaks ties.
      const startedAt = new Date(Date.UTC(2026, 10, 22, 10, 0, Math.floor(i / 2))).toISOString();
      await unsafeRecordWorkerHeartbeat({
        db,
        heartbeat: beat({ workerId: id, startedAt, beatAt: startedAt }),
      });
    }
    for (const pageSize of [1, 7, 25, 100]) {
      statements.length = 0;
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await listWorkers({
          db,
          meta,
          input: { page_size: pageSize, page_token: token },
        });
        seen.push(...page.items.map((w) => w.id));
        token = page.nextPageToken ?? undefined;
        pages++;
      } while (token);
      expect(seen).toEqual([...ids].reverse());
      expect(pages).toBe(Math.max(1, Math.ceil(25 / pageSize)));
      expect(statements).toHaveLength(pages);
    }
  });

  it("rejects a page token it did not issue, naming the field", async () => {
    const error = await listWorkers({
      db: handle.db,
      meta,
      input: { page_size: 5, page_token: "bm90LWEtY3Vyc29y" },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OmniglassError);
    expect((error as OmniglassError).code).toBe("INVALID");
    expect((error as OmniglassError).fieldErrors.map((f) => f.field)).toEqual(["page_token"]);
  });

  it("forgets workers silent since before the cut-off, and only those", async () => {
    const { db } = handle;
    await unsafeRecordWorkerHeartbeat({
      db,
      heartbeat: beat({
        workerId: "01936f2c-0000-7000-8000-0000000000f1",
        beatAt: "2026-01-01T00:00:00.000Z",
      }),
    });
    await unsafeRecordWorkerHeartbeat({
      db,
      heartbeat: beat({
        workerId: "01936f2c-0000-7000-8000-0000000000f2",
        beatAt: "2026-11-01T00:00:00.000Z",
      }),
    });
    expect(await unsafePruneWorkers({ db, olderThan: new Date("2026-06-01T00:00:00.000Z") })).toBe(
      1,
    );
    const page = await listWorkers({ db, meta, input: { page_size: 50 } });
    expect(page.items.map((w) => w.id)).toEqual(["01936f2c-0000-7000-8000-0000000000f2"]);
  });
});
