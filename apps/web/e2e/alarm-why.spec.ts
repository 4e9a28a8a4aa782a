import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { alarmsOf, pushReachable, seedRoom, unreachableFrom } from "./detect-seed";
import { rest } from "./seed";
import { signIn } from "./stack";

/*
 * The suppressed lane and the alarm's "why" panel (issue #14 items 4, 7): a fault in a room under
 * a maintenance window in force opens an alarm held by it — listed in the queue's suppressed lane
 * with the window named and linked, not in New; its page says it did not notify, held by that
 * window, and that the site's action rule did not take the held transition. The window is then
 * switched off: the alarm is released as it happens (live), the timeline says what had held it,
 * and the why panel shows the release and the webhook it made.
 */

test("a held alarm is in the suppressed lane with its window, and its why panel says why it did not notify", async ({
  page,
}) => {
  const room = await seedRoom("why", ["display-1"]);
  const tag = randomUUID().slice(0, 6);
  const windowName = `why-window-${tag}`;
  const window = await rest<{ id: string }>("POST", "/maintenance-windows", {
    name: windowName,
    scope: { kind: "location", ref: room.room },
    dtstart: new Date(Date.now() - 30 * 60_000).toISOString().slice(0, 16),
    timeZone: "UTC",
    duration: "2h",
  });
  const endpoint = await rest<{ id: string }>("POST", "/webhook-endpoints", {
    name: `why-hook-${tag}`,
    url: "https://hooks.example.com/why",
    location: room.site,
  });
  const ruleName = `why-page-${tag}`;
  await rest("POST", "/action-rules", {
    name: ruleName,
    scope: { kind: "location", ref: room.site },
    endpointIds: [endpoint.id],
  });
  await pushReachable(room.path("display-1"), unreachableFrom(Date.now() - 10 * 60_000));
  const [alarm] = await alarmsOf(room.path("display-1"), "state=open");
  expect(alarm).toBeDefined();

  await signIn(page, `/alarms?owner=${encodeURIComponent(room.site)}`);
  const held = page
    .getByTestId("lane-suppressed")
    .locator(`[data-testid="alarm-row"][data-alarm="${alarm!.id}"]`);
  await expect(held).toBeVisible();
  await expect(held).toHaveAttribute("data-suppressed", "true");
  const chip = held.getByTestId("suppression-chip");
  await expect(chip).toContainText(`window ${windowName}`);
  await expect(chip.getByRole("link", { name: windowName })).toHaveAttribute(
    "href",
    `/maintenance/${window.id}`,
  );
  await expect(page.getByTestId("lane-new").getByTestId("alarm-row")).toHaveCount(0);

  await held.getByRole("link", { name: alarm!.summary }).click();
  await expect(page).toHaveURL(new RegExp(`/alarms/${alarm!.id}$`));
  await expect(page.getByTestId("suppressed")).toHaveAttribute("data-suppressed", "true");
  const why = page.getByTestId("why-panel");
  await expect(why.getByTestId("why-verdict")).toHaveAttribute("data-notified", "false");
  await expect(why.getByTestId("why-verdict")).toContainText("Not notified");
  await expect(
    why.getByTestId("why-held-by").getByRole("link", { name: windowName }),
  ).toHaveAttribute("href", `/maintenance/${window.id}`);
  await expect(why.getByRole("link", { name: "unreachable" })).toHaveAttribute(
    "href",
    /^\/rules\//,
  );
  const fired = why.locator('[data-testid="why-transition"][data-kind="fired"]');
  await expect(fired).toHaveAttribute("data-suppressed", "true");
  const rule = fired.locator(`[data-testid="why-rule"][data-rule="${ruleName}"]`);
  await expect(rule).toHaveAttribute("data-matched", "false");
  await expect(rule).toContainText("the alarm was held");
  await expect(fired).toContainText("no webhook");
  await expect(why.getByTestId("why-history")).toContainText(`held by window ${windowName}`);
  await expect(page.locator('[data-testid="timeline-event"][data-kind="fired"]')).toContainText(
    `held from the start by window ${windowName}`,
  );

  // The window is switched off: the alarm is released as it happens (the page is live), and
  // its release notifies through the site's rule.
  await rest("PATCH", `/maintenance-windows/${encodeURIComponent(windowName)}`, {
    enabled: false,
  });
  await expect(page.getByTestId("suppressed")).toHaveAttribute("data-suppressed", "false", {
    timeout: 30_000,
  });
  const released = page.locator('[data-testid="timeline-event"][data-kind="unsuppressed"]');
  await expect(released).toContainText("Released");
  await expect(released).toContainText(`no longer held by window ${windowName}`);
  const release = why.locator('[data-testid="why-transition"][data-kind="unsuppressed"]');
  await expect(release).toHaveAttribute("data-suppressed", "false");
  await expect(
    release.locator(`[data-testid="why-rule"][data-rule="${ruleName}"]`),
  ).toHaveAttribute("data-matched", "true");
  const webhook = release.locator(`[data-testid="why-delivery"][data-endpoint="why-hook-${tag}"]`);
  await expect(webhook).toBeVisible({ timeout: 20_000 });
  await expect(webhook.getByRole("link", { name: `why-hook-${tag}` })).toHaveAttribute(
    "href",
    `/webhook-endpoints/why-hook-${tag}`,
  );
  await expect(webhook.locator('a[href^="/deliveries?delivery=msg_"]')).toBeVisible();
  await expect(
    release.locator(`[data-testid="why-rule"][data-rule="${ruleName}"]`).getByRole("link"),
  ).toHaveAttribute("href", `/action-rules?edit=${ruleName}`);
  await expect(why.getByTestId("why-history")).toContainText("released");

  // Back in the queue, it is new again (nobody owns it), no longer in the suppressed lane.
  await page.goto(
    page.url().replace(/\/alarms\/.*/, `/alarms?owner=${encodeURIComponent(room.site)}`),
  );
  await expect(
    page.getByTestId("lane-new").locator(`[data-testid="alarm-row"][data-alarm="${alarm!.id}"]`),
  ).toBeVisible();
  await expect(page.getByTestId("lane-suppressed").getByTestId("alarm-row")).toHaveCount(0);
});
