import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { pushReachable } from "./detect-seed";
import { readStack, signIn } from "./stack";

/*
 * Estate plans in the console (issue #15 item 5): a plan made through the API from estate files
 * is listed with its status and counts; its page shows the changes grouped by location with
 * before/after, tier and blast radius; Apply behind a confirmation applies it in one transaction
 * and it joins the history of applies. Deleting a component with history is irreversible: its
 * plan needs an approval, refused on Apply until another admin approves it in the console. A plan
 * made stale by an edit through the API is refused on Apply, naming what changed since its base.
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

test("a plan made from files is reviewed, applied and in the history; an irreversible one waits for another admin's approval; a stale one is refused naming the change", async ({
  page,
}) => {
  const campus = `files-${randomUUID().slice(0, 6)}`;
  const display = `${campus}.r1.display`;
  const rooms = (names: string[], withDisplay = false) => `version: 1
locations:
  ${campus}: { type: campus, label: Files campus }
${names.map((n) => `  ${campus}.${n}: { type: room, label: Room ${n} }`).join("\n")}
${withDisplay ? `components:\n  ${display}: { template: http-json-display@1, address: 10.9.0.1 }\n` : ""}`;
  const plan = (text: string) =>
    rest<PlanAnswer>("POST", "/estate/plans", {
      files: [{ path: "estate.yaml", content: text }],
    });

  // A second admin, to approve (made first: a new grant changes the estate's revision).
  const approver = {
    username: `approver-${randomUUID().slice(0, 6)}`,
    password: "approver password 123",
  };
  const { id: approverId } = await rest<{ id: string }>("POST", "/principals", {
    kind: "human",
    name: approver.username,
    password: approver.password,
  });
  await rest("POST", `/principals/${approverId}/grants`, { role: "admin", scope: { kind: "all" } });

  const first = await plan(rooms(["r1", "r2"], true));
  expect(first).toMatchObject({ changes: 4, status: "pending" });

  // Listed with its status and counts by operation.
  await signIn(page, "/estate-plans");
  const row = page.locator(`[data-testid="plan-row"][data-plan="${first.id}"]`);
  await expect(row).toContainText("pending");
  await expect(row.getByTestId("plan-counts")).toHaveText("+4");
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
  await expect(
    page.locator(
      `[data-testid="change-group"][data-location="${campus}.r1"] [data-address="component.${display}"]`,
    ),
  ).toContainText("template.http-json-display@1");

  // Apply behind a confirmation: applied in one transaction, then in the history.
  await page.getByRole("button", { name: "Apply…" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Apply plan" }).click();
  await expect(page.getByTestId("applied")).toContainText("+4 ~0 ±0 -0");
  await expect(page.getByTestId("plan-status")).toHaveText("applied");
  await expect(page.getByRole("button", { name: "Apply…" })).toHaveCount(0);
  // The objects it wrote say they are managed by the files.
  await page.goto(`${readStack().baseUrl}/components/${encodeURIComponent(display)}`);
  await expect(page.getByTestId("managed-by")).toContainText(
    `Managed by estate file: written by the apply of plan ${first.id.slice(0, 12)}`,
  );
  await page.goto(`${readStack().baseUrl}/estate-plans/${first.id}`);
  await page.getByRole("link", { name: "All estate plans" }).click();
  await expect(page.locator(`[data-testid="applied-row"][data-plan="${first.id}"]`)).toBeVisible();

  // The display reports a sample (it has history now); a plan deleting it is irreversible.
  await pushReachable(display, [[Date.now() - 1000, true]]);
  const removal = await plan(rooms(["r1", "r2"]));
  expect(removal.changes).toBe(1);
  await page.goto(`${readStack().baseUrl}/estate-plans/${removal.id}`);
  const deletion = page.locator(`[data-testid="plan-change"][data-address="component.${display}"]`);
  await expect(deletion).toHaveAttribute("data-operation", "delete");
  await expect(deletion.getByTestId("tier")).toHaveText("irreversible");
  await expect(deletion).toContainText("needs approval (irreversible)");
  await expect(page.getByTestId("plan-approvals")).toContainText("awaiting approval");
  // The planner cannot approve; applying before an approval is refused, naming it.
  await expect(page.getByRole("button", { name: "Approve…" })).toHaveCount(0);
  await page.getByRole("button", { name: "Apply…" }).click();
  await expect(page.getByRole("dialog")).toContainText("1 change(s) are irreversible");
  await page.getByRole("dialog").getByRole("button", { name: "Apply plan" }).click();
  await expect(page.getByTestId("refusal")).toHaveAttribute("data-kind", "approval");
  await expect(page.getByTestId("refusal-items")).toContainText(`component.${display}`);

  // Another admin approves it in the console, then applies it.
  await page.context().clearCookies();
  await signIn(page, `/estate-plans/${removal.id}`, approver);
  await page.getByRole("button", { name: "Approve…" }).click();
  await page.getByRole("dialog").getByLabel("Comment (optional)").fill("display retired");
  await page.getByRole("dialog").getByRole("button", { name: "Approve plan" }).click();
  await expect(page.getByTestId("plan-status")).toHaveText("approved");
  await expect(page.getByTestId("plan-approvals")).toContainText(
    `approved by ${approver.username}`,
  );
  await expect(page.getByTestId("plan-approvals")).toContainText("display retired");
  await page.getByRole("button", { name: "Apply…" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Apply plan" }).click();
  await expect(page.getByTestId("applied")).toContainText("+0 ~0 ±0 -1");

  // A further plan, then an edit through the API: Apply is refused, naming that change.
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
