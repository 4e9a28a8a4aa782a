import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { readStack, signIn } from "./stack";

/*
 * Estate plans in the console (issue #15 item 5): a plan made through the API from estate files
 * is listed with its status and counts; its page shows the changes grouped by location with
 * before/after, tier and blast radius; Apply behind a confirmation applies it in one transaction
 * and it joins the history of applies. A second plan made stale by an edit through the API is
 * refused on Apply, naming what changed since its base.
 */

interface PlanAnswer {
  id: string;
  changes: number;
  status: string;
}

async function rest<T>(method: string, path: string, body?: unknown): Promise<T> {
  const { baseUrl, owner } = readStack();
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${owner.token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  expect(response.ok, `${method} ${path}: ${text}`).toBe(true);
  return JSON.parse(text) as T;
}

test("a plan made from files is reviewed, applied and in the history; a stale one is refused naming the change", async ({
  page,
}) => {
  const campus = `files-${randomUUID().slice(0, 6)}`;
  const rooms = (names: string[]) => `version: 1
locations:
  ${campus}: { type: campus, label: Files campus }
${names.map((n) => `  ${campus}.${n}: { type: room, label: Room ${n} }`).join("\n")}
`;
  const plan = (text: string) =>
    rest<PlanAnswer>("POST", "/estate/plans", {
      files: [{ path: "estate.yaml", content: text }],
    });

  const first = await plan(rooms(["r1", "r2"]));
  expect(first).toMatchObject({ changes: 3, status: "pending" });

  // Listed with its status and counts by operation.
  await signIn(page, "/estate-plans");
  const row = page.locator(`[data-testid="plan-row"][data-plan="${first.id}"]`);
  await expect(row).toContainText("pending");
  await expect(row.getByTestId("plan-counts")).toHaveText("+3");
  await expect(row).toContainText("not needed");

  // Its page: the changes grouped by location, before → after, tier and blast radius.
  await row.getByRole("link", { name: first.id.slice(0, 12) }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    `Estate plan ${first.id.slice(0, 12)}`,
  );
  const group = page.locator(`[data-testid="change-group"][data-location="${campus}.r1"]`);
  const change = group.locator(`[data-testid="plan-change"][data-address="location.${campus}.r1"]`);
  await expect(change).toContainText("create");
  await expect(change.getByTestId("field-change").first()).toContainText("(none) →");
  await expect(change.getByTestId("tier")).toHaveText("reversible");
  const campusChange = page.locator(
    `[data-testid="plan-change"][data-address="location.${campus}"]`,
  );
  await expect(campusChange.getByTestId("blast-radius")).toContainText("2 dependents");

  // Apply behind a confirmation: applied in one transaction, then in the history.
  await page.getByRole("button", { name: "Apply…" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Apply plan" }).click();
  await expect(page.getByTestId("applied")).toContainText("+3 ~0 ±0 -0");
  await expect(page.getByTestId("plan-status")).toHaveText("applied");
  await expect(page.getByRole("button", { name: "Apply…" })).toHaveCount(0);
  await page.getByRole("link", { name: "All estate plans" }).click();
  await expect(page.locator(`[data-testid="applied-row"][data-plan="${first.id}"]`)).toBeVisible();

  // A second plan, then an edit through the API: Apply is refused, naming that change.
  const second = await plan(rooms(["r1", "r2", "r3"]));
  expect(second.changes).toBe(1);
  await rest("PATCH", `/locations/${campus}.r1`, { label: "Edited by hand" });
  await page.goto(`${readStack().baseUrl}/estate-plans/${second.id}`);
  await expect(page.getByTestId("plan-status")).toHaveText("stale");
  await page.getByRole("button", { name: "Apply…" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("the server will refuse it");
  await dialog.getByRole("button", { name: "Apply plan" }).click();
  const refusal = page.getByTestId("refusal");
  await expect(refusal).toHaveAttribute("data-kind", "stale");
  await expect(refusal).toContainText("the estate changed since");
  await expect(refusal.getByTestId("refusal-items")).toContainText(`update at`);
  await expect(refusal.getByTestId("refusal-items")).toContainText(
    `by ${readStack().owner.username}`,
  );
  // Nothing was written: the third room does not exist.
  const { baseUrl, owner } = readStack();
  const missing = await fetch(`${baseUrl}/api/v1/locations/${campus}.r3`, {
    headers: { authorization: `Bearer ${owner.token}` },
  });
  expect(missing.status).toBe(404);
});
