import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Problem } from "@omniglass/contracts";
import { createLocation, loadActor } from "@omniglass/gateway";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

describe("principals, tokens and grants", () => {
  let bed: Testbed;
  let owner: { id: string; token: string };
  let adminHq: string;

  beforeAll(async () => {
    bed = await createTestbed();
    owner = bed.owner;
    const actor = (await loadActor(bed.db, owner.id))!;
    const meta = {
      requestId: "setup",
      source: "cli" as const,
      actor: null,
      realActor: null,
      ip: null,
    };
    await createLocation({ db: bed.db, actor, meta, input: { name: "hq", type: "building" } });
    await createLocation({ db: bed.db, actor, meta, input: { name: "annex", type: "building" } });
    adminHq = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "admin-hq",
        grants: [{ role: "admin", location: "hq" }],
      })
    ).token;
  });
  afterAll(() => bed.close());

  async function rest(token: string, method: string, path: string, body?: unknown) {
    const response = await bed.rest(method, path, { token, body });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it("creates a service account and a token shown once that works, then revokes it", async () => {
    const created = await rest(owner.token, "POST", "/principals", {
      kind: "service",
      name: "itsm-sync",
      label: "ITSM",
    });
    expect(created.status).toBe(200);
    const id = created.body.id as string;
    const issued = await rest(owner.token, "POST", `/principals/${id}/tokens`, { name: "prod" });
    expect(issued.body.token).toMatch(/^og_/);
    const detail = await rest(owner.token, "GET", `/principals/${id}`);
    expect(JSON.stringify(detail.body)).not.toContain(issued.body.token as string);
    expect((await rest(issued.body.token as string, "GET", "/auth/me")).status).toBe(200);
    await rest(owner.token, "DELETE", `/principals/${id}/tokens/${issued.body.id as string}`);
    expect((await rest(issued.body.token as string, "GET", "/auth/me")).status).toBe(401);
  });

  it("refuses a password for a service and a duplicate name, naming the field", async () => {
    const withPassword = await rest(owner.token, "POST", "/principals", {
      kind: "service",
      name: "svc-pw",
      password: "a long password here",
    });
    expect(withPassword.status).toBe(400);
    expect(Problem.parse(withPassword.body).errors?.[0]?.field).toBe("password");
    const duplicate = await rest(owner.token, "POST", "/principals", {
      kind: "service",
      name: "itsm-sync",
    });
    expect(duplicate.status).toBe(409);
  });

  it("disabling ends tokens at once; enabling does not bring them back", async () => {
    const { id } = (
      await rest(owner.token, "POST", "/principals", { kind: "service", name: "to-disable" })
    ).body as { id: string };
    const token = (await rest(owner.token, "POST", `/principals/${id}/tokens`, { name: "t" })).body
      .token as string;
    expect((await rest(token, "GET", "/auth/me")).status).toBe(200);
    expect((await rest(owner.token, "POST", `/principals/${id}/disable`)).body.disabled).toBe(true);
    expect((await rest(token, "GET", "/auth/me")).status).toBe(401);
    expect((await rest(owner.token, "POST", `/principals/${id}/enable`)).body.disabled).toBe(false);
    expect((await rest(token, "GET", "/auth/me")).status).toBe(401);
  });

  it("never removes or disables the last active owner (409)", async () => {
    const me = await rest(owner.token, "GET", `/principals/${owner.id}`);
    const ownerGrant = (me.body.grants as { id: string; role: string }[]).find(
      (g) => g.role === "owner",
    )!;
    expect(
      (await rest(owner.token, "DELETE", `/principals/${owner.id}/grants/${ownerGrant.id}`)).status,
    ).toBe(409);
    expect((await rest(owner.token, "POST", `/principals/${owner.id}/disable`)).status).toBe(409);
    // With a second owner, the first may go.
    const { id: second } = (
      await rest(owner.token, "POST", "/principals", { kind: "human", name: "second-owner" })
    ).body as { id: string };
    expect(
      (
        await rest(owner.token, "POST", `/principals/${second}/grants`, {
          role: "owner",
          scope: { kind: "all" },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await rest(
          owner.token,
          "DELETE",
          `/principals/${second}/grants/${((await rest(owner.token, "GET", `/principals/${second}`)).body.grants as { id: string }[])[0]!.id}`,
        )
      ).status,
    ).toBe(200);
  });

  it("lets nobody grant what they do not hold, or where they do not hold it", async () => {
    const { id } = (
      await rest(owner.token, "POST", "/principals", { kind: "service", name: "grantee" })
    ).body as { id: string };
    // An admin of hq may give viewer on hq …
    expect(
      (
        await rest(adminHq, "POST", `/principals/${id}/grants`, {
          role: "viewer",
          scope: { kind: "location", location: "hq" },
        })
      ).status,
    ).toBe(200);
    // … but not owner (it lacks *:*), not on annex (outside its read scope: 404), not on all.
    expect(
      (
        await rest(adminHq, "POST", `/principals/${id}/grants`, {
          role: "owner",
          scope: { kind: "location", location: "hq" },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await rest(adminHq, "POST", `/principals/${id}/grants`, {
          role: "viewer",
          scope: { kind: "location", location: "annex" },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await rest(adminHq, "POST", `/principals/${id}/grants`, {
          role: "viewer",
          scope: { kind: "all" },
        })
      ).status,
    ).toBe(403);
  });
});
