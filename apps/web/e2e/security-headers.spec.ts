/**
 * The browser's defences (issue #10): a strict Content-Security-Policy with a per-response script
 * nonce on console pages, framing denied, no MIME sniffing, no referrer, and API answers that are
 * never cached and may run nothing. A page that frames the console gets nothing.
 */
import { expect, test } from "@playwright/test";
import { readStack, signIn } from "./stack";

test("a console page carries a nonce-based CSP, denies framing, and runs with no violation", async ({
  page,
}) => {
  const { baseUrl } = readStack();
  const first = await fetch(`${baseUrl}/sign-in`);
  const second = await fetch(`${baseUrl}/sign-in`);
  const csp = first.headers.get("content-security-policy") ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).not.toMatch(/https?:\/\//);
  // A fresh nonce per response, and every inline script of the page carries it.
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  expect(second.headers.get("content-security-policy")).not.toContain(nonce);
  const html = await first.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  expect(first.headers.get("x-frame-options")).toBe("DENY");
  expect(first.headers.get("x-content-type-options")).toBe("nosniff");
  expect(first.headers.get("referrer-policy")).toBe("no-referrer");

  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await signIn(page, "/platform");
  // The list may hold a live stream open (its health badges), so the network need not idle: wait
  // for the page's heading, then give its scripts a moment to run (a violation is logged at once).
  await page.goto(`${baseUrl}/components`);
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  await page.waitForTimeout(1_000);
  // The reference renders the whole document client-side; wait for it to be drawn (not for an idle
  // network, which a loaded machine may not reach within the timeout), then let its scripts run.
  await page.goto(`${baseUrl}/api/docs`);
  await expect(page.getByRole("button", { name: /Open Search/ })).toBeVisible({ timeout: 30_000 });
  await page.waitForTimeout(1_000);
  expect(violations).toEqual([]);
});

test("API answers are not cached, run nothing and cannot be framed", async () => {
  const { baseUrl, owner } = readStack();
  const response = await fetch(`${baseUrl}/api/v1/auth/me`, {
    headers: { authorization: `Bearer ${owner.token}` },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
  expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  const problem = await fetch(`${baseUrl}/api/v1/locations/nowhere`, {
    headers: { authorization: `Bearer ${owner.token}` },
  });
  expect(problem.status).toBe(404);
  expect(problem.headers.get("cache-control")).toBe("no-store");
});

test("a page on another origin that frames the console gets nothing", async ({ page }) => {
  const { baseUrl } = readStack();
  const blocked: string[] = [];
  page.on("console", (message) => {
    if (/frame|ancestor/i.test(message.text())) blocked.push(message.text());
  });
  await page.setContent(
    `<iframe id="target" src="${baseUrl}/sign-in" width="800" height="600"></iframe>`,
  );
  await page.waitForTimeout(1_500);
  const frame = page.frames().find((f) => f.url().startsWith(baseUrl));
  const framedText = frame
    ? await frame
        .locator("body")
        .innerText()
        .catch(() => "")
    : "";
  expect(framedText).not.toContain("Sign in");
});
