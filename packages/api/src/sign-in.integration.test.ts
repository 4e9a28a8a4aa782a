import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { Problem } from "@omniglass/contracts";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContext } from "./context";
import { appRouter } from "./root";
import { createTestbed, type Testbed } from "./testbed";

const PASSWORD = "a long enough test password";

describe("sign-in, sessions and CSRF", () => {
  let bed: Testbed;

  beforeAll(async () => {
    bed = await createTestbed({ ownerPassword: PASSWORD });
  });
  afterAll(() => bed.close());

  function rest(
    method: string,
    path: string,
    {
      body,
      cookies,
      headers = {},
      ip = "127.0.0.1",
    }: { body?: unknown; cookies?: string; headers?: Record<string, string>; ip?: string } = {},
  ) {
    return bed.rest(method, path, {
      token: null,
      body,
      ip,
      headers: { ...(cookies ? { cookie: cookies } : {}), ...headers },
    });
  }

  const cookieHeader = (response: Response) =>
    response.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");

  it("signs in with a session cookie (httpOnly, SameSite=Strict) that authenticates the console", async () => {
    const response = await rest("POST", "/auth/login", {
      body: { username: "root", password: PASSWORD },
    });
    expect(response.status).toBe(200);
    const setCookies = response.headers.getSetCookie();
    expect(setCookies.find((c) => c.startsWith("og_session="))).toMatch(
      /HttpOnly; SameSite=Strict/,
    );
    expect(setCookies.find((c) => c.startsWith("og_csrf="))).not.toMatch(/HttpOnly/);
    const me = await rest("GET", "/auth/me", { cookies: cookieHeader(response) });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      principal: { name: "root", kind: "human" },
      permissions: ["*:*"],
    });
  });

  it("refuses a cookie-authenticated write without the CSRF token, and accepts it with", async () => {
    const login = await rest("POST", "/auth/login", {
      body: { username: "root", password: PASSWORD },
    });
    const cookies = cookieHeader(login);
    const csrf = /og_csrf=([^;]+)/.exec(cookies)![1]!;
    const body = { name: `site-${randomUUID().slice(0, 6)}`, type: "campus" };
    const without = await rest("POST", "/locations", { body, cookies });
    expect(without.status).toBe(403);
    expect(Problem.parse(await without.json()).detail).toContain("CSRF");
    const wrong = await rest("POST", "/locations", {
      body,
      cookies,
      headers: { "x-csrf-token": "nope" },
    });
    expect(wrong.status).toBe(403);
    const right = await rest("POST", "/locations", {
      body,
      cookies,
      headers: { "x-csrf-token": csrf },
    });
    expect(right.status).toBe(200);
  });

  it("says the same thing for an unknown user and a wrong password, and never echoes the password", async () => {
    const unknown = await rest("POST", "/auth/login", {
      body: { username: "nobody-here", password: "whatever it is" },
      ip: "10.9.9.1",
    });
    const wrong = await rest("POST", "/auth/login", {
      body: { username: "root", password: "not the password" },
      ip: "10.9.9.2",
    });
    const [a, b] = [await unknown.text(), await wrong.text()];
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(Problem.parse(JSON.parse(a)).detail).toBe(Problem.parse(JSON.parse(b)).detail);
    expect(a + b).not.toContain("not the password");
  });

  it("throttles repeated failures with 429 and Retry-After, per account", async () => {
    const statuses: number[] = [];
    let last!: Response;
    for (let i = 0; i < 7; i++) {
      last = await rest("POST", "/auth/login", {
        body: { username: "target", password: `guess-${i}` },
        ip: `10.0.0.${i + 1}`,
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Problem.parse(await last.json()).code).toBe("RATE_LIMITED");
  });

  it("throttles per client address across accounts", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const response = await rest("POST", "/auth/login", {
        body: { username: `spray-${i}`, password: "x" },
        ip: "192.0.2.50",
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

  it("ends the session on sign-out", async () => {
    const login = await rest("POST", "/auth/login", {
      body: { username: "root", password: PASSWORD },
    });
    const cookies = cookieHeader(login);
    const csrf = /og_csrf=([^;]+)/.exec(cookies)![1]!;
    const out = await rest("POST", "/auth/logout", { cookies, headers: { "x-csrf-token": csrf } });
    expect(out.status).toBe(200);
    expect(
      out.headers
        .getSetCookie()
        .some((c) => c.startsWith("og_session=;") && c.includes("Max-Age=0")),
    ).toBe(true);
    expect((await rest("GET", "/auth/me", { cookies })).status).toBe(401);
  });

  it("applies the same CSRF rule to tRPC writes from the console", async () => {
    const login = await rest("POST", "/auth/login", {
      body: { username: "root", password: PASSWORD },
    });
    const cookies = cookieHeader(login);
    const csrf = /og_csrf=([^;]+)/.exec(cookies)![1]!;
    const trpcWrite = (headers: Record<string, string>) =>
      fetchRequestHandler({
        endpoint: "/api/trpc",
        req: new Request("http://127.0.0.1/api/trpc/locationType.create", {
          method: "POST",
          headers: { "content-type": "application/json", cookie: cookies, ...headers },
          body: JSON.stringify({ name: `t-${randomUUID().slice(0, 6)}`, label: "T" }),
        }),
        router: appRouter,
        createContext: ({ req, resHeaders }) =>
          createContext({
            deps: bed.deps,
            requestId: randomUUID(),
            source: "console",
            ip: "127.0.0.1",
            headers: req.headers,
            responseHeaders: resHeaders,
          }),
      });
    expect((await trpcWrite({})).status).toBe(403);
    expect((await trpcWrite({ "x-csrf-token": "forged" })).status).toBe(403);
    expect((await trpcWrite({ "x-csrf-token": csrf })).status).toBe(200);
  });
});
