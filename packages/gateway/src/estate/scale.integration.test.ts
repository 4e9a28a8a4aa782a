import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { testInfra } from "@omniglass/testing";
import type { Actor } from "@omniglass/domain";
import { exportEstate } from "@omniglass/estate";
import { connectDatabase, type DatabaseHandle } from "../db";
import { unsafeSeedLargeEstate } from "../demo/large-estate";
import { unsafeBootstrapOwner } from "../identity/bootstrap-owner";
import { loadActor } from "../identity/load-actor";
import { createTestDatabase, type TestDatabase } from "../testing";
import { applyEstatePlan } from "./apply";
import { createEstatePlan } from "./plans";
import { readEstateModel } from "./read-model";

const COMPONENTS = 5_000;
const NEW_COMPONENTS = 1_000;

/**
 * Figures (printed, not gated on time: the machine is shared): reading the model of a
 * 5,000-component estate in a bounded number of statements, planning its import, and applying
 * 1,000 new components in one transaction through the API's writers.
 */
describe("estate at scale (gateway)", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let owner: Actor;
  const statements: string[] = [];
  const meta = {
    requestId: "estate-scale",
    source: "cli" as const,
    actor: null,
    realActor: null,
    ip: null,
  };

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 4, onQuery: (q) => statements.push(q) });
    const boot = await unsafeBootstrapOwner({ db: handle.db, meta, username: "admin" });
    owner = (await loadActor(handle.db, boot.principalId))!;
    await unsafeSeedLargeEstate({ db: handle.db, components: COMPONENTS, campus: "scale" });
  }, 300_000);
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  it("reads the model in one statement per kind, plans the import with no changes, applies 1,000 new components in one transaction", async () => {
    statements.length = 0;
    let started = performance.now();
    const read = await readEstateModel(handle.db, owner);
    const readMs = performance.now() - started;
    const sent = statements.length;
    const components = Object.keys(read.model.objects).filter((a) => a.startsWith("component."));
    expect(components.length).toBe(COMPONENTS);
    // Bounded whatever the size: the managed set, 4 object kinds, roles, members, interfaces,
    // tags, variables, rules, windows, endpoints, action rules, grants, registries.
    expect(sent).toBeLessThanOrEqual(16);

    const files = exportEstate(read.model).map((f) => ({ path: f.path, content: f.text }));
    started = performance.now();
    const imported = await createEstatePlan({
      db: handle.db,
      actor: owner,
      meta,
      input: { files },
    });
    const planMs = performance.now() - started;
    expect(imported.changes).toBe(0);
    await applyEstatePlan({ db: handle.db, actor: owner, meta, id: imported.id });

    const [tpl] = (
      await handle.db.execute(
        sql`select name || '@' || version as t from template where name = 'http-json-display' order by version desc limit 1`,
      )
    ).rows as { t: string }[];
    const rooms = Array.from({ length: NEW_COMPONENTS / 20 }, (_, r) => `scale.new-wing.room-${r}`);
    const newLocations = [
      "  scale.new-wing: { type: building }",
      ...rooms.map((room) => `  ${room}: { type: room }`),
    ].join("\n");
    const newComponents = rooms
      .flatMap((room) =>
        Array.from({ length: 20 }, (_, i) => `  ${room}.display-${i}: { template: ${tpl!.t} }`),
      )
      .join("\n");
    const text = files[0]!.content
      .replace(/^locations:\n/m, `locations:\n${newLocations}\n`)
      .replace(/^components:\n/m, `components:\n${newComponents}\n`);
    const grown = await createEstatePlan({
      db: handle.db,
      actor: owner,
      meta,
      input: { files: [{ path: files[0]!.path, content: text }] },
    });
    expect(grown.ok).toBe(true);
    expect(grown.changes).toBe(NEW_COMPONENTS + rooms.length + 1);
    statements.length = 0;
    started = performance.now();
    const applied = await applyEstatePlan({ db: handle.db, actor: owner, meta, id: grown.id });
    const applyMs = performance.now() - started;
    const applyStatements = statements.length;
    expect(applied.counts.create).toBe(NEW_COMPONENTS + rooms.length + 1);
    const [count] = (
      await handle.db.execute(
        sql`select count(*)::int as n from component where path like 'scale.new-wing.%'`,
      )
    ).rows as { n: number }[];
    expect(count!.n).toBe(NEW_COMPONENTS);
    console.log(
      `estate scale: readEstateModel ${COMPONENTS} components ${readMs.toFixed(0)} ms in ${sent} statements; ` +
        `plan of the import ${planMs.toFixed(0)} ms (no changes); ` +
        `apply of ${NEW_COMPONENTS} new components (+${rooms.length + 1} locations) ${applyMs.toFixed(0)} ms in one transaction (${applyStatements} statements: the writers' own, ~10 per component)`,
    );
  }, 600_000);
});
