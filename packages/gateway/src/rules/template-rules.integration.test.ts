import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { RequestMeta, TemplateDocument } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import { testInfra } from "@omniglass/testing";
import { publishTemplate } from "../catalog/templates";
import { connectDatabase, type DatabaseHandle } from "../db";
import { loadActor } from "../identity/load-actor";
import { createTestDatabase, createTestPrincipal, type TestDatabase } from "../testing";
import { unsafeSeedPolledComponents } from "../telemetry/fixtures";
import { unsafeWriteSamples } from "../telemetry/ingest";

const meta: RequestMeta = {
  requestId: "req-template-rules",
  source: "rest",
  actor: null,
  realActor: null,
  ip: null,
};

/*
 * A template published at runtime brings its rules with it (issue #13): they are materialised in
 * the publishing transaction, judge the first samples of the components pinned to it, and a rule
 * whose CEL does not compile refuses the whole publication, naming the rule's field.
 */
describe("template rules of a template published at runtime", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let base: TemplateDocument;
  let publish: (document: TemplateDocument) => ReturnType<typeof publishTemplate>;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 2 });
    const admin = await createTestPrincipal(database.url, {
      name: "template-publisher",
      grants: [{ role: "owner" }],
    });
    const actor = (await loadActor(handle.db, admin.id))!;
    publish = (document) => publishTemplate({ db: handle.db, actor, meta, document });
    const [row] = (
      await handle.db.execute(
        sql`select document from template where name = 'http-json-display' order by version desc limit 1`,
      )
    ).rows as { document: TemplateDocument }[];
    base = row!.document;
  });
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  const rulesOf = async (name: string) =>
    (
      await handle.db.execute(sql`
        select r.name, r.origin, r.scope_kind, r.sustain_seconds from event_rule r
        join template t on t.id = r.template_id where t.name = ${name} order by r.name`)
    ).rows;

  it("materialises the rules in the publishing transaction; they judge the first samples", async () => {
    const document: TemplateDocument = {
      ...base,
      name: "runtime-display",
      version: 1,
      rules: [
        {
          name: "dark",
          severity: "warning",
          fire: 'signals["reachable"] == false',
          description: "Unreachable at once (no sustain).",
        },
      ],
    };
    await publish(document);
    expect(await rulesOf("runtime-display")).toEqual([
      { name: "dark", origin: "template", scope_kind: "template", sustain_seconds: 0 },
    ]);

    const estate = await unsafeSeedPolledComponents(handle.db, {
      name: "runtime",
      components: 1,
      template: "runtime-display",
    });
    await unsafeWriteSamples(handle.db, {
      sourceId: estate.nodeId,
      provenance: "observed",
      samples: [
        {
          ownerKind: "component",
          ownerId: estate.componentIds[0]!,
          signal: "reachable",
          instance: "",
          ts: Date.now() - 1000,
          value: false,
          expectedIntervalMs: 30_000,
        },
      ],
    });
    const alarms = (
      await handle.db.execute(sql`
        select a.lifecycle, a.severity from alarm a join event_rule r on r.id = a.rule_id
        where r.name = 'dark' and a.component_id = ${estate.componentIds[0]!}`)
    ).rows;
    expect(alarms).toEqual([{ lifecycle: "open", severity: "warning" }]);
  });

  it("refuses a template whose rule does not compile, naming the field; nothing is published", async () => {
    const document: TemplateDocument = {
      ...base,
      name: "broken-display",
      version: 1,
      rules: [
        {
          name: "ok-rule",
          severity: "info",
          fire: 'signals["reachable"] == false',
          description: "Compiles.",
        },
        {
          name: "bad-rule",
          severity: "info",
          fire: 'signals["reachable"] ==',
          description: "Does not compile.",
        },
      ],
    };
    const error = await publish(document).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OmniglassError);
    expect((error as OmniglassError).code).toBe("INVALID");
    expect((error as OmniglassError).message).toContain("document.rules.1.fire (rule bad-rule)");
    expect((error as OmniglassError).fieldErrors[0]).toMatchObject({
      field: "document.rules.1.fire",
    });
    const left = (
      await handle.db.execute(
        sql`select count(*)::int as n from template where name = 'broken-display'`,
      )
    ).rows;
    expect(left).toEqual([{ n: 0 }]);
    expect(await rulesOf("broken-display")).toEqual([]);
  });
});
