import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { readStack, signIn } from "./stack";

test("an owner opens the profile, creates a service account and a token shown once, and signs out", async ({
  page,
}) => {
  const { baseUrl, owner } = readStack();
  await signIn(page);
  await page.getByRole("link", { name: "Profile" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(owner.username) })).toBeVisible();
  await expect(page.getByText("everything")).toBeVisible();

  await page.getByRole("link", { name: "People & services" }).click();
  const name = `itsm-${randomUUID().slice(0, 6)}`;
  const form = page.getByRole("form", { name: "New principal" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Label").fill("ITSM integration");
  await form.getByRole("button", { name: "Create" }).click();
  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name: `${name} — ITSM integration` })).toBeVisible();

  await page.getByLabel("Token name").fill("prod");
  await page.getByRole("button", { name: "Issue token" }).click();
  const issued = page.getByTestId("issued-token");
  await expect(issued).toContainText("shown once");
  const token = (await issued.locator("code").textContent())!;
  expect(token).toMatch(/^og_/);
  // The token works, and it is not readable again.
  const me = await fetch(`${baseUrl}/api/v1/auth/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(((await me.json()) as { principal: { name: string } }).principal.name).toBe(name);
  await page.getByRole("button", { name: "I have stored it" }).click();
  await page.reload();
  await expect(page.getByTestId("token-row")).toHaveCount(1);
  await expect(page.locator("body")).not.toContainText(token);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a viewer does not see the admin navigation", async ({ page }) => {
  const { baseUrl, owner } = readStack();
  const viewer = {
    username: `viewer-${randomUUID().slice(0, 6)}`,
    password: "viewer password 123",
  };
  const headers = { authorization: `Bearer ${owner.token}`, "content-type": "application/json" };
  const created = await fetch(`${baseUrl}/api/v1/principals`, {
    method: "POST",
    headers,
    body: JSON.stringify({ kind: "human", name: viewer.username, password: viewer.password }),
  });
  const { id } = (await created.json()) as { id: string };
  await fetch(`${baseUrl}/api/v1/principals/${id}/grants`, {
    method: "POST",
    headers,
    body: JSON.stringify({ role: "viewer", scope: { kind: "all" } }),
  });
  await signIn(page, "/platform", viewer);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Platform" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Locations" })).toBeVisible();
  await expect(nav.getByRole("link")).toHaveText([
    "Brief status",
    "Platform",
    "Collectors & workers",
    "Schedules",
    "Alarms",
    "Estate",
    "Estate plans",
    "Locations",
    "Systems",
    "Components",
    "Templates",
    "Signals",
    "Rules",
    "Maintenance",
    "Silences",
    "Action rules",
    "Webhook endpoints",
    "Deliveries",
    "Nodes",
    "Profile",
    "API reference",
  ]);
});

test("locations: build a small tree from the console, with the path previewed", async ({
  page,
}) => {
  await signIn(page, "/locations");
  const site = `site-${randomUUID().slice(0, 6)}`;
  await page.getByRole("button", { name: "New top-level location" }).click();
  const form = page.getByRole("form", { name: "New location" });
  await form.getByLabel("Name").fill(site);
  await expect(form).toContainText(`its path will be ${site}`);
  await form.getByLabel("Type").selectOption("campus");
  await form.getByRole("button", { name: "Create" }).click();
  const row = page.locator(`[data-path="${site}"]`);
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "Add inside" }).click();
  await form.getByLabel("Name").fill("hq");
  await expect(form).toContainText(`its path will be ${site}.hq`);
  await form.getByLabel("Type").selectOption("building");
  await form.getByRole("button", { name: "Create" }).click();
  await expect(page.locator(`[data-path="${site}.hq"]`)).toBeVisible();
  // Renaming the site moves the building's path with it.
  await row.getByRole("button", { name: "Rename" }).click();
  const rename = page.getByRole("form", { name: "Rename location" });
  await rename.getByLabel("New name").fill(`${site}-x`);
  await expect(rename).toContainText(`will be under ${site}-x`);
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(page.locator(`[data-path="${site}-x.hq"]`)).toBeVisible();
  // A location with children cannot be deleted: the API's 409 is shown.
  page.once("dialog", (dialog) => void dialog.accept());
  await page.locator(`[data-path="${site}-x"]`).getByRole("button", { name: "Delete" }).click();
  // (The page's freshness line is a status region too: pick the refusal by its text.)
  await expect(page.getByRole("status").filter({ hasText: "still has children" })).toBeVisible();
});

test("the profile lists this session and issues a token for yourself, shown once", async ({
  page,
}) => {
  const { baseUrl } = readStack();
  await signIn(page, "/profile");
  await expect(page.getByTestId("own-session").filter({ hasText: "this session" })).toHaveCount(1);
  await page.getByLabel("Token name").fill("laptop");
  await page.getByRole("button", { name: "Issue token" }).click();
  const token = (await page.getByTestId("issued-token").locator("code").textContent())!;
  const me = await fetch(`${baseUrl}/api/v1/auth/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(me.status).toBe(200);
  await page
    .getByTestId("own-token")
    .filter({ hasText: "laptop" })
    .getByRole("button", { name: "Revoke" })
    .click();
  await expect(page.getByTestId("own-token").filter({ hasText: "laptop" })).toContainText(
    "revoked",
  );
  const after = await fetch(`${baseUrl}/api/v1/auth/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(after.status).toBe(401);
});
