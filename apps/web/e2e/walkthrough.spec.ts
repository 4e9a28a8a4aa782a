import { expect, test } from "@playwright/test";
import { rest, seedEstate, type Estate } from "./seed";
import { readStack, signIn } from "./stack";

/** What a walkthrough of every page met, each kept from coming back. */
test.use({ trace: "off" });
let estate: Estate;
test.beforeAll(async () => {
  estate = await seedEstate();
});
const seg = encodeURIComponent;

test("a filtered, sorted second page of components survives a reload", async ({ page }) => {
  const { baseUrl } = readStack();
  const room = `${estate.site}.hq.store`;
  await rest("POST", "/locations", { name: "store", type: "room", parent: `${estate.site}.hq` });
  for (let i = 0; i < 56; i++)
    await rest("POST", "/components", {
      name: `spare-${String(i).padStart(2, "0")}`,
      location: room,
      template: "http-json-display",
    });
  await signIn(page, "/components");
  const filters = page.getByRole("search", { name: "Filters" });
  await filters.getByLabel("Location").selectOption(room);
  await expect(page.getByTestId("matched")).toHaveText("56 matched");
  await filters.getByLabel("Sort").selectOption("-name");
  await expect(page.getByTestId("component-row").first()).toHaveAttribute(
    "data-path",
    `${room}.spare-55`,
  );
  // Once in three runs on a loaded box the first click landed while the sort's URL update was
  // still settling and the box read unchecked again (noted on #13); the column must end shown.
  await expect(async () => {
    await page.getByRole("checkbox", { name: "Serial" }).check({ timeout: 2_000 });
  }).toPass({ timeout: 10_000 });
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByTestId("page-number")).toHaveText("Page 2");
  await expect(page.getByTestId("component-row")).toHaveCount(6);
  const rows = await page
    .getByTestId("component-row")
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-path")));
  expect(rows[0]).toBe(`${room}.spare-05`);
  const url = page.url();
  expect(url).toContain("sort=-name");

  await page.reload();
  expect(page.url()).toBe(url);
  await expect(page.getByTestId("page-number")).toHaveText("Page 2");
  await expect(page.getByTestId("component-row")).toHaveCount(6);
  expect(
    await page
      .getByTestId("component-row")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-path"))),
  ).toEqual(rows);
  await expect(page.getByRole("columnheader", { name: "Serial" })).toBeVisible();
  await expect(page.getByRole("search", { name: "Filters" }).getByLabel("Location")).toHaveValue(
    room,
  );
  await page.getByRole("button", { name: "Previous" }).click();
  await expect(page.getByTestId("component-row")).toHaveCount(50);
  expect(new URL(page.url()).searchParams.getAll("page")).toEqual([]);
  void baseUrl;
});

test("the sidebar stays put on a long page, and the theme toggle does not move the page", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1200, height: 700 });
  await signIn(page, `/components/${seg(estate.component)}`);
  await expect(page.getByRole("heading", { name: "Effective variables" })).toBeVisible();
  await expect(page.getByText("Loading…")).toHaveCount(0);
  await page.waitForTimeout(500);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const before = await page.evaluate(() => window.scrollY);
  expect(before).toBeGreaterThan(300);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav).toBeInViewport();
  const toggle = page.getByRole("button", { name: /Switch to (dark|light) theme/ });
  await expect(toggle).toBeInViewport();
  // Clicked where it is, as a person would: no scrolling by the test runner first.
  await toggle.evaluate((button) => (button as HTMLButtonElement).click());
  await expect(page.locator("html")).toHaveClass(/dark/);
  expect(await page.evaluate(() => window.scrollY)).toBe(before);
  await expect(nav).toBeInViewport();
});

test("rename, move and delete dialogs take focus, keep it and give it back", async ({ page }) => {
  await signIn(page, `/components/${seg(estate.component)}`);
  for (const action of ["Rename", "Move", "Delete"]) {
    const opener = page.getByRole("button", { name: action, exact: true });
    await opener.click();
    const dialog = page.getByRole("dialog", { name: `${action} component` });
    await expect(dialog).toBeVisible();
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("Tab");
      expect(
        await dialog.evaluate((d) => d.contains(document.activeElement)),
        `${action}: Tab ${i + 1}`,
      ).toBe(true);
    }
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);
    await expect(opener).toBeFocused();
  }
});

test("a skip link leads to the content", async ({ page }) => {
  await signIn(page, "/components");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
});

test("counts, producers, types, quorum, paths and names read as a person says them", async ({
  page,
}) => {
  const { baseUrl, owner } = readStack();
  await signIn(page, "/templates/http-json-display");
  const usedBy = page.getByRole("link", { name: /^\d+ components? on v\d+$/ });
  const count = Number((await usedBy.textContent())!.split(" ")[0]);
  expect(count).toBeGreaterThanOrEqual(2);
  await usedBy.click();
  await expect(page.getByTestId("matched")).toHaveText(`${count} matched`);

  await page.goto(`${baseUrl}/signals`);
  const power = page.locator('[data-testid="signal-row"][data-signal="power-state"]');
  await expect(power.getByRole("link", { name: /^http-json-display@\d+$/ })).toBeVisible();
  const reachable = page.locator('[data-testid="signal-row"][data-signal="reachable"]');
  await expect(reachable).toContainText("true or false");
  await expect(page.locator("main")).not.toContainText('{"type"');

  await page.goto(`${baseUrl}/systems/${seg(estate.system)}`);
  await expect(page.getByTestId("quorum")).toHaveText("2 members filled, quorum 1");

  await page.goto(`${baseUrl}/components/new`);
  await expect(page.getByTestId("path-preview")).toHaveText(
    "Choose a location and a name to see its path.",
  );

  await page.goto(`${baseUrl}/admin/audit`);
  await expect(page.getByTestId("audit-who").first()).toHaveText(owner.username);
});

test("a location has a page, and location names lead to it", async ({ page }) => {
  const { baseUrl } = readStack();
  await signIn(page, "/locations");
  await page
    .locator(`[data-testid="location-row"][data-path="${estate.site}"]`)
    .getByRole("link")
    .click();
  await expect(page).toHaveURL(`${baseUrl}/locations/${estate.site}`);
  await expect(page.getByTestId("location-path")).toHaveText(estate.site);
  await expect(page.getByTestId("child-location")).toHaveAttribute(
    "data-path",
    `${estate.site}.hq`,
  );
  await expect(page.getByTestId("child-location")).toContainText("1");
  await expect(page.getByTestId("location-system")).toHaveAttribute("data-path", estate.system);
  await expect(page.getByTestId("location-component").first()).toBeVisible();
});

test("the estate tree reads its counts with the location page, not per row", async ({ page }) => {
  const procedures: string[] = [];
  page.on("request", (r) => {
    const match = /\/api\/trpc\/([^?]+)/.exec(r.url());
    if (match) procedures.push(...decodeURIComponent(match[1]!).split(","));
  });
  const { totalSize } = await rest<{ totalSize: number }>(
    "GET",
    `/components?filter=${encodeURIComponent(`location=${estate.site}`)}&page_size=1`,
  );
  await signIn(page, "/estate");
  const row = page.locator(`[data-testid="estate-location"][data-path="${estate.site}"]`);
  await expect(row).toContainText("1 system");
  await expect(row).toContainText(`${totalSize} components`);
  expect(procedures.filter((p) => p === "system.list" || p === "component.list")).toEqual([]);
});

test("old and outside addresses: /system, the API reference, the favicon", async ({ page }) => {
  const { baseUrl } = readStack();
  await signIn(page);
  await page.goto(`${baseUrl}/system`);
  await expect(page).toHaveURL(`${baseUrl}/platform`);
  await expect(page.getByRole("heading", { level: 1, name: "Platform" })).toBeVisible();
  expect((await page.request.get(`${baseUrl}/favicon.ico`)).status()).toBe(200);

  await page.goto(`${baseUrl}/api/docs`);
  await expect(page.getByText("List worker processes").first()).toBeVisible({ timeout: 20_000 });
  for (const vendor of ["Ask AI", "Generate MCP", "Deploy"])
    await expect(page.getByText(vendor, { exact: true })).toHaveCount(0);
  await page.getByRole("link", { name: "Back to the Omniglass console" }).click();
  await expect(page).toHaveURL(`${baseUrl}/`);
});
