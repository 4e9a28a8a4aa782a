import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { startNatsServer } from "@omniglass/infra";
import { pushReachable, seedRoom, unreachableFrom } from "./detect-seed";
import { rest } from "./seed";
import { readStack, signIn, writeStack } from "./stack";

/*
 * The brief status at `/` (issue #16), against the running stack: a fault simulated in a room
 * shows on it within 2 s of its alarm's commit, linking to the alarm and the room; with
 * nats-server stopped, within 5 s it says the live bus is down and every tile that depends on it
 * is stale with its age (nothing reads clear); with nats-server back, it recovers without a reload.
 */

const tile = (page: Page, key: string) => page.getByTestId(`brief-tile-${key}`);
const source = (page: Page, name: string) => page.getByTestId(`brief-source-${name}`);

test("a simulated fault in a room appears within 2 s of its alarm's commit, linking to the alarm and the room", async ({
  page,
}) => {
  await signIn(page, "/");
  await expect(page.getByRole("heading", { level: 1, name: "Brief status" })).toBeVisible();
  await expect(source(page, "nats")).toHaveAttribute("data-state", "up");
  await expect(page.getByTestId("brief-live")).toHaveAttribute("data-state", "live");
  const alarms = tile(page, "alarms");
  await expect(alarms).toBeVisible();

  const room = await seedRoom("brief", ["display"]);
  // The last sample is now, so the alarm opens (and commits) with this push: the newest one.
  await pushReachable(room.path("display"), unreachableFrom(Date.now() - 150_000));
  const committedAt = Date.now();
  const [alarm] = await rest<{ items: { id: string }[] }>(
    "GET",
    `/alarms?owner=${encodeURIComponent(room.path("display"))}&state=open`,
  ).then((p) => p.items);
  expect(alarm).toBeDefined();
  const alarmLink = `a[href="/alarms/${alarm!.id}"]`;
  const link = alarms.locator(alarmLink);
  await expect(link).toBeVisible({ timeout: 5_000 });
  const shownMs = Date.now() - committedAt;
  test.info().annotations.push({ type: "fault → brief status", description: `${shownMs} ms` });
  console.log(`brief status: the fault's alarm showed ${shownMs} ms after its commit`);
  expect(shownMs).toBeLessThan(2_000);
  // The item links to the alarm, the display and the room.
  const item = alarms.getByRole("listitem").filter({ has: page.locator(alarmLink) });
  await expect(item.locator(`a[href="/locations/${encodeURIComponent(room.room)}"]`)).toBeVisible();
  await expect(
    item.locator(`a[href="/components/${encodeURIComponent(room.path("display"))}"]`),
  ).toBeVisible();
  // The count is the alarm queue's (its new lane of criticals), and "view all" goes there.
  const queue = await rest<{ totalSize: number }>(
    "GET",
    "/alarms?state=open&severity=critical&acknowledged=false&suppressed=false&page_size=1",
  );
  await expect(alarms).toHaveAttribute("data-total", String(queue.totalSize));
  await expect(alarms.getByRole("link", { name: /^View all/ })).toHaveAttribute(
    "href",
    "/alarms?severity=critical",
  );
  // The platform page stays one click away.
  await expect(page.getByRole("link", { name: "Platform details" })).toHaveAttribute(
    "href",
    "/platform",
  );
});

for (const theme of ["light", "dark"] as const)
  test(`the brief status passes axe (WCAG 2.2 AA) in the ${theme} theme`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: theme });
    const page = await context.newPage();
    await signIn(page, "/");
    await expect(page.getByTestId("brief-tile-alarms")).toBeVisible();
    const result = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
      .analyze();
    expect(
      result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`),
    ).toEqual([]);
    // "Brief status" is the first entry of the navigation, current only here.
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link").first()).toHaveText("Brief status");
    await expect(nav.getByRole("link", { name: "Brief status" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    await page.goto(`${readStack().baseUrl}/alarms`);
    await expect(nav.getByRole("link", { name: "Brief status" })).not.toHaveAttribute(
      "aria-current",
      "page",
    );
    await context.close();
  });

test("with nats-server stopped it says the live bus is down and every tile on it is stale, then recovers without a reload", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const stack = readStack();
  await signIn(page, "/");
  await expect(source(page, "nats")).toHaveAttribute("data-state", "up");
  const dependent = await page
    .locator('[data-testid^="brief-tile-"]')
    .evaluateAll((tiles) => tiles.map((t) => t.getAttribute("data-testid")!.slice(11)));
  expect(dependent.length).toBeGreaterThan(3);

  const stoppedAt = Date.now();
  process.kill(stack.nats.pid, "SIGTERM");
  let restarted = false;
  try {
    await expect(source(page, "nats")).toHaveAttribute("data-state", "down", { timeout: 5_000 });
    const saidMs = Date.now() - stoppedAt;
    for (const key of ["alarms", "systems", "components", "collectors", "workers"])
      await expect(tile(page, key), key).toHaveAttribute("data-state", "stale", { timeout: 1_000 });
    const detectedMs = Date.now() - stoppedAt;
    test.info().annotations.push({ type: "nats down → said", description: `${saidMs} ms` });
    console.log(
      `brief status: NATS down shown ${saidMs} ms after the stop, every dependent tile stale after ${detectedMs} ms`,
    );
    expect(detectedMs).toBeLessThan(5_000);
    // Each stale tile says since when, and nothing on the live bus reads clear or up.
    await expect(tile(page, "alarms").getByTestId("tile-stale")).toContainText("Stale since");
    await expect(tile(page, "alarms").getByTestId("tile-stale").locator("time")).toHaveAttribute(
      "datetime",
      /\d{4}-/,
    );
    await expect(page.locator('[data-testid^="brief-tile-"][data-state="clear"]')).toHaveCount(
      await page.locator('[data-testid="brief-tile-plans"][data-state="clear"]').count(),
    );
    await expect(source(page, "nats")).not.toHaveAttribute("data-state", "up");
    await expect(page.getByTestId("brief-as-of")).toContainText(/s ago/);

    const nats = await startNatsServer({
      dataDir: stack.nats.dataDir,
      port: stack.nats.port,
      monitorPort: stack.nats.monitorPort,
    });
    restarted = true;
    const restartedAt = Date.now();
    writeStack({ ...stack, nats: { ...stack.nats, pid: nats.process.child.pid ?? 0 } });
    await expect(source(page, "nats")).toHaveAttribute("data-state", "up", { timeout: 20_000 });
    await expect(tile(page, "alarms")).not.toHaveAttribute("data-state", "stale", {
      timeout: 5_000,
    });
    const recoveredMs = Date.now() - restartedAt;
    console.log(
      `brief status: recovered ${recoveredMs} ms after nats-server restarted (no reload)`,
    );
    await expect(page.locator('[data-testid="tile-stale"]')).toHaveCount(0, { timeout: 20_000 });
  } finally {
    if (!restarted) {
      const nats = await startNatsServer({
        dataDir: stack.nats.dataDir,
        port: stack.nats.port,
        monitorPort: stack.nats.monitorPort,
      });
      writeStack({ ...stack, nats: { ...stack.nats, pid: nats.process.child.pid ?? 0 } });
    }
  }
});
