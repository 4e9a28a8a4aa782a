import { expect, test, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { readStack, signIn } from "./stack";

/** Creates through the REST API as the owner, failing loudly on anything but 2xx. */
async function post<T>(path: string, body: unknown): Promise<T> {
  const { baseUrl, owner } = readStack();
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${owner.token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A campus › building › room, and a second room holding another display. */
async function makeRooms() {
  const site = `estate-${randomUUID().slice(0, 6)}`;
  await post("/locations", { name: site, type: "campus" });
  await post("/locations", { name: "hq", type: "building", parent: site });
  await post("/locations", { name: "boardroom", type: "room", parent: `${site}.hq` });
  await post("/locations", { name: "huddle", type: "room", parent: `${site}.hq` });
  await post("/components", {
    name: "panel",
    location: `${site}.hq.huddle`,
    template: "http-json-display",
  });
  return { site, room: `${site}.hq.boardroom` };
}

async function expand(page: Page, path: string) {
  const button = page
    .locator(
      `[data-testid="estate-location"][data-path="${path}"], [data-testid="estate-system"][data-path="${path}"]`,
    )
    .getByRole("button", { name: `Expand ${path}` });
  await button.click();
  await expect(
    page.locator(`[data-path="${path}"]`).getByRole("button", { name: `Collapse ${path}` }),
  ).toHaveAttribute("aria-expanded", "true");
}

test("an operator builds a room from the console: a system, a display in it, seen in the tree", async ({
  page,
}) => {
  const { site, room } = await makeRooms();
  await signIn(page, "/estate");

  // Open the tree down to the room, and add a system there.
  await expand(page, site);
  await expand(page, `${site}.hq`);
  const roomRow = page.locator(`[data-testid="estate-location"][data-path="${room}"]`);
  await expect(roomRow).toBeVisible();
  await roomRow.getByRole("link", { name: "Add system here" }).click();

  const systemForm = page.getByRole("form", { name: "New system" });
  await expect(systemForm.getByLabel("Location")).toHaveValue(room);
  // Inline validation: a bad name is explained before anything is sent.
  await systemForm.getByLabel("Name", { exact: true }).fill("AV!");
  await expect(systemForm).toContainText("lowercase letters, digits and dashes");
  await systemForm.getByLabel("Name", { exact: true }).fill("av");
  await expect(systemForm.getByTestId("path-preview")).toHaveText(`Its path will be ${room}.av`);
  await systemForm.getByLabel("Label").fill("Boardroom AV");
  await systemForm.getByLabel("Type").selectOption("meeting-room");
  await systemForm.getByRole("button", { name: "Create system" }).click();
  await expect(page.getByTestId("system-path")).toHaveText(`${room}.av`);
  await expect(page.getByRole("heading", { name: "Boardroom AV (av)" })).toBeVisible();

  // From the system, add a display on the http-json-display template.
  await page.getByRole("link", { name: "Add component here" }).click();
  const componentForm = page.getByRole("form", { name: "New component" });
  await expect(componentForm.getByLabel("Location")).toHaveValue(room);
  await expect(componentForm.getByLabel("System", { exact: true })).toHaveValue(`${room}.av`);
  await componentForm.getByLabel("Name", { exact: true }).fill("display-1");
  await componentForm.getByLabel("Template", { exact: true }).selectOption("http-json-display");
  // The template's signals are listed before the component exists.
  await expect(
    componentForm.getByTestId("template-signal").filter({ hasText: "power-state" }),
  ).toHaveCount(1);
  await componentForm.getByLabel("Address").fill("10.20.0.31");
  await expect(componentForm.getByTestId("path-preview")).toHaveText(
    `Its path will be ${room}.display-1`,
  );
  await componentForm.getByRole("button", { name: "Create component" }).click();

  // The component page lists what it reports, as its template declares.
  await expect(page.getByTestId("component-path")).toHaveText(`${room}.display-1`);
  const power = page.locator('[data-testid="signal-row"][data-signal="power-state"]');
  await expect(power).toHaveCount(1);
  await expect(power).toContainText("property");
  await expect(page.locator('[data-testid="signal-row"][data-signal="temperature"]')).toContainText(
    "metric",
  );
  await expect(page.getByRole("region", { name: "Systems" })).toContainText(`${room}.av`);

  // Both are in the estate tree, under the room.
  await page.goto(`${readStack().baseUrl}/estate`);
  await expand(page, site);
  await expand(page, `${site}.hq`);
  await expand(page, room);
  const system = page.locator(`[data-testid="estate-system"][data-path="${room}.av"]`);
  await expect(system).toContainText("1 member");
  await expand(page, `${room}.av`);
  await expect(
    page.locator(`[data-testid="estate-component"][data-path="${room}.display-1"]`),
  ).toBeVisible();
  await expect(
    page.getByRole("list", { name: `Inside ${room}` }).getByTestId("estate-component"),
  ).toHaveCount(1);
});

test("the component list counts what matched, and a filter narrows it", async ({ page }) => {
  const { site, room } = await makeRooms();
  await post("/components", { name: "projector", location: room, template: "http-json-display" });
  await signIn(page, "/components");

  const matched = page.getByTestId("matched");
  await expect(matched).toHaveText(/^\d+ matched$/);
  const total = Number((await matched.textContent())!.split(" ")[0]);
  expect(total).toBeGreaterThanOrEqual(2);

  const filters = page.getByRole("search", { name: "Filters" });
  await filters.getByLabel("Location").selectOption(site);
  await expect(matched).toHaveText("2 matched");
  await expect(page.getByTestId("component-row")).toHaveCount(2);
  await filters.getByLabel("Location").selectOption(room);
  await expect(matched).toHaveText("1 matched");
  await expect(page.getByTestId("component-row")).toHaveAttribute("data-path", `${room}.projector`);
  await filters.getByLabel("Location").selectOption("");
  await filters.getByLabel("Search").fill("projector");
  await expect(
    page.locator(`[data-testid="component-row"][data-path="${room}.projector"]`),
  ).toHaveCount(1);
  await expect(
    page.locator(`[data-testid="component-row"][data-path="${site}.hq.huddle.panel"]`),
  ).toHaveCount(0);
});
