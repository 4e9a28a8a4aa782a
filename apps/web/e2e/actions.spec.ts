import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook } from "@omniglass/gateway";
import { pushReachable, seedRoom, unreachableFrom } from "./detect-seed";
import { signIn } from "./stack";

/*
 * Webhook endpoints, action rules and deliveries in the console (issue #14 items 5, 7), against
 * the stack's real worker and a receiver this spec runs on loopback: an endpoint created (its
 * secret shown once), Send test shows the delivered result as the worker sends it, the delivered
 * row is in the endpoint's deliveries and the log; an action rule over a room sends the alarm a
 * fault there opens, and the deliveries page shows that delivery with its attempts in the drawer.
 * The receiver checks every signature with the secret the console showed.
 */

interface Received {
  id: string;
  type: string;
  verified: boolean;
}

let server: Server;
let port = 0;
let secret = "";
const received: Received[] = [];

test.beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = req.headers as Record<string, string>;
      received.push({
        id: headers["webhook-id"] ?? "",
        type: (JSON.parse(body) as { type: string }).type,
        verified: verifyWebhook({ secrets: secret, headers, body, now: new Date() }).ok,
      });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("received by the e2e receiver");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  port = (server.address() as AddressInfo).port;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test("an endpoint, a test delivery, an action rule and the alarm it sends, in the console", async ({
  page,
}) => {
  page.on("dialog", (dialog) => void dialog.accept());
  const room = await seedRoom("act", ["display"]);
  const name = `hook-${randomUUID().slice(0, 6)}`;
  const ruleName = `pages-${randomUUID().slice(0, 6)}`;

  // A new endpoint: the secret is shown once, then the endpoint is listed.
  await signIn(page, "/webhook-endpoints");
  await page.getByRole("button", { name: "New endpoint" }).click();
  const form = page.getByRole("form", { name: "New endpoint" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("URL").fill(`http://127.0.0.1:${port}/hook`);
  await form.getByRole("button", { name: "Create endpoint" }).click();
  const issued = page.getByTestId("issued-secret");
  await expect(issued).toBeVisible();
  secret = (await issued.getByTestId("secret").textContent())!.trim();
  expect(secret).toMatch(/^whsec_/);
  const row = page.locator(`[data-testid="endpoint-row"][data-endpoint="${name}"]`);
  await expect(row).toContainText(`http://127.0.0.1:${port}/hook`);
  await expect(row).toContainText("enabled");
  await issued.getByRole("button", { name: "I have stored it" }).click();
  await expect(page.getByTestId("issued-secret")).toHaveCount(0);

  // Send test: the result arrives as the worker delivers it, verified by the receiver.
  await row.getByRole("link", { name }).click();
  await expect(page).toHaveURL(new RegExp(`/webhook-endpoints/${name}$`));
  await expect(page.getByTestId("no-rules")).toBeVisible();
  await page.getByRole("button", { name: "Send test" }).click();
  const result = page.getByTestId("test-result");
  await expect(result).toHaveAttribute("data-status", "delivered", { timeout: 20_000 });
  await expect(result).toContainText("HTTP 200");
  await expect(result).toContainText("received by the e2e receiver");
  expect(received.filter((r) => r.type === "webhook.test")).toEqual([
    expect.objectContaining({ verified: true }),
  ]);
  await expect(
    page.locator('[data-testid="endpoint-delivery"][data-status="delivered"]'),
  ).toHaveCount(1);
  await expect(page.getByTestId("endpoint-state")).toHaveText("enabled");

  // The delivered test in the log, its attempt in the drawer.
  await page.getByRole("link", { name: "The full log" }).click();
  await expect(page).toHaveURL(/\/deliveries\?endpoint=/);
  const logged = page.locator('[data-testid="delivery-row"][data-event="webhook.test"]');
  await expect(logged).toHaveAttribute("data-status", "delivered");
  await logged.getByRole("button", { name: "Details" }).click();
  const drawer = page.getByTestId("delivery-drawer");
  await expect(drawer.getByTestId("attempt-row")).toHaveCount(1);
  await expect(drawer.getByTestId("attempt-row")).toContainText("200");
  await expect(drawer).toContainText("received by the e2e receiver");
  await expect(page).toHaveURL(/delivery=msg_/);
  await drawer.getByRole("button", { name: "Close" }).click();

  // An action rule over the room: critical openings go to the endpoint.
  await page.goto(page.url().replace(/\/deliveries.*/, "/action-rules"));
  await page.getByRole("button", { name: "New action rule" }).click();
  const ruleForm = page.getByRole("form", { name: "New action rule" });
  await ruleForm.getByLabel("Name").fill(ruleName);
  await ruleForm.getByLabel("critical").check();
  await ruleForm.getByLabel("opened", { exact: true }).check();
  await ruleForm.getByLabel("Applies to").selectOption("location");
  await ruleForm.getByLabel("Location", { exact: true }).selectOption(room.site);
  await ruleForm.getByLabel(name).check();
  await ruleForm.getByRole("button", { name: "Create action rule" }).click();
  const ruleRow = page.locator(`[data-testid="action-rule-row"][data-rule="${ruleName}"]`);
  await expect(ruleRow).toContainText(`in or below ${room.site}`);
  await expect(ruleRow).toContainText("critical · opened · not suppressed");
  await expect(ruleRow.getByRole("link", { name })).toBeVisible();

  // A fault in the room opens a critical alarm: the rule sends it, the log shows it delivered.
  await pushReachable(room.path("display"), unreachableFrom(Date.now() - 4 * 60_000));
  await page.goto(page.url().replace(/\/action-rules.*/, `/deliveries?endpoint=${name}`));
  const opened = page.locator('[data-testid="delivery-row"][data-event="alarm.opened"]');
  await expect(opened).toHaveAttribute("data-status", "delivered", { timeout: 30_000 });
  await expect(opened.getByRole("link", { name: /alarm #1/ })).toBeVisible();
  await page.getByRole("button", { name: "Delivered", exact: true }).click();
  await expect(page).toHaveURL(/status=delivered/);
  await expect(page.getByTestId("delivery-row")).toHaveCount(2);
  await page.getByRole("button", { name: "Dead", exact: true }).click();
  await expect(page.getByTestId("deliveries-empty")).toContainText("No delivery matches");
  const opening = received.find((r) => r.type === "alarm.opened");
  expect(opening?.verified).toBe(true);
});
