import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Assessment, type Contradiction } from "@omniglass/contracts";
import {
  DEMO_MISLABELLED,
  newSecretKeyBase64,
  parseSecretKey,
  unsafeSeedDemoEstate,
  unsafeSeedLargeEstate,
  unsafeWireDemoTelemetry,
  unsafeWriteSamples,
  type IncomingSample,
} from "@omniglass/gateway";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createContext } from "../../context";
import { buildOpenApiDocument } from "../../openapi";
import { createTestbed, type Testbed } from "../../testbed";
import { handleAssessmentRequest, MARKDOWN } from "./rest-markdown";

/**
 * The assessment (issue #16 §6) over REST, as /api/v1/assessment serves it (the route in front of
 * the catch-all calls `handleAssessmentRequest`): the demo estate, wired to its node, with what
 * two of its displays report, as the simulator answers them.
 */
describe("GET /api/v1/assessment", () => {
  let bed: Testbed;
  let buildingViewer: string;
  const riverside = "riverside";
  const mislabelled = DEMO_MISLABELLED;
  const honest = "riverside.north.floor-1.boardroom-110.display-right";
  const unwatched = "riverside.north.floor-2.huddle-203.room-pc";

  const get = (query: string, token = bed.owner.token) => {
    const headers = new Headers({ authorization: `Bearer ${token}` });
    return handleAssessmentRequest(
      new Request(`http://127.0.0.1/api/v1/assessment?${query}`, { headers }),
      createContext({
        deps: bed.deps,
        requestId: randomUUID(),
        source: "rest",
        ip: "127.0.0.1",
        headers,
      }),
    );
  };
  const json = async (query: string, token?: string) => {
    const response = await get(query, token);
    expect(response.status, await response.clone().text()).toBe(200);
    return { text: await response.text(), response };
  };
  /** SQL for the fixtures and the checks (the api never imports drizzle; these are literals). */
  const rows = async (text: string) =>
    (await bed.db.execute(text as never)).rows as Record<string, unknown>[];
  const withoutGeneratedAt = (text: string) => text.replace(/"generatedAt":"[^"]+"/, "");

  beforeAll(async () => {
    bed = await createTestbed({ secretKey: parseSecretKey(newSecretKeyBase64()) });
    await unsafeSeedDemoEstate(bed.db, { owner: "root" });
    const wired = await unsafeWireDemoTelemetry(bed.db, {
      owner: "root",
      basePort: 21_000,
      secretKey: parseSecretKey(newSecretKeyBase64()),
    });
    const nodeId = wired!.node.id;
    const ids = new Map(
      (
        await rows(
          `select id, path, serial from component where path in ('${mislabelled}', '${honest}')`,
        )
      ).map((r) => [r.path as string, r as { id: string; serial: string }]),
    );
    // What the simulator's displays answer on /api/info and /api/status: the mislabelled one its
    // own nameplate, the other its inventory's (demo-telemetry.ts).
    const ts = Date.now() - 5_000;
    const report = (path: string, values: Record<string, unknown>): IncomingSample[] =>
      Object.entries(values).map(([signal, value]) => ({
        ownerKind: "component",
        ownerId: ids.get(path)!.id,
        signal,
        instance: "",
        ts,
        value,
        expectedIntervalMs: 3_600_000,
      }));
    const written = await unsafeWriteSamples(bed.db, {
      sourceId: nodeId,
      provenance: "observed",
      samples: [
        ...report(mislabelled, {
          manufacturer: "Omniglass Simulated Displays",
          model: "OG-D55",
          "serial-number": "OGD000000042",
          "firmware-version": "2.14.3",
          "input-source": "hdmi-1",
          reachable: true,
        }),
        ...report(honest, {
          manufacturer: "Samsung",
          model: "QM85R",
          "serial-number": ids.get(honest)!.serial,
          "firmware-version": "2.14.3",
          "input-source": "hdmi-2",
          reachable: true,
        }),
      ],
    });
    expect(written.rejected).toEqual([]);
    // An open alarm on the display that tells the truth about itself (inserted as a rule opens it).
    await rows(`
      insert into alarm (id, rule_id, owner_kind, component_id, severity, summary, lifecycle, opened_at)
      select '0190aaaa-0000-7000-8000-000000000001', (select id from event_rule order by name, id limit 1),
        'component', id, 'critical', 'test alarm on the right display', 'open', now() - interval '3 minutes'
      from component where path = '${honest}'`);
    // A room PC nobody polls any more, still filling its room's compute role.
    await rows(`
      update component_interface set node_id = null, host = null, port = null
      where component_id = (select id from component where path = '${unwatched}')`);
    buildingViewer = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "north-viewer",
        grants: [{ role: "viewer", location: "riverside.north" }],
      })
    ).token;
  }, 120_000);
  afterAll(() => bed?.close());

  it("lists every system and component of riverside with evidence, and names the demo's contradictions", async () => {
    const started = performance.now();
    const { text, response } = await json(`scope=${riverside}&format=json`);
    const ms = performance.now() - started;
    console.log(`assessment of riverside: ${ms.toFixed(0)} ms, ${text.length} bytes of JSON`);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const a = Assessment.parse(JSON.parse(text));
    expect(a.scope).toEqual({ kind: "location", ref: "riverside", path: "riverside" });
    expect(a.requestedBy).toBe("root");
    expect(a.productVersion).toBe("test");
    const [revision] = await rows("select max(revision)::text as r from estate_change");
    expect(a.estateRevision).toBe(revision!.r);

    const systems = (
      await rows(
        "select path from system where path like 'riverside.%' order by path collate \"C\"",
      )
    ).map((r) => r.path);
    expect(a.systems.map((s) => s.path)).toEqual(systems);
    const components = (
      await rows("select count(*)::int as n from component where path like 'riverside.%'")
    )[0]!.n;
    expect(a.components).toHaveLength(components as number);
    for (const s of a.systems) {
      expect(s.roles.length, s.path).toBeGreaterThan(0);
      expect(s.members.length, s.path).toBeGreaterThan(0);
    }
    // Evidence per component: its samples, or the gaps that say why there are none.
    for (const c of a.components)
      expect(c.samples.length + c.gaps.length, c.path).toBeGreaterThan(0);
    const left = a.components.find((c) => c.path === mislabelled)!;
    expect(left.samples.find((s) => s.signal === "model")).toMatchObject({
      value: "OG-D55",
      freshness: "fresh",
      provenance: "observed",
      source: {
        node: "riverside-node",
        interface: "http",
        protocol: "http",
        principal: "riverside-node",
      },
    });
    expect(left.gaps.some((g) => g.kind === "never-seen" && g.signal === "temperature")).toBe(true);
    // Its collector never sent a heartbeat here: down, and the verdict says so.
    expect(left.collectors).toEqual([{ node: "riverside-node", online: false }]);
    expect(left.health.explanation).toMatch(/collector riverside-node is down/);

    const found = (kind: Contradiction["kind"], ref: string) =>
      a.contradictions.filter((c) => c.kind === kind && c.ref === ref);
    expect(found("model-mismatch", mislabelled)).toEqual([
      {
        kind: "model-mismatch",
        ref: mislabelled,
        field: "model",
        declared: { value: "QM85R", where: "component.model (inventory)" },
        observed: {
          value: "OG-D55",
          source: "model via riverside-node/http/http",
          at: new Date(left.samples.find((s) => s.signal === "model")!.observedAt!).toISOString(),
        },
      },
    ]);
    expect(found("vendor-mismatch", mislabelled)).toHaveLength(1);
    expect(found("serial-mismatch", mislabelled)).toHaveLength(1);
    expect(found("declared-mismatch", mislabelled)[0]).toMatchObject({
      field: "input-source",
      declared: { value: "hdmi-3", where: "tag input-source on the component" },
      observed: { value: "hdmi-1" },
    });
    expect(
      found("declared-not-reported", "riverside.south.floor-1.classroom-101.projector")[0],
    ).toMatchObject({
      field: "firmware-version",
      declared: { value: "1.04" },
      observed: { value: null, at: null },
    });
    expect(
      found("role-unmonitored", "riverside.north.floor-2.huddle-203.av#compute")[0],
    ).toMatchObject({
      declared: { value: unwatched },
      observed: { value: null },
    });
    const [rule] = await rows("select name from event_rule order by name, id limit 1");
    const right = a.components.find((c) => c.path === honest)!;
    expect(right.alarms).toEqual([
      {
        id: "0190aaaa-0000-7000-8000-000000000001",
        severity: "critical",
        rule: rule!.name,
        instance: "",
        summary: "test alarm on the right display",
        since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown as string,
        acknowledged: false,
        suppressed: false,
      },
    ]);
    // The display that reports its inventory contradicts nothing.
    expect(a.contradictions.filter((c) => c.ref === honest)).toEqual([]);
    expect(a.summary.contradictions).toBe(a.contradictions.length);

    // Every system and component is in exactly one state of the summary, in ref order.
    const states = [a.summary.working, a.summary.degraded, a.summary.missing, a.summary.blocked];
    expect(states.reduce((n, g) => n + g.count, 0)).toBe(a.systems.length + a.components.length);
    for (const g of states) {
      expect(g.count).toBe(g.items.length);
      const refs = g.items.map((i) => `${i.ref}\u0000${i.kind}`);
      expect(refs).toEqual([...refs].sort());
    }
    expect(a.summary.missing.items).toContainEqual(
      expect.objectContaining({ kind: "component", ref: unwatched }),
    );
  }, 60_000);

  it("is deterministic: two calls differ only in generatedAt, as JSON and as Markdown", async () => {
    const first = await json("scope=riverside&format=json");
    const started = performance.now();
    const second = await json("scope=riverside&format=json");
    console.log(`assessment of riverside, warm: ${(performance.now() - started).toFixed(0)} ms`);
    expect(JSON.parse(first.text).generatedAt).not.toBe("");
    expect(withoutGeneratedAt(second.text)).toBe(withoutGeneratedAt(first.text));

    const md1 = await get("scope=riverside&format=md");
    const md2 = await get("scope=riverside&format=md");
    expect(md1.status).toBe(200);
    expect(md1.headers.get("content-type")).toBe(MARKDOWN);
    const [t1, t2] = [await md1.text(), await md2.text()];
    const strip = (t: string) => t.replace(/^\| Generated at \| .* \|$/m, "");
    expect(strip(t2)).toBe(strip(t1));
    expect(t1).not.toBe(strip(t1));
    // The same content: every system and component has its heading; every contradiction a row.
    const a = Assessment.parse(JSON.parse(first.text));
    for (const s of a.systems) expect(t1).toContain(`### ${s.path}`);
    for (const c of a.components) expect(t1).toContain(`### ${c.path}`);
    for (const c of a.contradictions)
      expect(t1).toContain(`| ${c.kind} | ${c.ref} | ${c.field} | ${c.declared.value} |`);
    expect(t1).toContain("| Contradictions | ");
    expect(t1).toContain("| critical | ");
    expect(t1).toContain("0190aaaa-0000-7000-8000-000000000001 |");
    expect(t1).toContain(`| Estate revision | ${a.estateRevision} |`);
  }, 60_000);

  it("costs the same number of statements for a room as for the whole campus", async () => {
    const count = async (query: string) => {
      bed.statements.length = 0;
      await json(query);
      return bed.statements.length;
    };
    const room = await count("scope=riverside.north.floor-1.boardroom-110");
    const campus = await count("scope=riverside");
    const component = await count(`scope=${mislabelled}`);
    expect(campus).toBe(room);
    expect(campus).toBeLessThanOrEqual(16);
    expect(component).toBeLessThanOrEqual(campus);
  }, 60_000);

  it("a system and a component are scopes too; their content is theirs", async () => {
    const sys = Assessment.parse(
      JSON.parse((await json("scope=riverside.north.floor-2.huddle-203.av")).text),
    );
    expect(sys.scope.kind).toBe("system");
    expect(sys.systems.map((s) => s.path)).toEqual(["riverside.north.floor-2.huddle-203.av"]);
    expect(sys.components.map((c) => c.path)).toEqual([
      "riverside.north.floor-2.access-switch",
      "riverside.north.floor-2.huddle-203.display",
      unwatched,
    ]);
    expect(sys.contradictions.map((c) => c.kind)).toEqual(["role-unmonitored"]);
    const one = Assessment.parse(JSON.parse((await json(`scope=${mislabelled}`)).text));
    expect(one.scope.kind).toBe("component");
    expect(one.systems).toEqual([]);
    expect(one.components.map((c) => c.path)).toEqual([mislabelled]);
    expect(one.contradictions.map((c) => c.kind).sort()).toEqual([
      "declared-mismatch",
      "model-mismatch",
      "serial-mismatch",
      "vendor-mismatch",
    ]);
  }, 60_000);

  it("stays in the caller's read scope: out of scope is the same 404 as missing", async () => {
    // The campus itself is beyond a building grant: as missing as a campus that does not exist.
    expect((await get("scope=riverside", buildingViewer)).status).toBe(404);
    const north = Assessment.parse(
      JSON.parse((await json("scope=riverside.north", buildingViewer)).text),
    );
    expect(north.systems.length).toBeGreaterThan(0);
    for (const s of north.systems) expect(s.path).toMatch(/^riverside\.north\./);
    for (const c of north.components) expect(c.path).toMatch(/^riverside\.north\./);
    expect(north.locations.map((l) => l.path)).not.toContain("riverside.south");
    const hidden = await get("scope=riverside.south.floor-1.auditorium", buildingViewer);
    const missing = await get("scope=riverside.nowhere", buildingViewer);
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    type Problem = { detail: string; errors: unknown[] };
    const [h, m] = [(await hidden.json()) as Problem, (await missing.json()) as Problem];
    expect(h.detail).toBe(m.detail);
    expect(h.errors).toEqual(m.errors);
    expect(hidden.headers.get("content-type")).toBe("application/problem+json");
  }, 60_000);

  it("refuses a bad format or scope with problem+json naming the field, also for format=md", async () => {
    const badFormat = await get("scope=riverside&format=xml");
    expect(badFormat.status).toBe(400);
    expect(badFormat.headers.get("content-type")).toBe("application/problem+json");
    expect(JSON.stringify(await badFormat.json())).toContain('"format"');
    const noScope = await get("format=md");
    expect(noScope.status).toBe(400);
    expect(JSON.stringify(await noScope.json())).toContain('"scope"');
    const ambiguous = await get("scope=av&format=md");
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.headers.get("content-type")).toBe("application/problem+json");
    const unauthenticated = await handleAssessmentRequest(
      new Request("http://127.0.0.1/api/v1/assessment?scope=riverside&format=md"),
      createContext({
        deps: bed.deps,
        requestId: randomUUID(),
        source: "rest",
        ip: "127.0.0.1",
        headers: new Headers(),
      }),
    );
    expect(unauthenticated.status).toBe(401);
  }, 60_000);

  it("the OpenAPI document describes both formats", () => {
    const document = buildOpenApiDocument({ version: "test" }) as unknown as {
      paths: Record<
        string,
        {
          get: {
            parameters: { name: string }[];
            responses: Record<string, { content: Record<string, unknown> }>;
            "x-omniglass-permission": string;
          };
        }
      >;
    };
    const operation = document.paths["/assessment"]!.get;
    expect(operation["x-omniglass-permission"]).toBe("assessment:read");
    expect(operation.parameters.map((p) => p.name).sort()).toEqual(["format", "scope"]);
    expect(Object.keys(operation.responses["200"]!.content).sort()).toEqual([
      "application/json",
      "text/markdown",
    ]);
  });

  it("a 1,000-component location: the same statements, and the time it takes", async () => {
    await unsafeSeedLargeEstate({ db: bed.db, components: 1_000, buildings: 2 });
    bed.statements.length = 0;
    const started = performance.now();
    const { text } = await json("scope=bench-1000");
    const ms = performance.now() - started;
    const statements = bed.statements.length;
    const a = Assessment.parse(JSON.parse(text));
    expect(a.components).toHaveLength(1_000);
    bed.statements.length = 0;
    await json("scope=riverside.north.floor-1.boardroom-110");
    expect(statements).toBe(bed.statements.length);
    console.log(
      `assessment of bench-1000: ${ms.toFixed(0)} ms, ${statements} statements, ${a.systems.length} systems, ${(text.length / 1e6).toFixed(1)} MB of JSON`,
    );
  }, 120_000);
});
