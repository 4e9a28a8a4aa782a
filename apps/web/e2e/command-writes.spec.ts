import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { rest } from "./seed";
import { signIn } from "./stack";

/*
 * Writes behind explicit controls (issue #16 item 8): disabling a webhook endpoint stops what the
 * command center sends, so it asks first (Cancel changes nothing); enabling it again does not.
 */
test("disabling an endpoint asks first; Cancel leaves it enabled", async ({ page }) => {
  const name = `cmd-hook-${randomUUID().slice(0, 6)}`;
  await rest("POST", "/webhook-endpoints", { name, url: "https://hooks.example.com/cmd" });
  await signIn(page, `/webhook-endpoints/${name}`);
  const state = page.getByTestId("endpoint-state");
  await expect(state).toHaveText("enabled");

  await page.getByRole("button", { name: "Disable", exact: true }).click();
  const confirm = page.getByRole("dialog", { name: `Disable endpoint ${name}?` });
  await expect(confirm).toContainText("none is dropped");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(state).toHaveText("enabled");
  expect((await rest<{ enabled: boolean }>("GET", `/webhook-endpoints/${name}`)).enabled).toBe(
    true,
  );

  await page.getByRole("button", { name: "Disable", exact: true }).click();
  await confirm.getByRole("button", { name: "Disable endpoint" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(state).not.toHaveText("enabled");
  expect((await rest<{ enabled: boolean }>("GET", `/webhook-endpoints/${name}`)).enabled).toBe(
    false,
  );

  // Enabling is not destructive: no confirmation.
  await page.getByRole("button", { name: "Enable", exact: true }).click();
  await expect(state).toHaveText("enabled");
});

test("deleting a maintenance window asks first; Cancel keeps it", async ({ page }) => {
  const name = `cmd-window-${randomUUID().slice(0, 6)}`;
  await rest("POST", "/locations", { name, type: "campus" });
  const window = await rest<{ id: string }>("POST", "/maintenance-windows", {
    name,
    scope: { kind: "location", ref: name },
    dtstart: "2030-01-05T22:00",
    timeZone: "Europe/London",
    duration: "2h",
    rrule: "FREQ=WEEKLY;BYDAY=SA",
  });
  await signIn(page, `/maintenance/${window.id}`);
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const confirm = page.getByRole("dialog", { name: `Delete the maintenance window ${name}?` });
  await expect(confirm).toContainText("cannot be undone");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  expect((await rest<{ id: string }>("GET", `/maintenance-windows/${window.id}`)).id).toBe(
    window.id,
  );

  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await confirm.getByRole("button", { name: "Delete window" }).click();
  await page.waitForURL(/\/maintenance$/);
  await expect(rest("GET", `/maintenance-windows/${window.id}`)).rejects.toThrow(/404/);
});
