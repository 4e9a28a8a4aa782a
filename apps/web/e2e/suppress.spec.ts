import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { seedRoom } from "./detect-seed";
import { rest } from "./seed";
import { readStack, signIn } from "./stack";

/*
 * Maintenance windows and silences in the console (issue #14 items 1, 2, 7): a recurring window
 * drafted across New York's spring-forward night shows the skipped start moved to 03:00 and
 * marked on the calendar, is saved and listed; a silence refused without an expiry, set with one,
 * listed with its owner, author, reason and countdown, edited and expired early.
 */

test("the window editor previews a recurring window across a DST change, then saves it", async ({
  page,
}) => {
  const room = await seedRoom("mw", ["display"]);
  const name = `ny-nights-${randomUUID().slice(0, 6)}`;
  await signIn(page, "/maintenance/new");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Scope reference").fill(room.room);
  await page.getByLabel("Starts (local time)").fill("2030-03-09T02:30");
  await page.getByLabel("Time zone").fill("America/New_York");
  await page.getByLabel("Duration").fill("1h");
  await page.getByLabel("Repeats (RRULE; empty: once)").fill("FREQ=DAILY;COUNT=5");
  const preview = page.getByTestId("window-preview");
  await expect(preview.getByTestId("occurrence")).toHaveCount(5);
  // 10 March 2030: 02:30 does not exist in New York; that occurrence starts at 03:00 EDT.
  const gap = preview.locator('[data-testid="occurrence"][data-dst="gap"]');
  await expect(gap).toHaveCount(1);
  await expect(gap).toContainText("2030-03-10 03:00");
  await expect(gap).toContainText("2030-03-10 07:00");
  await expect(preview.locator('[data-day="2030-03-10"]')).toHaveAttribute("data-marked", "dst");
  await expect(preview.locator('[data-day="2030-03-09"]')).toHaveAttribute("data-marked", "yes");
  await expect(preview.getByTestId("last-week")).toContainText("0 occurrences");

  // An RRULE part outside the subset is named at the field, and nothing is saved.
  await page.getByLabel("Repeats (RRULE; empty: once)").fill("FREQ=DAILY;BYSETPOS=1");
  await page.getByRole("button", { name: "Create window" }).click();
  await expect(page.getByText(/BYSETPOS/).first()).toBeVisible();
  await expect(page).toHaveURL(/\/maintenance\/new$/);

  await page.getByLabel("Repeats (RRULE; empty: once)").fill("FREQ=DAILY;COUNT=5");
  await page.getByRole("button", { name: "Create window" }).click();
  await expect(page).toHaveURL(new RegExp(`/maintenance/${name}$`));
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await page.goto(page.url().replace(/\/maintenance\/.*/, "/maintenance"));
  const row = page.locator(`[data-testid="window-row"][data-window="${name}"]`);
  await expect(row).toContainText(`in or below ${room.room}`);
  await expect(row).toContainText("FREQ=DAILY;COUNT=5");
});

test("silences: refused without an expiry, set, listed with a countdown, edited, expired early", async ({
  page,
}) => {
  const room = await seedRoom("sil", ["display"]);
  await signIn(page, "/silences");
  await page.getByRole("button", { name: "New silence" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Owner (location, system or component, and below)").fill(room.room);
  await dialog.getByLabel("warning").check();
  await dialog.getByLabel("Reason").fill("lamp ordered");
  await dialog.getByLabel("Ends at (your time)").fill("");
  await dialog.getByRole("button", { name: "Set silence" }).click();
  await expect(dialog.getByText(/required: a silence must expire/)).toBeVisible();

  await dialog.getByRole("button", { name: "in 1 day" }).click();
  await dialog.getByRole("button", { name: "Set silence" }).click();
  await expect(dialog).toHaveCount(0);
  const row = page.locator('[data-testid="silence-row"]', { hasText: room.room });
  await expect(row).toContainText("severities=warning");
  await expect(row).toContainText("lamp ordered");
  await expect(row).toContainText(readStack().owner.username);
  await expect(row.getByTestId("countdown")).toContainText(/ends in (23 h|1 d)/);

  await row.getByRole("button", { name: "Edit" }).click();
  await page.getByRole("dialog").getByLabel("Reason").fill("lamp ordered, ticket 4711");
  await page.getByRole("dialog").getByRole("button", { name: "Save silence" }).click();
  await expect(row).toContainText("ticket 4711");

  await row.getByRole("button", { name: "Expire now" }).click();
  const confirm = page.getByRole("dialog", { name: "Expire this silence now?" });
  await expect(confirm).toContainText("lamp ordered, ticket 4711");
  await confirm.getByRole("button", { name: "Expire silence" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(row).toContainText("expired");
  await expect(row).toContainText("(early)");
  const listed = await rest<{ items: { reason: string; state: string }[] }>(
    "GET",
    "/silences?state=expired&q=4711",
  );
  expect(listed.items.map((s) => s.state)).toContain("expired");
});
