/**
 * The estate over REST (issue #4 acceptance): an operator scoped to one building builds a room,
 * retries are idempotent, stale versions and deletes with dependents are 409 naming what blocks
 * them, a component reports its template's signals, template versions change only when asked, and
 * system grants reach a system and its members only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Problem, type ComponentDetail, type System } from "@omniglass/contracts";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

describe("the estate over REST", () => {
  let bed: Testbed;
  let operatorHq: string;
  let operatorHqViewerAll: string;

  const json = async <T>(response: Response, status = 200): Promise<T> => {
    const body = (await response.json()) as T;
    expect(response.status, JSON.stringify(body)).toBe(status);
    return body;
  };
  const problem = async (response: Response, status: number) => {
    const body = Problem.parse(await response.json());
    expect(body.status, body.detail).toBe(status);
    return body;
  };

  beforeAll(async () => {
    bed = await createTestbed();
    for (const [name, type, parent] of [
      ["campus", "campus", undefined],
      ["hq", "building", "campus"],
      ["annex", "building", "campus"],
      ["boardroom", "room", "campus.hq"],
      ["lab", "room", "campus.annex"],
    ] as const) {
      await json(await bed.rest("POST", "/locations", { body: { name, type, parent } }));
    }
    operatorHq = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "op-hq",
        grants: [{ role: "operator", location: "campus.hq" }],
      })
    ).token;
    operatorHqViewerAll = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "op-hq-viewer",
        grants: [{ role: "operator", location: "campus.hq" }, { role: "viewer" }],
      })
    ).token;
  });
  afterAll(() => bed.close());

  it("lets an operator scoped to one building build a room there: 403 elsewhere if readable, 404 if not", async () => {
    const system = await json<System>(
      await bed.rest("POST", "/systems", {
        token: operatorHq,
        body: { name: "av", type: "meeting-room", location: "campus.hq.boardroom" },
      }),
    );
    expect(system.path).toBe("campus.hq.boardroom.av");
    const display = await json<ComponentDetail>(
      await bed.rest("POST", "/components", {
        token: operatorHq,
        body: {
          name: "display-1",
          location: "campus.hq.boardroom",
          template: "http-json-display",
          system: "campus.hq.boardroom.av",
          address: "10.20.1.15",
          mac: "00-1A-2B-3C-4D-5E",
        },
      }),
    );
    expect(display.path).toBe("campus.hq.boardroom.display-1");
    expect(display.mac).toBe("00:1a:2b:3c:4d:5e");
    expect(display.primarySystem?.path).toBe("campus.hq.boardroom.av");

    // The other building: unreadable → 404 (as if missing), readable but not writable → 403.
    for (const [token, status] of [
      [operatorHq, 404],
      [operatorHqViewerAll, 403],
    ] as const) {
      await problem(
        await bed.rest("POST", "/systems", {
          token,
          body: { name: "av", type: "meeting-room", location: "campus.annex.lab" },
        }),
        status,
      );
      await problem(
        await bed.rest("POST", "/components", {
          token,
          body: { name: "display-1", location: "campus.annex.lab", template: "http-json-display" },
        }),
        status,
      );
    }

    // It shows under its system and its location, in lists and details.
    const members = await json<{ items: { component: { path: string } }[] }>(
      await bed.rest("GET", "/systems/campus.hq.boardroom.av/members", { token: operatorHq }),
    );
    expect(members.items.map((m) => m.component.path)).toEqual(["campus.hq.boardroom.display-1"]);
    const inRoom = await json<{ items: { path: string }[]; totalSize: number }>(
      await bed.rest("GET", "/components?filter=location%3Dcampus.hq.boardroom", {
        token: operatorHq,
      }),
    );
    expect(inRoom.items.map((c) => c.path)).toEqual(["campus.hq.boardroom.display-1"]);
    expect(inRoom.totalSize).toBe(1);
    const bySystem = await json<{ items: { path: string }[] }>(
      await bed.rest("GET", "/components?filter=system%3Dcampus.hq.boardroom.av"),
    );
    expect(bySystem.items.map((c) => c.path)).toEqual(["campus.hq.boardroom.display-1"]);
  });

  it("creates one row for a POST repeated with the same Idempotency-Key, answering the same body", async () => {
    const send = () =>
      bed.rest("POST", "/components", {
        headers: { "idempotency-key": "create-projector-1" },
        body: {
          name: "projector-1",
          location: "campus.hq.boardroom",
          template: "pjlink-projector",
        },
      });
    const first = await send();
    const second = await send();
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
    const listed = await json<{ items: { path: string }[] }>(
      await bed.rest("GET", "/components?q=projector-1"),
    );
    expect(listed.items.map((c) => c.path)).toEqual(["campus.hq.boardroom.projector-1"]);
  });

  it("reports the signals of the PJLink projector template in the component's detail", async () => {
    const detail = await json<ComponentDetail>(
      await bed.rest("GET", "/components/campus.hq.boardroom.projector-1"),
    );
    expect(detail.kind).toBe("projector");
    expect(detail.template).toMatchObject({ name: "pjlink-projector", version: 1 });
    const signals = new Map(detail.signals.map((s) => [s.name, s]));
    for (const name of ["power-state", "input-source", "lamp-hours", "lamp-status", "reachable"])
      expect(signals.has(name), name).toBe(true);
    expect(signals.get("lamp-hours")).toMatchObject({ lane: "metric", unit: "h" });
    expect(signals.get("power-state")).toMatchObject({ lane: "property", interface: "pjlink" });
    expect(detail.interfaces.map((i) => i.protocol).sort()).toEqual(["icmp", "pjlink"]);
  });

  it("answers 409 to a stale version and to deletes with dependents, naming them", async () => {
    const system = await json<System>(await bed.rest("GET", "/systems/campus.hq.boardroom.av"));
    await json(
      await bed.rest("PATCH", "/systems/campus.hq.boardroom.av", {
        body: { label: "Boardroom AV", version: system.version },
      }),
    );
    const stale = await problem(
      await bed.rest("PATCH", "/systems/campus.hq.boardroom.av", {
        body: { label: "Again", version: system.version },
      }),
      409,
    );
    expect(stale.errors?.[0]?.field).toBe("version");

    const location = await problem(await bed.rest("DELETE", "/locations/campus.hq.boardroom"), 409);
    expect(location.detail).toContain("campus.hq.boardroom.av");
    const withMembers = await problem(
      await bed.rest("DELETE", "/systems/campus.hq.boardroom.av"),
      409,
    );
    expect(withMembers.detail).toContain("campus.hq.boardroom.display-1");
    const serving = await problem(
      await bed.rest("DELETE", "/components/campus.hq.boardroom.display-1"),
      409,
    );
    expect(serving.detail).toContain("campus.hq.boardroom.av");
    const pinned = await problem(
      await bed.rest("DELETE", "/templates/pjlink-projector@1"),
      403, // official: read-only before anything else
    );
    expect(pinned.detail).toContain("official");
    const produced = await problem(await bed.rest("DELETE", "/signals/power-state"), 403);
    expect(produced.detail).toContain("official");
  });

  it("moves a component to another template version only when asked, after a preview", async () => {
    const base = await json<{ document: Record<string, unknown> }>(
      await bed.rest("GET", "/templates/http-json-display"),
    );
    const v1 = { ...base.document, name: "house-display", version: 1 };
    await json(await bed.rest("POST", "/templates", { body: { document: v1 } }));
    const again = await problem(
      await bed.rest("POST", "/templates", { body: { document: v1 } }),
      409,
    );
    expect(again.errors?.[0]?.field).toBe("version");
    // Version 2 drops the /api/info function (and the signals only it produced).
    const functions = base.document.functions as { name: string }[];
    expect(functions.map((f) => f.name)).toContain("info");
    const v2 = { ...v1, version: 2, functions: functions.filter((f) => f.name !== "info") };
    await json(await bed.rest("POST", "/templates", { body: { document: v2 } }));
    await json(
      await bed.rest("POST", "/components", {
        body: { name: "display-2", location: "campus.hq.boardroom", template: "house-display@1" },
      }),
    );
    const preview = await json<{ signalsLost: string[]; functionsRemoved: string[] }>(
      await bed.rest(
        "GET",
        "/components/campus.hq.boardroom.display-2/template-change?template=house-display%402",
      ),
    );
    expect(preview.functionsRemoved).toEqual(["info"]);
    expect(preview.signalsLost.length).toBeGreaterThan(0);
    const unchanged = await json<ComponentDetail>(
      await bed.rest("GET", "/components/campus.hq.boardroom.display-2"),
    );
    expect(unchanged.template.version).toBe(1);
    const moved = await json<ComponentDetail>(
      await bed.rest("POST", "/components/campus.hq.boardroom.display-2/template", {
        body: { template: "house-display@2" },
      }),
    );
    expect(moved.template.version).toBe(2);
    for (const lost of preview.signalsLost)
      expect(moved.signals.map((s) => s.name)).not.toContain(lost);
    await problem(
      await bed.rest("POST", "/components/campus.hq.boardroom.display-2/template", {
        body: { template: "pjlink-projector@1" },
      }),
      400,
    );
    const pinnedNow = await problem(await bed.rest("DELETE", "/templates/house-display@2"), 409);
    expect(pinnedNow.detail).toContain("campus.hq.boardroom.display-2");
  });

  it("names the field of bad input and never answers 500", async () => {
    const unknownTemplate = await problem(
      await bed.rest("POST", "/components", {
        body: { name: "x", location: "campus.hq.boardroom", template: "no-such-thing" },
      }),
      400,
    );
    expect(unknownTemplate.errors?.[0]?.field).toBe("template");
    const badFilter = await problem(await bed.rest("GET", "/components?filter=colour%3Dred"), 400);
    expect(badFilter.errors?.[0]?.field).toBe("filter");
    const badRole = await problem(
      await bed.rest("POST", "/systems/campus.hq.boardroom.av/roles", {
        body: { name: "mics", accepts: [], impact: "sometimes" },
      }),
      400,
    );
    expect(badRole.errors?.map((e) => e.field).sort()).toEqual(["accepts", "impact"]);
  });

  it("fills roles only with kinds they accept, and shows who fills them", async () => {
    await json(
      await bed.rest("POST", "/systems/campus.hq.boardroom.av/roles", {
        body: { name: "displays", accepts: ["display"], quorum: 1, impact: "degraded" },
      }),
    );
    const wrongKind = await problem(
      await bed.rest(
        "PATCH",
        "/systems/campus.hq.boardroom.av/members/campus.hq.boardroom.display-1",
        {
          body: { role: "nonexistent" },
        },
      ),
      400,
    );
    expect(wrongKind.errors?.[0]?.field).toBe("role");
    await json(
      await bed.rest("POST", "/systems/campus.hq.boardroom.av/members", {
        body: { component: "campus.hq.boardroom.projector-1", role: "displays" },
      }),
      400,
    );
    const detail = await json<{ roles: { name: string; members: string[] }[] }>(
      await bed.rest(
        "PATCH",
        "/systems/campus.hq.boardroom.av/members/campus.hq.boardroom.display-1",
        {
          body: { role: "displays" },
        },
      ),
    );
    expect(detail.roles.find((r) => r.name === "displays")?.members).toEqual([
      "campus.hq.boardroom.display-1",
    ]);
  });

  it("gives a system grant the system and its members, not their location or neighbours", async () => {
    const roomOperator = (
      await createTestPrincipal(bed.databaseUrl, { name: "room-op", grants: [] })
    ).token;
    const principals = await json<{ items: { id: string; name: string }[] }>(
      await bed.rest("GET", "/principals?page_size=500"),
    );
    const id = principals.items.find((p) => p.name === "room-op")!.id;
    await json(
      await bed.rest("POST", `/principals/${id}/grants`, {
        body: { role: "operator", scope: { kind: "system", system: "campus.hq.boardroom.av" } },
      }),
    );
    const as = (method: string, path: string, body?: unknown) =>
      bed.rest(method, path, { token: roomOperator, body });
    await json(await as("GET", "/systems/campus.hq.boardroom.av"));
    await json(await as("GET", "/components/campus.hq.boardroom.display-1"));
    await json(
      await as("PATCH", "/components/campus.hq.boardroom.display-1", { label: "Left display" }),
    );
    // Not a member: as missing. Its location: as missing too.
    await problem(await as("GET", "/components/campus.hq.boardroom.projector-1"), 404);
    await problem(await as("GET", "/locations/campus.hq.boardroom"), 404);
    const listed = await json<{ items: { path: string }[]; totalSize: number }>(
      await as("GET", "/components"),
    );
    expect(listed.items.map((c) => c.path)).toEqual(["campus.hq.boardroom.display-1"]);
    expect(listed.totalSize).toBe(1);
  });

  it("carries systems and components along when their location is renamed or moved", async () => {
    await json(
      await bed.rest("POST", "/locations/campus.hq.boardroom/move", {
        body: { parent: "campus.annex" },
      }),
    );
    const moved = await json<ComponentDetail>(
      await bed.rest("GET", "/components/campus.annex.boardroom.display-1"),
    );
    expect(moved.location.path).toBe("campus.annex.boardroom");
    expect(moved.primarySystem?.path).toBe("campus.annex.boardroom.av");
    await json(
      await bed.rest("POST", "/locations/campus.annex/rename", { body: { name: "west" } }),
    );
    await json(await bed.rest("GET", "/systems/campus.west.boardroom.av"));
    await json(await bed.rest("GET", "/components/campus.west.boardroom.projector-1"));
    const intoItself = await problem(
      await bed.rest("POST", "/locations/campus.west/move", {
        body: { parent: "campus.west.boardroom" },
      }),
      400,
    );
    expect(intoItself.errors?.[0]?.field).toBe("parent");
    // The operator of hq lost the room with the move: it is as missing to them now.
    await problem(
      await bed.rest("GET", "/components/campus.west.boardroom.display-1", { token: operatorHq }),
      404,
    );
  });
});
