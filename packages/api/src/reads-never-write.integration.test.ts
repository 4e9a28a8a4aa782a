/**
 * Reads never write (issue #16 item 7; the command-center seed's "no hidden side effects on
 * read"). Every GET operation of the generated OpenAPI document and every tRPC query procedure of
 * the router — enumerated at test time, so a procedure added later is covered without touching
 * this file — is called as an operator and as a viewer over a seeded estate (locations, a system
 * with a role, components, a node, a rule with an open alarm, a window, a silence, an endpoint, an
 * action rule, a delivery, an estate plan, a tag and a variable), path parameters filled with real
 * ids from the collection each hangs off. Every answer is 2xx or 4xx (never 5xx) and the database
 * fingerprint (every table, all columns but the session bookkeeping) is unchanged afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { unsafeEnsureCollectorRule } from "@omniglass/gateway";
import {
  createTestPrincipal,
  describeChanges,
  diffSnapshots,
  snapshotDatabase,
} from "@omniglass/gateway/testing";
import { createContext } from "./context";
import { buildOpenApiDocument } from "./openapi";
import { appRouter, listProcedures } from "./root";
import { createTestbed, type Testbed } from "./testbed";

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: { type?: string; enum?: unknown[] };
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
}

const ROOM = "campus.hq.room";
const SYSTEM = `${ROOM}.av`;
const DISPLAY = `${ROOM}.display-1`;
const NODE = "edge-probe";
const RULE = "probe-down";

/** A value for a required query parameter, by its name; else its enum's first value. */
const QUERY_VALUES: Record<string, string> = {
  signal: "reachable",
  template: "http-json-display",
  to: "http-json-display",
  target: `system.${SYSTEM}`,
  address: `component.${DISPLAY}`,
  scope: "campus",
  format: "json",
};

/**
 * What a path parameter of a collection names, when a specific one matters (the template with two
 * versions, the rule with an alarm); any other collection's parameter comes from its own list.
 */
const PATH_VALUES: Record<string, string> = {
  "/locations": ROOM,
  "/systems": SYSTEM,
  "/components": DISPLAY,
  "/templates": "http-json-display",
  "/signals": "reachable",
  "/nodes": NODE,
  "/rules": RULE,
};

describe("reads never write", () => {
  let bed: Testbed;
  let operator: string;
  let viewer: string;
  /** Collection path → the first item's identifiers, read as the owner before any snapshot. */
  const firstItems = new Map<string, Record<string, unknown> | null>();

  const json = async (method: string, path: string, body?: unknown) => {
    const response = await bed.rest(method, path, { body });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };

  beforeAll(async () => {
    bed = await createTestbed();
    await unsafeEnsureCollectorRule(bed.db);
    await json("POST", "/locations", { name: "campus", type: "campus" });
    await json("POST", "/locations", { name: "hq", type: "building", parent: "campus" });
    await json("POST", "/locations", { name: "room", type: "room", parent: "campus.hq" });
    await json("POST", "/systems", { name: "av", type: "meeting-room", location: ROOM });
    await json("POST", `/systems/${SYSTEM}/roles`, {
      name: "main-display",
      accepts: ["display"],
      quorum: 1,
      impact: "outage",
    });
    for (const name of ["display-1", "display-2"])
      await json("POST", "/components", {
        name,
        location: ROOM,
        template: "http-json-display",
        system: SYSTEM,
        role: "main-display",
      });
    await json("POST", "/nodes", { name: NODE, location: "campus" });
    await json("POST", "/rules", {
      name: RULE,
      severity: "warning",
      fire: 'signals["reachable"] == false',
      scope: { kind: "owner", ref: DISPLAY },
    });
    await json("POST", "/samples", {
      samples: [
        {
          owner: DISPLAY,
          signal: "reachable",
          value: false,
          ts: new Date(Date.now() - 30_000).toISOString(),
        },
      ],
    });
    await json("POST", "/maintenance-windows", {
      name: "probe-window",
      scope: { kind: "location", ref: ROOM },
      dtstart: "2026-12-05T22:00",
      timeZone: "Europe/London",
      duration: "2h",
      rrule: "FREQ=WEEKLY;BYDAY=SA",
    });
    await json("POST", "/silences", {
      matchers: { owner: ROOM, severities: ["info"] },
      reason: "probe",
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const endpoint = await json("POST", "/webhook-endpoints", {
      name: "probe-hook",
      url: "https://hooks.example.com/probe",
      location: ROOM,
    });
    await json("POST", "/action-rules", {
      name: "probe-action",
      scope: { kind: "location", ref: ROOM },
      endpointIds: [endpoint.id],
    });
    await json("POST", `/webhook-endpoints/${endpoint.id as string}/test`, {});
    await json("POST", "/estate/plans", {
      files: [{ path: "estate.yaml", content: `version: 1\n# probe ${randomUUID()}\n` }],
    });
    operator = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "probe-operator",
        grants: [{ role: "operator" }],
      })
    ).token;
    viewer = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "probe-viewer",
        grants: [{ role: "viewer" }],
      })
    ).token;
  });
  afterAll(async () => {
    await bed?.close();
  });

  const document = buildOpenApiDocument({ version: "test" });
  const gets = Object.entries(document.paths ?? {}).flatMap(([path, item]) => {
    const op = (item as { get?: Operation }).get;
    return op ? [{ path, op }] : [];
  });

  /** The first item of a collection (as the owner), to name an existing thing in a path. */
  async function firstItemOf(collection: string): Promise<Record<string, unknown> | null> {
    if (!firstItems.has(collection)) {
      const response = await bed.rest("GET", collection);
      const body = response.ok
        ? ((await response.json()) as { items?: Record<string, unknown>[] })
        : {};
      firstItems.set(collection, body.items?.[0] ?? null);
    }
    return firstItems.get(collection)!;
  }

  /** Path and required query parameters filled with real values: the URL and the input. */
  async function fill(path: string, op: Operation) {
    const input: Record<string, string> = {};
    let url = path;
    for (const p of op.parameters ?? []) {
      if (p.in === "path") {
        const collection = url.slice(0, url.indexOf(`/{${p.name}}`));
        const item = await firstItemOf(collection);
        const value =
          PATH_VALUES[collection] ??
          (item
            ? String(
                (p.name === "id" ? item.id : (item.path ?? item.name ?? item.id)) ?? randomUUID(),
              )
            : randomUUID());
        input[p.name] = value;
        url = url.replace(`{${p.name}}`, encodeURIComponent(value));
      } else if (p.in === "query" && p.required) {
        const value = QUERY_VALUES[p.name] ?? String(p.schema?.enum?.[0] ?? "campus");
        input[p.name] = value;
      }
    }
    const query = new URLSearchParams(input);
    for (const p of op.parameters ?? []) if (p.in === "path") query.delete(p.name);
    return { url: query.size ? `${url}?${query}` : url, input };
  }

  async function callEveryGet(token: string) {
    const answers: { operation: string; status: number }[] = [];
    for (const { path, op } of gets) {
      const { url } = await fill(path, op);
      const response = await bed.rest("GET", url, { token });
      await response.arrayBuffer();
      answers.push({ operation: `GET ${url}`, status: response.status });
    }
    return answers;
  }

  /** One tRPC query over GET (input in the URL, none when undefined), as the console calls it. */
  async function query(path: string, input: unknown, token: string): Promise<Response> {
    const headers = new Headers({ authorization: `Bearer ${token}` });
    const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request(`http://127.0.0.1/api/trpc/${path}${search}`, { headers }),
      router: appRouter,
      createContext: ({ resHeaders }) =>
        createContext({
          deps: bed.deps,
          requestId: randomUUID(),
          source: "console",
          ip: "127.0.0.1",
          headers,
          responseHeaders: resHeaders,
        }),
    });
    await response.arrayBuffer();
    return response;
  }

  /**
   * Every query procedure of the router, with the parameters filled for its REST operation (or
   * `{}`); a procedure taking no input (`z.void()`) refuses `{}` with 400, so that one is sent
   * none instead.
   */
  async function callEveryQuery(token: string) {
    const inputs = new Map<string, Record<string, string>>();
    for (const { path, op } of gets) {
      const procedure = listProcedures().find(
        (p) => p.meta.openapi?.method === "GET" && p.meta.openapi.path === path,
      );
      if (procedure) inputs.set(procedure.path, (await fill(path, op)).input);
    }
    const answers: { operation: string; status: number }[] = [];
    for (const procedure of listProcedures().filter((p) => p.type === "query")) {
      let response = await query(procedure.path, inputs.get(procedure.path) ?? {}, token);
      if (response.status === 400) response = await query(procedure.path, undefined, token);
      answers.push({ operation: `trpc ${procedure.path}`, status: response.status });
    }
    return answers;
  }

  it("enumerates the GET operations and the query procedures it calls", () => {
    expect(gets.length).toBeGreaterThan(40);
    expect(listProcedures().filter((p) => p.type === "query").length).toBeGreaterThan(40);
  });

  for (const who of ["operator", "viewer"] as const) {
    it(`every GET and every query as ${who}: never 5xx, the database unchanged`, async () => {
      const token = who === "operator" ? operator : viewer;
      // Authenticate once first, so the token's last use is stamped before the snapshot.
      await bed.rest("GET", "/auth/me", { token });
      // Collections read as the owner before the snapshot, so `fill` reads nothing new later.
      for (const { path, op } of gets) await fill(path, op);
      const before = await snapshotDatabase(bed.db);
      const answers = [...(await callEveryGet(token)), ...(await callEveryQuery(token))];
      const after = await snapshotDatabase(bed.db);

      // Both at once, so a failing run names every 5xx and every table a read wrote.
      const failed = answers.filter((a) => a.status >= 500);
      const changed = describeChanges(diffSnapshots(before, after));
      expect({ failed, changed }).toEqual({ failed: [], changed: "" });
      // The probe reads real things: most calls succeed (a viewer is refused the admin reads,
      // a node's own worklist refuses both).
      const ok = answers.filter((a) => a.status < 300);
      expect(ok.length, JSON.stringify(answers.filter((a) => a.status >= 300))).toBeGreaterThan(
        answers.length * (who === "operator" ? 0.85 : 0.7),
      );
    }, 180_000);
  }
});
