import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { pushReachable, seedRoom } from "./detect-seed";
import { rest } from "./seed";
import { readStack, signIn } from "./stack";

/*
 * The rule editor (issue #13 item 7): a CEL error shown at the position the API names, a reserved
 * word refused with the way to write it, and the preview listing when a rule would have fired.
 */

/** The API's own answer to a rule body, to compare the page's position with. */
async function refusal(body: unknown) {
  const { baseUrl, owner } = readStack();
  const response = await fetch(`${baseUrl}/api/v1/rules`, {
    method: "POST",
    headers: { authorization: `Bearer ${owner.token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(400);
  return (await response.json()) as {
    errors: { field: string; message: string; line?: number; column?: number }[];
  };
}

test("a CEL error is shown at its line and column, and nothing is saved", async ({ page }) => {
  const name = `broken-${randomUUID().slice(0, 6)}`;
  const fire = 'fresh["reachable"] &&\n  signals["temperature"] >';
  const api = await refusal({ name, severity: "warning", fire });
  // The API sends the position as fields; the page reads those, not the message text.
  const line = String(api.errors[0]!.line);
  const column = String(api.errors[0]!.column);
  expect(line).toBe("2");
  expect(api.errors[0]!.message).toContain(`line ${line}, column ${column}`);

  await signIn(page, "/rules/new");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Fires when (CEL)").fill(fire);
  await page.getByRole("button", { name: "Create rule" }).click();
  const problem = page.getByTestId("fire-problem");
  await expect(problem).toBeVisible();
  await expect(problem).toHaveAttribute("data-line", line!);
  await expect(problem).toHaveAttribute("data-column", column!);
  await expect(problem).toContainText(`line ${line}, column ${column}`);
  // The offending line, with the caret under the column.
  const caret = (await page.getByTestId("fire-caret").textContent())!.split("\n");
  expect(caret[0]).toBe('  signals["temperature"] >');
  expect(caret[1]!.indexOf("^")).toBe(Number(column) - 1);
  await expect(page.getByLabel("Fires when (CEL)")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/rules\/new$/);

  // A reserved word as a field name is refused on the clear expression, saying what to write.
  await page.getByLabel("Fires when (CEL)").fill('signals["temperature"] > 70');
  await page.getByLabel("Clears when (CEL, optional)").fill('signals["info"].type == "ok"');
  await page.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByTestId("fire-problem")).toHaveCount(0);
  await expect(page.getByTestId("clear-problem")).toContainText('write ["type"] instead');
});

test("the preview lists when a draft and the saved rule would have fired and cleared", async ({
  page,
}) => {
  const room = await seedRoom("rules", ["projector"]);
  const owner = room.path("projector");
  // Three hours ago it stopped answering for 10 minutes, then answered again.
  const t0 = Date.now() - 3 * 60 * 60_000;
  await pushReachable(owner, [
    ...Array.from({ length: 11 }, (_, i): [number, boolean] => [t0 + i * 60_000, false]),
    [t0 + 11 * 60_000, true],
    [t0 + 12 * 60_000, true],
  ]);
  const name = `projector-down-${randomUUID().slice(0, 6)}`;
  await signIn(page, "/rules/new");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Severity").selectOption("warning");
  await page.getByLabel("Fires when (CEL)").fill('signals["reachable"] == false');
  await page.getByLabel("Sustain (seconds)").fill("120");
  await page.getByLabel("Applies to").selectOption("owner");
  await page.getByLabel("Component", { exact: true }).fill(owner);
  await page.getByRole("button", { name: "Preview this draft" }).click();
  const episodes = page.getByTestId("preview-episode");
  await expect(episodes).toHaveCount(1);
  await expect(episodes.first()).toHaveAttribute("data-owner", owner);
  await expect(page.getByTestId("preview-summary")).toContainText("Would have fired 1 time");
  const [fired, cleared] = await episodes
    .first()
    .locator("time")
    .evaluateAll((times) => times.map((t) => t.getAttribute("datetime")));
  expect(Date.parse(fired!)).toBe(t0 + 120_000);
  expect(Date.parse(cleared!)).toBe(t0 + 11 * 60_000);

  // A shorter window sees nothing; the saved rule previews as saved.
  await page.getByLabel("Over the last").selectOption("1");
  await page.getByRole("button", { name: "Preview this draft" }).click();
  await expect(page.getByTestId("preview-result")).toContainText("It would not have fired.");
  await page.getByRole("button", { name: "Create rule" }).click();
  await expect(page).toHaveURL(new RegExp(`/rules/${name}$`));
  await page.getByLabel("Over the last").selectOption("24");
  await page.getByRole("button", { name: "Preview the saved rule" }).click();
  await expect(page.getByTestId("preview-episode")).toHaveCount(1);
});

test("a template rule is read-only but for switching it off and on", async ({ page }) => {
  await signIn(page, "/rules?origin=template&template=http-json-display");
  await page
    .locator('[data-testid="rule-row"][data-rule="unreachable"]')
    .first()
    .getByRole("link")
    .click();
  await expect(page.getByRole("note")).toContainText("only switching it off or on is yours");
  await expect(page.getByLabel("Fires when (CEL)")).toBeDisabled();
  await expect(page.getByRole("button", { name: /Save rule|Delete/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Preview the saved rule" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Disable rule" })).toBeVisible();
});

test("an operator disables a template rule behind a confirmation, and enables it again", async ({
  page,
}) => {
  // pjlink-projector's lamp-failed: no other browser test relies on it.
  const rules = await rest<{ items: { id: string; name: string; enabled: boolean }[] }>(
    "GET",
    "/rules?filter=origin%3Dtemplate%20template%3Dpjlink-projector&page_size=100",
  );
  const rule = rules.items.find((r) => r.name === "lamp-failed")!;
  expect(rule.enabled).toBe(true);
  await signIn(page, `/rules/${rule.id}`);
  const toggle = page.getByTestId("rule-enabled");
  await expect(toggle).toContainText("Enabled");
  // Dismissing the confirmation changes nothing.
  page.once("dialog", (d) => void d.dismiss());
  await toggle.getByRole("button", { name: "Disable rule" }).click();
  await expect(toggle.getByRole("button", { name: "Disable rule" })).toBeVisible();
  expect((await rest<{ enabled: boolean }>("GET", `/rules/${rule.id}`)).enabled).toBe(true);

  page.once("dialog", (d) => void d.accept());
  await toggle.getByRole("button", { name: "Disable rule" }).click();
  await expect(page.getByTestId("rule-enabled")).toContainText("Disabled: it judges nothing.");
  await expect(page.getByLabel("Enabled", { exact: true })).not.toBeChecked();
  expect((await rest<{ enabled: boolean }>("GET", `/rules/${rule.id}`)).enabled).toBe(false);
  await page.reload();
  await page.getByTestId("rule-enabled").getByRole("button", { name: "Enable rule" }).click();
  await expect(page.getByTestId("rule-enabled")).toContainText("Enabled: it judges");
  const after = await rest<{ enabled: boolean; version: number }>("GET", `/rules/${rule.id}`);
  expect(after.enabled).toBe(true);
  // Both switches are in the audit log.
  const audit = await rest<{ items: unknown[] }>(
    "GET",
    `/audit-log?resource=rule&resource_id=${rule.id}`,
  );
  expect(audit.items).toHaveLength(2);
});

test("a viewer is offered no switch on a template rule", async ({ page }) => {
  const viewer = {
    username: `viewer-rules-${randomUUID().slice(0, 6)}`,
    password: "viewer password 123",
  };
  const { id } = await rest<{ id: string }>("POST", "/principals", {
    kind: "human",
    name: viewer.username,
    password: viewer.password,
  });
  await rest("POST", `/principals/${id}/grants`, { role: "viewer", scope: { kind: "all" } });
  const rules = await rest<{ items: { id: string; name: string }[] }>(
    "GET",
    "/rules?filter=origin%3Dtemplate%20template%3Dpjlink-projector&page_size=100",
  );
  const rule = rules.items.find((r) => r.name === "lamp-failed")!;
  await signIn(page, `/rules/${rule.id}`, viewer);
  await expect(page.getByLabel("Fires when (CEL)")).toBeDisabled();
  await expect(page.getByTestId("rule-enabled")).toHaveCount(0);
});
