import { expect, test, type Page } from "@playwright/test";
import { startNatsServer } from "@omniglass/infra";
import { seedEstate } from "./seed";
import { readStack, signIn, writeStack } from "./stack";

/*
 * Issue #16, "Live": the fleet and estate-plan views say as of when they read what they show and
 * how old it is (the age advances without a reload), and when the live connection is lost they
 * say so with since when, and their health badges stop reading as current ("last known").
 */

const line = (page: Page) => page.getByTestId("freshness");

/** The shown age in seconds ("just now" is 0). */
async function shownAge(page: Page): Promise<number> {
  const text = (await page.getByTestId("freshness-age").textContent()) ?? "";
  if (/just now/.test(text)) return 0;
  const match = /· (?:(\d+) min )?(\d+) s ago/.exec(text);
  expect(match, text).not.toBeNull();
  return Number(match![1] ?? 0) * 60 + Number(match![2]);
}

for (const path of ["/systems", "/estate-plans"])
  test(`${path} says as of when it read what it shows, and the age advances`, async ({ page }) => {
    await seedEstate();
    await signIn(page, path);
    await expect(line(page)).toHaveAttribute("data-state", "live");
    await expect(line(page)).toContainText(/As of \d{1,2}:\d{2}:\d{2}.* · live$/);
    const updatedAt = Number(await line(page).getAttribute("data-updated-at"));
    expect(updatedAt).toBeGreaterThan(Date.now() - 60_000);
    const first = await shownAge(page);
    await page.waitForTimeout(3_000);
    await expect(line(page)).toHaveAttribute("data-updated-at", String(updatedAt));
    const later = await shownAge(page);
    expect(later - first).toBeGreaterThanOrEqual(2);
    // The age said is the age of the read the page holds (its dataUpdatedAt), within the tick.
    expect(Math.abs(later - (Date.now() - updatedAt) / 1000)).toBeLessThan(2.5);
  });

test("with the live stream refused, /systems says the connection is lost within 5 s and greys its badges, then clears when it is back", async ({
  page,
}) => {
  test.setTimeout(60_000);
  await seedEstate();
  const refuse = (route: { fulfill: (r: object) => Promise<void> }) =>
    route.fulfill({
      status: 503,
      contentType: "application/problem+json",
      body: '{"code":"UNAVAILABLE"}',
    });
  await page.route("**/api/live/alarms", refuse);
  const openedAt = Date.now();
  await signIn(page, "/systems");
  await expect(line(page)).toHaveAttribute("data-state", "lost", { timeout: 5_000 });
  console.log(`freshness: lost connection said ${Date.now() - openedAt} ms after sign-in`);
  await expect(page.getByTestId("freshness-live")).toContainText(/Live connection lost since \d/);
  await expect(line(page)).toContainText(/showing what was read at \d{1,2}:\d{2}:\d{2}/);
  const badges = page.getByTestId("health");
  await expect(badges.first()).toBeVisible();
  await expect(page.locator('[data-testid="health"][data-stale="false"]')).toHaveCount(0);
  await expect(badges.first()).toContainText("last known");

  await page.unroute("**/api/live/alarms", refuse);
  // The client retries a refused stream 10 s later; once it is open, nothing reads lost.
  await expect(line(page)).toHaveAttribute("data-state", "live", { timeout: 20_000 });
  await expect(line(page)).not.toContainText("lost");
  await expect(page.locator('[data-testid="health"][data-stale="true"]')).toHaveCount(0);
});

test("with nats-server stopped, /systems says its live source is lost within 5 s and greys its badges, then recovers without a reload", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await seedEstate();
  const stack = readStack();
  await signIn(page, "/systems");
  await expect(line(page)).toHaveAttribute("data-state", "live");
  const restart = async () => {
    const nats = await startNatsServer({
      dataDir: stack.nats.dataDir,
      port: stack.nats.port,
      monitorPort: stack.nats.monitorPort,
    });
    writeStack({ ...stack, nats: { ...stack.nats, pid: nats.process.child.pid ?? 0 } });
  };
  const stoppedAt = Date.now();
  process.kill(stack.nats.pid, "SIGTERM");
  let restarted = false;
  try {
    // The stream stays open (the web server is up) and says its bus dropped.
    await expect(line(page)).toHaveAttribute("data-state", "lost", { timeout: 5_000 });
    console.log(
      `freshness: NATS down said on /systems ${Date.now() - stoppedAt} ms after the stop`,
    );
    await expect(page.locator('[data-testid="health"][data-stale="false"]')).toHaveCount(0);
    await restart();
    restarted = true;
    const restartedAt = Date.now();
    await expect(line(page)).toHaveAttribute("data-state", "live", { timeout: 20_000 });
    console.log(`freshness: /systems live again ${Date.now() - restartedAt} ms after the restart`);
    await expect(page.locator('[data-testid="health"][data-stale="true"]')).toHaveCount(0);
  } finally {
    if (!restarted) await restart();
  }
});
