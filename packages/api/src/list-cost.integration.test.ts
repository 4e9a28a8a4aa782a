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
      await bed.rest("POST", "/components", {
        body: {
          name: `display-${i}`,
          location: `campus.room-${i}`,
          template: "http-json-display",
          system: `campus.room-${i}.av-${i}`,
        },
      });
      await bed.rest("POST", "/signals", {
        body: {
          name: `custom-${i}`,
          lane: "metric",
          label: `Custom ${i}`,
          description: "A signal of the list-cost test.",
          unit: null,
          precision: 0,
          valueType: "number",
          schema: null,
        },
      });
      await bed.rest("POST", "/nodes", {
        body: { name: `edge-${i}`, location: `campus.room-${i}` },
      });
      for (const kind of ["tags", "variables"])
        await bed.rest("PUT", `/${kind}`, {
          body: { target: `location.campus.room-${i}`, key: "zone", value: `zone-${i}` },
        });
      await bed.rest("POST", "/location-types", {
        body: { name: `kind-${i}`, label: `Kind ${i}` },
      });
      await bed.rest("POST", "/system-types", { body: { name: `use-${i}`, label: `Use ${i}` } });
      await bed.rest("PUT", "/tags", {
        body: { target: "location.campus.room-1", key: `key-${i}`, value: `v${i}` },
      });
    }
    // Lists whose rows the API does not create: roles and workers are written directly.
    await bed.db.execute(
      `insert into role (id, name, label, permissions) select gen_random_uuid(), 'custom-' || g, 'Custom ' || g, array['location:read'] from generate_series(1, 15) g` as never,
    );
    await bed.db.execute(
      `insert into worker (id, hostname, pid, version, lifecycle, started_at, last_seen_at, interval_ms, consumers) select gen_random_uuid(), 'host-' || g, g, 'test', 'running', now(), now(), 5000, '[]'::jsonb from generate_series(1, 15) g` as never,
    );
    // Templates: clones of an official one, and twelve versions of the first clone.
    const official = (await (await bed.rest("GET", "/templates/http-json-display")).json()) as {
      document: Record<string, unknown>;
    };
    for (let i = 0; i < 12; i++) {
      const published = await bed.rest("POST", "/templates", {
        body: { document: { ...official.document, name: `clone-${i}`, version: 1 } },
      });
      expect(published.status, await published.clone().text()).toBe(200);
    }
    for (let version = 2; version <= 12; version++) {
      await bed.rest("POST", "/templates", {
        body: { document: { ...official.document, name: "clone-0", version } },
      });
    }
    // Rules and alarms (issue #13): twelve custom rules, the first firing on every display.
    for (let i = 0; i < 12; i++)
      await bed.rest("POST", "/rules", {
        body: {
          name: `rule-${i}`,
          severity: "warning",
          fire: i === 0 ? 'signals["reachable"] == false' : `signals["volume"] > ${80 + i}`,
        },
      });
    // Maintenance windows and silences (issue #14): twelve of each over the rooms, written
    // directly (the REST writes are tested in suppress.integration.test.ts; this hook is long).
    await bed.db.execute(
      `insert into maintenance_window (id, name, scope_kind, scope_location_id, dtstart, time_zone, duration, rrule, first_start) select gen_random_uuid(), 'window-' || g, 'location', (select id from location where path = 'campus.room-' || g), '2026-12-05T22:00', 'Europe/London', '2h', 'FREQ=WEEKLY;BYDAY=SA', '2026-12-05T22:00Z' from generate_series(0, 11) g` as never,
    );
    await bed.db.execute(
      `insert into silence (id, matchers, owner_kind, owner_location_id, author_name, reason, starts_at, expires_at) select gen_random_uuid(), '{"severities":["warning"]}'::jsonb, 'location', (select id from location where path = 'campus.room-' || g), 'root', 'works in room ' || g, now(), now() + interval '1 day' from generate_series(0, 11) g` as never,
    );
    // Webhook endpoints, action rules and deliveries (issue #14), written directly: twelve
    // endpoints (the sealed secret is never opened here), a rule per endpoint, 45 deliveries to
    // each of the first two with an attempt each (an endpoint's newest delivery and unsent count
    // ride in its row's statement: the page must not grow a read per row).
    await bed.db.execute(
      `insert into webhook_endpoint (id, name, url, secret_ciphertext) select gen_random_uuid(), 'hook-' || lpad(g::text, 2, '0'), 'https://hooks.example.com/' || g, 'sealed' from generate_series(0, 11) g` as never,
    );
    await bed.db.execute(
      `insert into action_rule (id, name, matchers, scope_kind, endpoint_ids) select gen_random_uuid(), 'pages-' || e.name, '{"severities":["critical"]}'::jsonb, 'all', array[e.id] from webhook_endpoint e` as never,
    );
    await bed.db.execute(
      `insert into delivery (id, endpoint_id, event_type, body, status, attempts, last_status_code, created_at) select 'msg_' || md5(e.name || g), e.id, 'webhook.test', '{}', (array['delivered', 'dead', 'failed'])[1 + g % 3], 1, 500, now() - g * interval '1 minute' from webhook_endpoint e, generate_series(1, 45) g where e.name in ('hook-00', 'hook-01')` as never,
    );
    await bed.db.execute(
      `insert into delivery_attempt (delivery_id, attempt, at, status_code, latency_ms) select id, 1, created_at, 500, 10 from delivery` as never,
    );
    // Estate plans (issue #15): twelve, written directly; each row's approvals ride in its page.
    await bed.db.execute(
      `insert into estate_plan (id, planner_id, desired_digest, base_revision, base_count, plan, desired, summary, created_at) select 'plan-' || g, '${bed.owner.id}', 'd', 0, 0, '{"ok":true,"changes":[],"approvalsRequired":[]}', '{}', 's', now() - g * interval '1 minute' from generate_series(0, 11) g` as never,
    );
    const pushed = await bed.rest("POST", "/samples", {
      body: {
        samples: Array.from({ length: 30 }, (_, i) => ({
          owner: `campus.room-${i}.display-${i}`,
          signal: "reachable",
          value: false,
        })),
      },
    });
    expect(pushed.status, await pushed.clone().text()).toBe(202);
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
    "/nodes",
    "/tags",
    "/variables",
    "/nodes?filter=location%3Dcampus&q=edge&order_by=-created_at",
    "/tags?target=location.campus.room-1",
    "/templates/clone-0/versions",
    "/components",
    "/components?filter=location%3Dcampus%20kind%3Ddisplay&q=display&order_by=-name",
    "/systems?filter=location%3Dcampus&order_by=name",
    "/templates",
    "/signals",
    "/rules",
    "/rules?filter=origin%3Dcustom%20severity%3Dwarning&q=rule&order_by=-created_at",
    "/alarms",
    "/alarms?state=open&severity=warning&acknowledged=false&flapping=false&rule=rule-0",
    "/alarms?owner=campus",
    "/maintenance-windows",
    "/maintenance-windows?filter=scope%3Dlocation%20enabled%3Dtrue&q=window&order_by=-created_at",
    "/silences",
    "/silences?state=active&q=room&order_by=expires_at",
    "/webhook-endpoints",
    "/action-rules",
    "/deliveries",
    `/deliveries?status=dead&endpoint=hook-00&since=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}`,
    "/estate/plans",
  ]) {
    it(`${list}: the same count for 1, 10 and 100 rows a page`, async () => {
      const costs = [];
      const join = list.includes("?") ? "&" : "?";
      for (const size of [1, 10, 100]) costs.push(await cost(`${list}${join}page_size=${size}`));
      // Enough rows that a page grows with its size, so a per-row query would show in the count.
      expect(
        costs.map((c) => c.items),
        list,
      ).toEqual([1, 10, expect.any(Number)]);
      expect(costs[2]!.items, list).toBeGreaterThan(10);
      expect(new Set(costs.map((c) => c.statements)).size, JSON.stringify(costs)).toBe(1);
      // Authentication (2) and the page (1), plus the count behind `totalSize` and one lookup per
      // reference a filter (or target) names: fixed by the request, never by the page size.
      expect(costs[0]!.statements).toBeLessThanOrEqual(
        /[?&](filter|target|owner)=/.test(list) ? 6 : 5,
      );
    });
  }

  it("/nodes: liveness (heartbeat and rejected count) rides in the page's statement", async () => {
    const now = new Date().toISOString();
    const beat = JSON.stringify({
      version: "0.1.0",
      hostname: "rack",
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
    });
    await bed.db.execute(
      `update node set last_seen_at = now(), heartbeat = '${beat}'::jsonb || jsonb_build_object('nodeId', id)` as never,
    );
    await bed.db.execute(
      `insert into sample_rejection (source_id, component_id, signal, reason, count, last_detail) select id, null, 'x', 'not-polled', 3, 'd' from node` as never,
    );
    const costs = [];
    for (const size of [1, 10, 100]) costs.push(await cost(`/nodes?page_size=${size}`));
    expect(new Set(costs.map((c) => c.statements)).size, JSON.stringify(costs)).toBe(1);
    expect(costs[0]!.statements).toBeLessThanOrEqual(5);
    const page = (await (await bed.rest("GET", "/nodes?page_size=100")).json()) as {
      items: { liveness: { rejected: number; state: string } }[];
    };
    expect(page.items.length).toBeGreaterThan(1);
    for (const node of page.items)
      expect(node.liveness).toMatchObject({ rejected: 3, state: "online" });
  });

  for (const list of ["/locations", "/components", "/systems?order_by=-name", "/alarms"]) {
    it(`${list}: a deep page costs the same as the first`, async () => {
      const join = list.includes("?") ? "&" : "?";
      const first = await cost(`${list}${join}page_size=5`);
      let token = "";
      for (let page = 0; page < 3; page++) {
        const response = await bed.rest(
          "GET",
          `${list}${join}page_size=5${token ? `&page_token=${encodeURIComponent(token)}` : ""}`,
        );
        token = ((await response.json()) as { nextPageToken: string }).nextPageToken;
      }
      const deep = await cost(`${list}${join}page_size=5&page_token=${encodeURIComponent(token)}`);
      expect(deep.items).toBe(5);
      expect(deep.statements).toBe(first.statements);
    });
  }

  it("/alarms resolved recently (order_by=-resolvedAt, resolvedSince): the same count at any size and depth", async () => {
    // Last, as it resolves the seeded alarms: at distinct times, none before it opened.
    await bed.db.execute(
      `update alarm set lifecycle = 'resolved', resolved_at = greatest(opened_at, now() - random() * interval '1 hour') where lifecycle = 'open'` as never,
    );
    const list = `/alarms?state=resolved&order_by=-resolvedAt&resolvedSince=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}`;
    const costs = [];
    for (const size of [1, 10, 100]) costs.push(await cost(`${list}&page_size=${size}`));
    expect(costs.map((c) => c.items)).toEqual([1, 10, expect.any(Number)]);
    expect(costs[2]!.items).toBeGreaterThan(10);
    expect(new Set(costs.map((c) => c.statements)).size, JSON.stringify(costs)).toBe(1);
    expect(costs[0]!.statements).toBeLessThanOrEqual(5);
    let token = "";
    for (let page = 0; page < 3; page++) {
      const response = await bed.rest(
        "GET",
        `${list}&page_size=5${token ? `&page_token=${encodeURIComponent(token)}` : ""}`,
      );
      token = ((await response.json()) as { nextPageToken: string }).nextPageToken;
    }
    const deep = await cost(`${list}&page_size=5&page_token=${encodeURIComponent(token)}`);
    expect(deep.items).toBe(5);
    expect(deep.statements).toBe(costs[0]!.statements);
  });
});
