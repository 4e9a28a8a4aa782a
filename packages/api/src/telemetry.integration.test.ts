import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Node,
  OwnerValues,
  Problem,
  PushSamplesResult,
  Samples,
  type PushSample,
} from "@omniglass/contracts";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

const DISPLAY = "campus.hq.display-1";

describe("telemetry over REST: push, values, samples, rejections", () => {
  let bed: Testbed;
  let integrator: string;
  let annexIntegrator: string;

  async function rest(method: string, path: string, body?: unknown, token?: string | null) {
    const response = await bed.rest(method, path, {
      body,
      ...(token !== undefined ? { token } : {}),
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
  }

  beforeAll(async () => {
    bed = await createTestbed();
    await rest("POST", "/locations", { name: "campus", type: "campus" });
    for (const name of ["hq", "annex"])
      await rest("POST", "/locations", { name, type: "building", parent: "campus" });
    await rest("POST", "/components", {
      name: "display-1",
      location: "campus.hq",
      template: "http-json-display",
    });
    await rest("POST", "/systems", { name: "av", type: "meeting-room", location: "campus.hq" });
    integrator = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "integrator-1",
        grants: [{ role: "integrator" }],
      })
    ).token;
    annexIntegrator = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "integrator-annex",
        grants: [{ role: "integrator", location: "campus.annex" }, { role: "viewer" }],
      })
    ).token;
  });
  afterAll(() => bed.close());

  it("accepts a valid sample and rejects an unregistered signal by name, with 202; a retry is safe", async () => {
    const ts = new Date(Date.now() - 5_000).toISOString();
    const batch = {
      samples: [
        { owner: DISPLAY, signal: "no-such-signal", value: 1, ts },
        { owner: DISPLAY, signal: "temperature", value: 41.5, ts, expectedInterval: 30 },
      ],
    };
    const first = await rest("POST", "/samples", batch, integrator);
    expect(first.status, first.text).toBe(202);
    const result = PushSamplesResult.parse(first.body);
    expect(result.accepted).toBe(1);
    expect(result.rejected).toEqual([
      expect.objectContaining({
        index: 0,
        signal: "no-such-signal",
        reason: "unregistered-signal",
      }),
    ]);
    const retry = PushSamplesResult.parse((await rest("POST", "/samples", batch, integrator)).body);
    expect(retry.accepted).toBe(1);
    const history = Samples.parse(
      (await rest("GET", `/components/${DISPLAY}/samples?signal=temperature`)).body,
    );
    expect(history.points).toEqual([
      { ts: new Date(ts).toISOString(), value: 41.5, min: null, max: null, count: 1 },
    ]);
  });

  it("rejects unknown owners and owners outside the caller's push scope, writing the rest", async () => {
    const samples: PushSample[] = [
      {
        ownerKind: "component",
        owner: "campus.hq.nothing",
        signal: "temperature",
        instance: "",
        value: 1,
      },
      { ownerKind: "component", owner: DISPLAY, signal: "temperature", instance: "", value: 2 },
      {
        ownerKind: "location",
        owner: "campus.annex",
        signal: "temperature",
        instance: "",
        value: 3,
      },
    ];
    const pushed = PushSamplesResult.parse(
      (await rest("POST", "/samples", { samples }, annexIntegrator)).body,
    );
    expect(pushed.accepted).toBe(1);
    expect(pushed.rejected.map((r) => [r.index, r.reason])).toEqual([
      [0, "unknown-owner"],
      [1, "out-of-scope"],
    ]);
    const annex = OwnerValues.parse((await rest("GET", "/locations/campus.annex/values")).body);
    expect(annex.values).toEqual([
      expect.objectContaining({
        signal: "temperature",
        value: 3,
        state: "fresh",
        provenance: "pushed",
      }),
    ]);
    // A viewer may read but not push: 403.
    const viewer = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "just-viewer",
        grants: [{ role: "viewer" }],
      })
    ).token;
    expect((await rest("POST", "/samples", { samples }, viewer)).status).toBe(403);
  });

  it("shows a component's current values, with declared but never seen signals as unknown", async () => {
    const read = await rest("GET", `/components/${DISPLAY}/values`);
    expect(read.status, read.text).toBe(200);
    const values = OwnerValues.parse(read.body);
    expect(values.owner).toMatchObject({ kind: "component", path: DISPLAY });
    const temperature = values.values.find((v) => v.signal === "temperature")!;
    expect(temperature).toMatchObject({
      lane: "metric",
      unit: "°C",
      expectedIntervalSeconds: 30,
      state: "fresh",
      provenance: "pushed",
    });
    expect(temperature.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(values.values.find((v) => v.signal === "power-state")).toMatchObject({
      state: "unknown",
      value: null,
      ts: null,
      expectedIntervalSeconds: 30,
    });
    const one = OwnerValues.parse(
      (await rest("GET", `/components/${DISPLAY}/values?signal=power-state`)).body,
    );
    expect(one.values.map((v) => v.signal)).toEqual(["power-state"]);
  });

  it("turns a value stale when read past twice its interval, before the clock marks it", async () => {
    const ts = new Date(Date.now() - 70_000).toISOString();
    await rest(
      "POST",
      "/samples",
      {
        samples: [
          {
            owner: "av",
            ownerKind: "system",
            signal: "volume",
            value: 10,
            ts,
            expectedInterval: 30,
          },
        ],
      },
      integrator,
    );
    const values = OwnerValues.parse((await rest("GET", "/systems/campus.hq.av/values")).body);
    expect(values.values).toEqual([
      expect.objectContaining({ signal: "volume", state: "stale", value: 10 }),
    ]);
    expect(Date.parse(values.values[0]!.stateSince!)).toBe(Date.parse(ts) + 60_000);
  });

  it("answers raw samples, and buckets by step: mean, min, max and count", async () => {
    // Two hours ago, on a minute boundary, so the steps of 60 s are exactly the two minutes.
    const base = Math.floor((Date.now() - 7_200_000) / 60_000) * 60_000;
    const samples = Array.from({ length: 120 }, (_, i) => ({
      owner: DISPLAY,
      signal: "volume",
      ts: new Date(base + i * 1000).toISOString(),
      value: i,
    }));
    const pushed = PushSamplesResult.parse(
      (await rest("POST", "/samples", { samples }, integrator)).body,
    );
    expect(pushed).toEqual({ accepted: 120, rejected: [] });
    const from = new Date(base).toISOString();
    const to = new Date(base + 120_000).toISOString();
    const raw = Samples.parse(
      (await rest("GET", `/components/${DISPLAY}/samples?signal=volume&from=${from}&to=${to}`))
        .body,
    );
    expect(raw.step).toBeNull();
    expect(raw.points).toHaveLength(120);
    const stepped = Samples.parse(
      (
        await rest(
          "GET",
          `/components/${DISPLAY}/samples?signal=volume&from=${from}&to=${to}&step=60`,
        )
      ).body,
    );
    expect(stepped.step).toBe(60);
    expect(stepped.points).toEqual([
      { ts: from, value: 29.5, min: 0, max: 59, count: 60 },
      { ts: new Date(base + 60_000).toISOString(), value: 89.5, min: 60, max: 119, count: 60 },
    ]);
  });

  it("takes a full batch of 5,000 samples in one call, in bounded time", async () => {
    const base = Date.now() - 3 * 3_600_000;
    const samples = Array.from({ length: 5_000 }, (_, i) => ({
      owner: i % 2 === 0 ? DISPLAY : "campus.hq",
      ownerKind: i % 2 === 0 ? ("component" as const) : ("location" as const),
      signal: i % 4 < 2 ? "temperature" : "volume",
      instance: `ch-${i % 10}`,
      ts: new Date(base + i).toISOString(),
      value: i % 100,
    }));
    const started = performance.now();
    const pushed = await rest("POST", "/samples", { samples }, integrator);
    const elapsed = performance.now() - started;
    expect(pushed.status).toBe(202);
    expect(PushSamplesResult.parse(pushed.body)).toEqual({ accepted: 5_000, rejected: [] });
    console.log(`push of 5,000 samples: ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(15_000);
  });

  it("validates the range, naming the field", async () => {
    const backwards = await rest(
      "GET",
      `/components/${DISPLAY}/samples?signal=volume&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`,
    );
    expect(backwards.status).toBe(400);
    expect(Problem.parse(backwards.body).errors).toEqual([
      expect.objectContaining({ field: "from" }),
    ]);
    const long = await rest(
      "GET",
      `/components/${DISPLAY}/samples?signal=volume&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z`,
    );
    expect(long.status).toBe(400);
    const unknown = await rest("GET", `/components/${DISPLAY}/samples?signal=nope`);
    expect(unknown.status).toBe(400);
    expect(Problem.parse(unknown.body).errors).toEqual([
      expect.objectContaining({ field: "signal" }),
    ]);
  });

  it("counts rejections per component and per source, newest first", async () => {
    const component = await rest("GET", `/components/${DISPLAY}/rejections`);
    expect(component.status, component.text).toBe(200);
    const items = component.body.items as {
      signal: string;
      reason: string;
      count: number;
      source: { name: string };
    }[];
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          signal: "no-such-signal",
          reason: "unregistered-signal",
          count: 2,
          source: expect.objectContaining({ name: "integrator-1" }),
        }),
        expect.objectContaining({ signal: "temperature", reason: "out-of-scope", count: 1 }),
      ]),
    );
  });

  it("shows a node's liveness: never seen, then online from its heartbeat, and its rejected count", async () => {
    const created = await rest("POST", "/nodes", { name: "edge-1", location: "campus.hq" });
    const fresh = Node.parse(created.body);
    expect(fresh.liveness).toEqual({ state: "never", heartbeat: null, rejected: 0 });
    const now = new Date().toISOString();
    const heartbeat = {
      nodeId: fresh.id,
      version: "0.1.0",
      hostname: "rack-1",
      startedAt: now,
      beatAt: now,
      intervalMs: 5_000,
      worklistEtag: null,
      tasks: 0,
      functions: 0,
      running: 0,
      buffered: 0,
      published: 0,
      lastError: null,
    };
    await bed.db.execute(
      `update node set heartbeat = '${JSON.stringify(heartbeat)}'::jsonb, last_seen_at = now() where id = '${fresh.id}'` as never,
    );
    await bed.db.execute(
      `insert into sample_rejection (source_id, component_id, signal, reason, count, last_detail) values ('${fresh.id}', null, 'x', 'not-polled', 7, 'd')` as never,
    );
    const read = Node.parse((await rest("GET", "/nodes/edge-1")).body);
    expect(read.liveness).toMatchObject({
      state: "online",
      rejected: 7,
      heartbeat: { hostname: "rack-1" },
    });
    const list = (await rest("GET", "/nodes")).body.items as Node[];
    expect(list.find((n) => n.name === "edge-1")!.liveness.rejected).toBe(7);
    const rejections = await rest("GET", "/nodes/edge-1/rejections");
    expect(rejections.body.items).toEqual([
      expect.objectContaining({ signal: "x", reason: "not-polled", count: 7, component: null }),
    ]);
  });
});
