import { expect, test, type Page } from "@playwright/test";
import { alarmsOf, pushReachable, seedRoom, unreachableFrom } from "./detect-seed";
import { rest } from "./seed";
import { readStack, signIn } from "./stack";

/*
 * The alarm queue (issue #13 item 7): lanes, filters kept in the URL across a reload, bulk
 * acknowledge behind a confirmation, and an alarm's timeline. The alarms come from real ingest.
 */

let room: Awaited<ReturnType<typeof seedRoom>>;

test.beforeAll(async () => {
  // display-5 reports nothing yet: the live test makes it fail while the queue is open.
  room = await seedRoom("alarms", [
    "display-1",
    "display-2",
    "display-3",
    "display-4",
    "display-5",
  ]);
  const t0 = Date.now() - 10 * 60_000;
  for (const name of ["display-1", "display-2", "display-3", "display-4"])
    await pushReachable(room.path(name), unreachableFrom(t0));
  // display-3: someone already owns it; display-4: it answered again, the clear sample resolved it.
  const [acked] = await alarmsOf(room.path("display-3"), "state=open");
  await rest("POST", `/alarms/${acked!.id}/acknowledge`, { comment: "on site" });
  await pushReachable(room.path("display-4"), [[t0 + 200_000, true]]);
  expect(await alarmsOf(room.path("display-4"), "state=resolved")).toHaveLength(1);
});

const lane = (page: Page, name: string) => page.getByTestId(`lane-${name}`);
const rowOf = (page: Page, laneName: string, component: string) =>
  lane(page, laneName).locator(`[data-testid="alarm-row"][data-owner="${room.path(component)}"]`);

test("the queue shows new, acknowledged and resolved lanes for the room", async ({ page }) => {
  const { baseUrl } = readStack();
  await signIn(page, `/alarms?owner=${encodeURIComponent(room.site)}`);
  await expect(rowOf(page, "new", "display-1")).toBeVisible();
  await expect(rowOf(page, "new", "display-2")).toBeVisible();
  await expect(lane(page, "new").getByTestId("alarm-row")).toHaveCount(2);
  await expect(rowOf(page, "acknowledged", "display-3")).toBeVisible();
  await expect(rowOf(page, "acknowledged", "display-3").getByTestId("ack")).toContainText(
    `by ${readStack().owner.username}`,
  );
  await expect(rowOf(page, "resolved", "display-4")).toContainText("cleared by a sample");
  // Each row: severity, owner linked to the component's page, since, flapping.
  const row = rowOf(page, "new", "display-1");
  await expect(row.locator("[data-severity]")).toHaveText("critical");
  await expect(
    row.getByRole("link", { name: room.path("display-1"), exact: true }),
  ).toHaveAttribute("href", `/components/${encodeURIComponent(room.path("display-1"))}`);
  await expect(row.getByTestId("age").locator("time")).toHaveAttribute("datetime", /T/);
  await expect(row.getByTestId("flapping")).toHaveText("steady");
  expect(page.url()).toBe(`${baseUrl}/alarms?owner=${encodeURIComponent(room.site)}`);
});

test("filters live in the URL and survive a reload", async ({ page }) => {
  await signIn(page, `/alarms?owner=${encodeURIComponent(room.site)}`);
  const filters = page.getByRole("search", { name: "Filters" });
  await filters.getByLabel("Severity").selectOption("info");
  await expect(page).toHaveURL(/severity=info/);
  await expect(lane(page, "new")).toContainText("None.");
  await filters.getByLabel("Severity").selectOption("critical");
  await filters.getByLabel("Flapping").selectOption("false");
  await expect(page).toHaveURL(/severity=critical/);
  await expect(page).toHaveURL(/flapping=false/);
  await page.reload();
  await expect(filters.getByLabel("Severity")).toHaveValue("critical");
  await expect(filters.getByLabel("Flapping")).toHaveValue("false");
  await expect(filters.getByLabel(/^Owner/)).toHaveValue(room.site);
  await expect(lane(page, "new").getByTestId("alarm-row")).toHaveCount(2);
});

test("bulk acknowledge asks for a comment and acknowledges only after confirming", async ({
  page,
}) => {
  await signIn(page, `/alarms?owner=${encodeURIComponent(room.site)}`);
  await expect(lane(page, "new").getByTestId("alarm-row")).toHaveCount(2);
  await page.getByLabel("Select all 2 on this page").check();
  await page.getByRole("button", { name: "Acknowledge selected (2)" }).click();
  const dialog = page.getByRole("dialog", { name: "Acknowledge 2 alarms" });
  await expect(dialog).toBeVisible();
  // Nothing is sent without a comment; cancelling changes nothing.
  await dialog.getByRole("button", { name: "Acknowledge" }).click();
  await expect(dialog).toContainText("a comment is required");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  expect(await alarmsOf(room.site, "state=open&acknowledged=false")).toHaveLength(2);

  await page.getByRole("button", { name: "Acknowledge selected (2)" }).click();
  await dialog.getByLabel(/^Comment/).fill("Replacing the cable");
  await dialog.getByLabel("Expires").selectOption({ label: "1 hour" });
  await dialog.getByRole("button", { name: "Acknowledge" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(lane(page, "new")).toContainText("None.");
  await expect(lane(page, "acknowledged").getByTestId("alarm-row")).toHaveCount(3);
  const acked = await alarmsOf(room.site, "state=open&acknowledged=true");
  const ours = acked.filter((a) => a.acknowledgement?.comment === "Replacing the cable");
  expect(ours.map((a) => a.owner.path).sort()).toEqual([
    room.path("display-1"),
    room.path("display-2"),
  ]);
  for (const a of ours) {
    const lapse = Date.parse(a.acknowledgement!.expiresAt!) - Date.now();
    expect(lapse).toBeGreaterThan(50 * 60_000);
    expect(lapse).toBeLessThanOrEqual(60 * 60_000);
  }
});

test("an alarm's page shows its facts and timeline, and resolving needs a reason", async ({
  page,
}) => {
  const [alarm] = await alarmsOf(room.path("display-3"), "state=open");
  await signIn(page, `/alarms?owner=${encodeURIComponent(room.site)}`);
  await rowOf(page, "acknowledged", "display-3")
    .getByRole("link", { name: alarm!.summary })
    .click();
  await expect(page).toHaveURL(new RegExp(`/alarms/${alarm!.id}$`));
  await expect(page.getByTestId("lifecycle")).toHaveAttribute("data-lifecycle", "open");
  const events = page.getByTestId("timeline-event");
  await expect(events.first()).toHaveAttribute("data-kind", "fired");
  await expect(events.first()).toContainText("reachable = false");
  await expect(events.first()).toContainText("sample of");
  const ack = page.locator('[data-testid="timeline-event"][data-kind="acknowledged"]');
  await expect(ack).toContainText(`Acknowledged by ${readStack().owner.username}: “on site”`);

  await page.getByRole("button", { name: "Resolve" }).click();
  const dialog = page.getByRole("dialog", { name: "Resolve this alarm" });
  await dialog.getByRole("button", { name: "Resolve" }).click();
  await expect(dialog).toContainText("a reason is required");
  await dialog.getByLabel("Reason").fill("Display replaced");
  await dialog.getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByTestId("lifecycle")).toHaveAttribute("data-lifecycle", "resolved");
  await expect(page.getByRole("button", { name: "Resolve" })).toHaveCount(0);
  await expect(page.locator('[data-testid="timeline-event"][data-kind="resolved"]')).toContainText(
    `Resolved by ${readStack().owner.username}: “Display replaced”`,
  );
});

test("a viewer reads the alarm but is offered no acknowledge or resolve", async ({ page }) => {
  const viewer = { username: `viewer-${room.site}`, password: "viewer password 123" };
  const { id } = await rest<{ id: string }>("POST", "/principals", {
    kind: "human",
    name: viewer.username,
    password: viewer.password,
  });
  await rest("POST", `/principals/${id}/grants`, { role: "viewer", scope: { kind: "all" } });
  const [alarm] = await alarmsOf(room.path("display-1"), "state=open");
  await signIn(page, `/alarms/${alarm!.id}`, viewer);
  await expect(page.getByTestId("lifecycle")).toHaveAttribute("data-lifecycle", "open");
  await expect(page.getByRole("button", { name: /Acknowledge|Resolve|Withdraw/ })).toHaveCount(0);
  // The timeline names who, though a viewer may not read principals (the API joins the name).
  await expect(
    page.locator('[data-testid="timeline-event"][data-kind="acknowledged"]'),
  ).toContainText(`Acknowledged by ${readStack().owner.username}: “Replacing the cable”`);
  await expect(page.getByText(/principal [0-9a-f]{8}/)).toHaveCount(0);
  await page.goto(`${readStack().baseUrl}/alarms?owner=${encodeURIComponent(room.site)}`);
  await expect(lane(page, "acknowledged").getByTestId("alarm-row").first()).toBeVisible();
  await expect(page.getByRole("button", { name: /Acknowledge selected/ })).toHaveCount(0);
  await expect(page.getByRole("checkbox")).toHaveCount(0);
});

test("resolved recently: the last 24 hours, newest resolution first", async ({ page }) => {
  const recent = await seedRoom("resolved", ["early", "late", "old"]);
  // early fired first and was resolved last; late fired later and was resolved first.
  const t0 = Date.now() - 20 * 60_000;
  await pushReachable(recent.path("early"), unreachableFrom(t0));
  await pushReachable(recent.path("late"), unreachableFrom(t0 + 60_000));
  await pushReachable(recent.path("late"), [[t0 + 300_000, true]]);
  await pushReachable(recent.path("early"), [[t0 + 400_000, true]]);
  // old: resolved 25 hours ago, out of the lane's window.
  const long = Date.now() - 26 * 60 * 60_000;
  await pushReachable(recent.path("old"), [...unreachableFrom(long), [long + 3_600_000, true]]);
  expect(await alarmsOf(recent.site, "state=resolved")).toHaveLength(3);

  await signIn(page, `/alarms?owner=${encodeURIComponent(recent.site)}`);
  const rows = lane(page, "resolved").getByTestId("alarm-row");
  await expect(rows).toHaveCount(2);
  expect(await rows.evaluateAll((r) => r.map((e) => e.getAttribute("data-owner")))).toEqual([
    recent.path("early"),
    recent.path("late"),
  ]);
  await expect(page.getByTestId("lane-resolved-count")).toHaveText("2 alarms");
});

test("the queue shows a new alarm as it commits, without a reload", async ({ page }) => {
  await signIn(page, `/alarms?owner=${encodeURIComponent(room.site)}`);
  await expect(page.getByTestId("live-state")).toHaveAttribute("data-state", "live");
  await expect(lane(page, "acknowledged").getByTestId("alarm-row").first()).toBeVisible();
  let loads = 0;
  page.on("load", () => (loads += 1));
  await pushReachable(room.path("display-5"), unreachableFrom(Date.now() - 5 * 60_000));
  // While live the page does not poll: only the stream can bring the row in this soon.
  await expect(rowOf(page, "new", "display-5")).toBeVisible({ timeout: 5_000 });
  expect(loads).toBe(0);
});

test("a system's page gives its verdict with the cause naming the red leaf, and its members' values", async ({
  page,
}) => {
  const system = `${room.room}.av`;
  await rest("POST", "/systems", { name: "av", type: "meeting-room", location: room.room });
  await rest("POST", `/systems/${encodeURIComponent(system)}/roles`, {
    name: "main-display",
    accepts: ["display"],
    quorum: 1,
    impact: "outage",
  });
  await rest("POST", "/components", {
    name: "display-6",
    location: room.room,
    template: "http-json-display",
    system,
    role: "main-display",
  });
  const leaf = room.path("display-6");
  await pushReachable(leaf, unreachableFrom(Date.now() - 5 * 60_000));
  await signIn(page, `/systems/${encodeURIComponent(system)}`);
  const panel = page.getByTestId("health-panel");
  await expect(panel.getByTestId("health").first()).toHaveAttribute("data-verdict", "outage");
  await expect(panel.getByTestId("health").first()).toContainText("since");
  await expect(panel.getByTestId("health-explanation")).toContainText("display-6");
  await expect(panel.getByRole("link", { name: leaf, exact: true }).first()).toHaveAttribute(
    "href",
    `/components/${encodeURIComponent(leaf)}`,
  );
  const [alarm] = await alarmsOf(leaf, "state=open");
  await expect(panel.locator(`a[href="/alarms/${alarm!.id}"]`).first()).toBeVisible();
  const member = page.locator(`[data-testid="member-values"][data-path="${leaf}"]`);
  await expect(
    member.locator('[data-testid="member-value"][data-signal="reachable"]'),
  ).toContainText("false");
  // Its history: the transition to outage with its sentence, and the availability over a window.
  const history = page.getByTestId("health-history");
  await expect(
    history.locator('[data-testid="health-transition"][data-verdict="outage"]').first(),
  ).toContainText("display-6");
  await expect(history.getByTestId("health-available")).toContainText(/available|never known/);
  await page.getByLabel("Window").selectOption("24h");
  await expect(
    history.locator('[data-testid="health-share"][data-verdict="outage"]'),
  ).toBeVisible();
  await page.getByLabel("Window").selectOption("30d");
  await expect(history.getByTestId("health-transition").first()).toBeVisible();
  // The systems list carries the same verdict.
  await page.goto(`${readStack().baseUrl}/systems?location=${encodeURIComponent(room.site)}`);
  await expect(
    page.locator(`[data-testid="system-row"][data-path="${system}"]`).getByTestId("health"),
  ).toHaveAttribute("data-verdict", "outage");
});
