/**
 * The audit log is scoped like every other read (issue #10, hole 1): a reader sees the rows about
 * what it may read where that thing stood when the row was written, and rows about principals,
 * grants, tokens and registries only with their read on scope all; token prefixes only to those
 * who administer principals.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry } from "@omniglass/contracts";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

interface Entry extends AuditEntry {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

describe("the audit log, scoped", () => {
  let bed: Testbed;
  const tokens: Record<string, string> = {};
  let roomSystemId = "";

  async function ok<T>(response: Response): Promise<T> {
    const body = (await response.json()) as T;
    expect(response.status, JSON.stringify(body)).toBeLessThan(300);
    return body;
  }

  /** Every row the token can read, following pages. */
  async function readAll(token: string, query = ""): Promise<Entry[]> {
    const rows: Entry[] = [];
    let page_token = "";
    do {
      const separator = query ? "&" : "";
      const page = await ok<{ items: Entry[]; nextPageToken: string | null }>(
        await bed.rest(
          "GET",
          `/audit-log?page_size=100${separator}${query}${page_token ? `&page_token=${page_token}` : ""}`,
          { token },
        ),
      );
      rows.push(...page.items);
      page_token = page.nextPageToken ?? "";
    } while (page_token);
    return rows;
  }

  /** The path an entry is about, from its images (what a person reading it would see). */
  const pathOf = (entry: Entry): string =>
    String(
      entry.after?.path ??
        entry.before?.path ??
        (entry.after?.location as { path?: string } | undefined)?.path ??
        (entry.before?.location as { path?: string } | undefined)?.path ??
        entry.after?.system ??
        entry.before?.system ??
        "",
    );

  beforeAll(async () => {
    bed = await createTestbed();
    for (const [name, type, parent] of [
      ["riverside", "campus", undefined],
      ["north", "building", "riverside"],
      ["south", "building", "riverside"],
      ["huddle", "room", "riverside.north"],
      ["board", "room", "riverside.north"],
      ["lab", "room", "riverside.south"],
    ] as const) {
      await ok(await bed.rest("POST", "/locations", { body: { name, type, parent } }));
    }
    for (const room of ["riverside.north.huddle", "riverside.north.board", "riverside.south.lab"]) {
      const system = await ok<{ id: string }>(
        await bed.rest("POST", "/systems", {
          body: { name: "av", type: "meeting-room", location: room },
        }),
      );
      if (room.endsWith("huddle")) roomSystemId = system.id;
      await ok(
        await bed.rest("POST", "/components", {
          body: {
            name: "display",
            location: room,
            template: "http-json-display",
            system: `${room}.av`,
          },
        }),
      );
      await ok(
        await bed.rest("PUT", "/tags", {
          body: { target: `component.${room}.display`, key: "owner", value: "av-team" },
        }),
      );
    }
    await ok(
      await bed.rest("PATCH", "/components/riverside.north.huddle.display", {
        body: { label: "Huddle display" },
      }),
    );
    await ok(
      await bed.rest("POST", "/location-types", { body: { name: "closet", label: "Closet" } }),
    );
    const shapes = {
      roomViewer: [{ role: "viewer", location: "riverside.north.huddle", operator: "self" }],
      buildingViewer: [{ role: "viewer", location: "riverside.north", operator: "descendants" }],
      admin: [{ role: "admin" }],
      viewerAll: [{ role: "viewer" }],
    } as const;
    for (const [name, grants] of Object.entries(shapes)) {
      tokens[name] = (
        await createTestPrincipal(bed.databaseUrl, {
          name: name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
          grants: [...grants],
        })
      ).token;
    }
    // A principal holding only a system grant: its system and that system's members.
    const systemOnly = await ok<{ id: string }>(
      await bed.rest("POST", "/principals", { body: { kind: "service", name: "system-only" } }),
    );
    await ok(
      await bed.rest("POST", `/principals/${systemOnly.id}/grants`, {
        body: { role: "viewer", scope: { kind: "system", system: roomSystemId } },
      }),
    );
    tokens.systemOnly = (
      await ok<{ token: string }>(
        await bed.rest("POST", `/principals/${systemOnly.id}/tokens`, {
          body: { name: "probe" },
        }),
      )
    ).token;
  });
  afterAll(() => bed.close());

  it("shows a viewer on one room only the rows about that room and what is placed in it", async () => {
    const rows = await readAll(tokens.roomViewer!);
    expect(rows.length).toBeGreaterThan(0);
    const paths = new Set(rows.map(pathOf));
    for (const path of paths) expect(path).toMatch(/^riverside\.north\.huddle(\.|$)/);
    // It sees the room itself, the system and display in it, the display's tag and its update.
    const resources = new Set(rows.map((r) => `${r.resource}:${r.verb}`));
    for (const expected of [
      "location:create",
      "system:create",
      "component:create",
      "component:update",
      "tag:create",
    ]) {
      expect(resources, expected).toContain(expected);
    }
    // Nothing about principals, grants, tokens, sessions or registries.
    for (const row of rows) {
      expect(["principal", "grant", "token", "session", "role", "location-type"]).not.toContain(
        row.resource,
      );
    }
    // Asking by resource cannot widen it: token rows are simply not there.
    expect(await readAll(tokens.roomViewer!, "resource=token")).toEqual([]);
  });

  it("scopes a building viewer with `descendants` to the rooms below, not the building row", async () => {
    const rows = await readAll(tokens.buildingViewer!);
    const paths = rows.map(pathOf);
    expect(paths).toContain("riverside.north.huddle");
    expect(paths).toContain("riverside.north.board.display");
    expect(paths).not.toContain("riverside.north");
    for (const path of paths) expect(path).toMatch(/^riverside\.north\./);
  });

  it("lets a system grant read the history of its system and its member components only", async () => {
    const rows = await readAll(tokens.systemOnly!);
    const paths = new Set(rows.map(pathOf));
    expect(paths).toContain("riverside.north.huddle.av");
    expect(paths).toContain("riverside.north.huddle.display");
    for (const path of paths) expect(path).toMatch(/^riverside\.north\.huddle\.(av|display)$/);
  });

  it("shows platform rows to a viewer on scope all, without token prefixes; an admin sees prefixes", async () => {
    const asViewer = await readAll(tokens.viewerAll!, "resource=token");
    expect(asViewer.length).toBeGreaterThan(0);
    for (const row of asViewer) {
      expect(JSON.stringify(row)).not.toMatch(/og_[A-Za-z0-9]/);
      expect(row.after).not.toHaveProperty("prefix");
    }
    const asAdmin = await readAll(tokens.admin!, "resource=token");
    expect(asAdmin.some((row) => typeof row.after?.prefix === "string")).toBe(true);
    const types = await readAll(tokens.viewerAll!, "resource=location-type");
    expect(types.map((r) => r.after?.name)).toContain("closet");
  });

  it("names the actor of each row", async () => {
    const rows = await readAll(tokens.admin!, "resource=location-type");
    expect(rows[0]?.actorName).toBe("root");
  });

  it("keeps the rows of an object where it stood: a moved display's old rows stay with the old room", async () => {
    await ok(
      await bed.rest("POST", "/components/riverside.north.board.display/move", {
        body: { location: "riverside.south" },
      }),
    );
    const room = await readAll(tokens.roomViewer!);
    expect(room.map(pathOf).every((p) => p.startsWith("riverside.north.huddle"))).toBe(true);
    const building = (await readAll(tokens.buildingViewer!)).map(pathOf);
    // The move row is written where the display now stands (south): north readers do not see it.
    expect(building).toContain("riverside.north.board.display");
    expect(building).not.toContain("riverside.south.display");
  });
});
