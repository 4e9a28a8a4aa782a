import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { alarmsOf, pushReachable, seedRoom, unreachableFrom } from "./detect-seed";
import { rest } from "./seed";
import { readStack, signIn } from "./stack";

/*
 * The alarm queue as the work board (issue #16 item 4): lane titles that say what membership
 * means, each header's count with its source and as-of time, each card's source and age, and the
 * cases the facts leave open said on the card — an alarm owned by a principal since disabled
 * ("owner gone"), one acknowledged and held by a silence at once — with the hold's why linked to
 * the alarm's why panel. The alarms come from real ingest; the membership from their own facts.
 */

let room: Awaited<ReturnType<typeof seedRoom>>;
const operatorName = `board-op-${randomUUID().slice(0, 6)}`;
const REASON = `board silence ${randomUUID().slice(0, 6)}`;

test.beforeAll(async () => {
  room = await seedRoom("board", ["display-1", "display-2", "display-3"]);
  const t0 = Date.now() - 10 * 60_000;
  for (const name of ["display-1", "display-2", "display-3"])
    await pushReachable(room.path(name), unreachableFrom(t0));

  // display-2: acknowledged by an operator who is then disabled (owner gone).
  const op = await rest<{ id: string }>("POST", "/principals", {
    kind: "service",
    name: operatorName,
  });
  await rest("POST", `/principals/${op.id}/grants`, { role: "operator", scope: { kind: "all" } });
  const { token } = await rest<{ token: string }>("POST", `/principals/${op.id}/tokens`, {
    name: "board",
  });
  const [second] = await alarmsOf(room.path("display-2"), "state=open");
  const { baseUrl } = readStack();
  const acked = await fetch(`${baseUrl}/api/v1/alarms/${second!.id}/acknowledge`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ comment: "swapping the PSU" }),
  });
  expect(acked.status).toBe(200);
  await rest("POST", `/principals/${op.id}/disable`, {});

  // display-3: acknowledged (by the owner) and held by a silence.
  const [third] = await alarmsOf(room.path("display-3"), "state=open");
  await rest("POST", `/alarms/${third!.id}/acknowledge`, { comment: "on site" });
  await rest("POST", "/silences", {
    matchers: { owner: room.path("display-3"), severities: ["critical"] },
    reason: REASON,
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
});

const lane = (page: Page, name: string) => page.getByTestId(`lane-${name}`);
const rowOf = (page: Page, laneName: string, component: string) =>
  lane(page, laneName).locator(`[data-testid="alarm-row"][data-owner="${room.path(component)}"]`);

test("lanes say what they mean, with counts, source and as-of time", async ({ page }) => {
  await signIn(page, `/alarms?owner=${encodeURIComponent(room.site)}`);
  for (const title of [
    "New — nobody owns it",
    "Acknowledged — owned",
    "Suppressed — held from notifying, with why",
    "Resolved recently",
  ])
    await expect(page.getByRole("heading", { level: 2, name: title })).toBeVisible();
  await expect(page.getByTestId("lane-new-count")).toHaveText("1 alarm");
  await expect(page.getByTestId("lane-acknowledged-count")).toHaveText("1 alarm");
  for (const name of ["new", "acknowledged", "suppressed", "resolved"]) {
    const asOf = page.getByTestId(`lane-${name}-as-of`);
    await expect(asOf).toContainText("from the alarm list, as of");
    await expect(asOf.locator("time")).toHaveAttribute("datetime", /T/);
  }
  await expect(page.getByTestId("lane-resolved-means")).toContainText(
    "Window: the last 24 hours (since",
  );

  // A card: its source (the rule and its sample) and its age.
  const fresh = rowOf(page, "new", "display-1");
  await expect(fresh.getByTestId("source")).toContainText("unreachable (template rule)");
  await expect(fresh.getByTestId("source")).toContainText("sample of");
  await expect(fresh.getByTestId("age")).toContainText(/opened \d+ min/);
  await expect(fresh.getByTestId("ack")).toHaveCount(0);
  await expect(fresh).not.toHaveAttribute("data-ambiguous", /./);
});

test("an owner since disabled, and an alarm both owned and held, say so", async ({ page }) => {
  await signIn(page, `/alarms?owner=${encodeURIComponent(room.site)}`);
  const gone = rowOf(page, "acknowledged", "display-2");
  await expect(gone.getByTestId("ack")).toContainText(`by ${operatorName}`);
  await expect(gone.getByTestId("ack")).toHaveAttribute("data-owner-status", "disabled");
  await expect(gone.locator('[data-testid="ambiguous"][data-kind="owner-gone"]')).toContainText(
    `owner gone: acknowledged by ${operatorName} who has since been disabled`,
  );

  // The silence holds display-3 (by the suppression pass): it moves to the suppressed lane, its
  // card naming the silence, linking to the why panel, and saying it is owned too.
  const held = rowOf(page, "suppressed", "display-3");
  await expect(held).toBeVisible({ timeout: 20_000 });
  await expect(held.getByTestId("suppression-chip")).toContainText(`silence “${REASON}”`);
  await expect(
    held.locator('[data-testid="ambiguous"][data-kind="acknowledged-and-held"]'),
  ).toContainText("both owned and suppressed");
  await expect(rowOf(page, "acknowledged", "display-3")).toHaveCount(0);
  await held.getByRole("link", { name: "why", exact: true }).click();
  await expect(page).toHaveURL(/\/alarms\/[0-9a-f-]+#why$/);
  await expect(page.getByTestId("why-panel")).toBeVisible();
});

test("withdrawing an acknowledgement asks first, then the alarm is nobody's again", async ({
  page,
}) => {
  const [alarm] = await alarmsOf(room.path("display-2"), "state=open");
  await signIn(page, `/alarms/${alarm!.id}`);
  await page.getByRole("button", { name: "Withdraw acknowledgement" }).click();
  const confirm = page.getByRole("dialog", { name: "Withdraw the acknowledgement?" });
  await expect(confirm).toContainText(`acknowledged by ${operatorName}`);
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  expect((await alarmsOf(room.path("display-2"), "state=open"))[0]!.acknowledgement).not.toBeNull();

  await page.getByRole("button", { name: "Withdraw acknowledgement" }).click();
  await confirm.getByRole("button", { name: "Withdraw", exact: true }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Acknowledge" })).toBeVisible();
  expect((await alarmsOf(room.path("display-2"), "state=open"))[0]!.acknowledgement).toBeNull();
});
