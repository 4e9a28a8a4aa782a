import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Problem, Variable, VariableExplanation } from "@omniglass/contracts";
import { createTestbed, type Testbed } from "./testbed";

const PLAINTEXT = "s3cret-community-XYZ";

describe("secret variables (device credentials)", () => {
  let bed: Testbed;
  let keyless: Testbed;

  beforeAll(async () => {
    [bed, keyless] = await Promise.all([createTestbed(), createTestbed({ secretKey: null })]);
    for (const b of [bed, keyless]) {
      await b.rest("POST", "/locations", { body: { name: "campus", type: "campus" } });
      await b.rest("POST", "/locations", {
        body: { name: "hq", type: "building", parent: "campus" },
      });
    }
  });
  afterAll(async () => {
    await Promise.all([bed.close(), keyless.close()]);
  });

  async function rest(method: string, path: string, body?: unknown, b = bed) {
    const response = await b.rest(method, path, { body });
    return { status: response.status, text: await response.text() };
  }

  it("stores a secret encrypted and never returns it from set, list, explain or the audit log", async () => {
    const set = await rest("PUT", "/variables", {
      target: "location.campus.hq",
      key: "snmp-community",
      value: PLAINTEXT,
      secret: true,
    });
    expect(set.status, set.text).toBe(200);
    const variable = Variable.parse(JSON.parse(set.text));
    expect(variable).toMatchObject({ key: "snmp-community", secret: true, value: null });

    const row = await bed.db.query.estateBinding.findFirst({
      where: (b, { eq }) => eq(b.id, variable.id),
    });
    expect(row).toMatchObject({ secret: true, value: null });
    expect(row!.ciphertext).toMatch(/^og1\./);
    expect(row!.ciphertext).not.toContain(PLAINTEXT);

    // Setting it again (same or other value) re-seals it and audits the change, masked.
    expect((await rest("PUT", "/variables", { ...secretInput(), value: "other" })).status).toBe(
      200,
    );
    const resealed = await bed.db.query.estateBinding.findFirst({
      where: (b, { eq }) => eq(b.id, variable.id),
    });
    expect(resealed!.ciphertext).not.toBe(row!.ciphertext);

    const reads = [
      await rest("GET", "/variables?target=location.campus.hq"),
      await rest("GET", "/variables"),
      await rest("GET", "/variables/explain?target=location.campus.hq.nothing-here"),
      await rest("GET", "/variables/explain?target=location.campus.hq"),
      await rest("GET", "/audit-log?page_size=500"),
    ];
    for (const read of reads) {
      expect(read.text).not.toContain(PLAINTEXT);
      expect(read.text).not.toContain("other");
      expect(read.text).not.toContain(row!.ciphertext!.slice(4, 30));
    }
    expect(reads[0]!.status).toBe(200);
    const explained = VariableExplanation.parse(JSON.parse(reads[3]!.text));
    expect(explained.items).toEqual([
      expect.objectContaining({
        key: "snmp-community",
        secret: true,
        value: null,
        winner: expect.objectContaining({ secret: true, value: null }),
      }),
    ]);
    const audit = JSON.parse(reads[4]!.text) as { items: { resource: string; verb: string }[] };
    expect(audit.items.filter((a) => a.resource === "variable").map((a) => a.verb)).toEqual(
      expect.arrayContaining(["create", "update"]),
    );
  });

  const secretInput = () => ({
    target: "location.campus.hq",
    key: "snmp-community",
    value: PLAINTEXT,
    secret: true,
  });

  it("turns a secret back into a plain variable and back", async () => {
    const plain = await rest("PUT", "/variables", { ...secretInput(), secret: false });
    expect(JSON.parse(plain.text)).toMatchObject({ secret: false, value: PLAINTEXT });
    const again = await rest("PUT", "/variables", secretInput());
    expect(JSON.parse(again.text)).toMatchObject({ secret: true, value: null });
  });

  it("refuses a secret that is not a string, naming the field", async () => {
    const refused = await rest("PUT", "/variables", { ...secretInput(), value: { a: 1 } });
    expect(refused.status).toBe(400);
    const problem = Problem.parse(JSON.parse(refused.text));
    expect(problem.errors).toEqual([expect.objectContaining({ field: "value" })]);
  });

  it("fails closed without a configured key: a secret is refused with 503, plain variables and reads work", async () => {
    const refused = await rest("PUT", "/variables", secretInput(), keyless);
    expect(refused.status).toBe(503);
    expect(Problem.parse(JSON.parse(refused.text)).detail).toMatch(/OMNIGLASS_SECRET_KEY/);
    expect(await keyless.db.query.estateBinding.findMany()).toEqual([]);
    const plain = await rest("PUT", "/variables", { ...secretInput(), secret: false }, keyless);
    expect(plain.status).toBe(200);
    expect((await rest("GET", "/variables", undefined, keyless)).status).toBe(200);
  });
});
