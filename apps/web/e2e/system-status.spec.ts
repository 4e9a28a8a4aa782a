import { expect, test, type Page } from "@playwright/test";
import { isProcessAlive, startNatsServer } from "@omniglass/infra";
import { readStack, signIn, writeStack } from "./stack";

const dependency = (page: Page, name: "database" | "nats") =>
  page.getByTestId(`dependency-${name}`);

async function healthStatus(baseUrl: string): Promise<number> {
  return fetch(`${baseUrl}/api/healthz`).then(
    (r) => r.status,
    () => 0,
  );
}

test("shows every dependency and the worker live", async ({ page }) => {
  await signIn(page);
  await expect(dependency(page, "database")).toHaveAttribute("data-status", "up");
  await expect(dependency(page, "nats")).toHaveAttribute("data-status", "up");
  await expect(dependency(page, "database")).toContainText("Source: SELECT 1");
  await expect(
    page.getByTestId("worker-row").filter({ has: page.locator("[data-status=running]") }),
  ).toHaveCount(1);
  await expect(page.getByTestId("worker-row").first()).toContainText("OG_PRESENCE/presence");
});

test("a NATS outage turns health red within 5 s and shows when NATS was last seen; web and worker recover by themselves", async ({
  page,
}) => {
  const stack = readStack();
  const { baseUrl } = stack;
  await signIn(page);
  await expect(dependency(page, "nats")).toHaveAttribute("data-status", "up");
  const workerRow = page.getByTestId("worker-row").first();
  await expect(workerRow).toHaveAttribute("data-state", "running");
  const workerId = await workerRow.locator(".font-mono").first().textContent();

  // Stop nats-server.
  const stoppedAt = Date.now();
  process.kill(stack.nats.pid, "SIGTERM");
  await expect.poll(() => healthStatus(baseUrl), { timeout: 5_000, intervals: [100] }).toBe(503);
  const detectedMs = Date.now() - stoppedAt;
  test.info().annotations.push({ type: "healthz 503 after", description: `${detectedMs} ms` });
  expect(detectedMs).toBeLessThan(5_000);
  const health = (await (await fetch(`${baseUrl}/api/healthz`)).json()) as {
    db: { status: string };
    nats: { status: string };
  };
  expect(health).toMatchObject({ db: { status: "up" }, nats: { status: "down" } });

  // The page says NATS is down, and when it was last seen up (before the stop), not "never".
  await expect(dependency(page, "nats")).toHaveAttribute("data-status", "down");
  await expect(dependency(page, "database")).toHaveAttribute("data-status", "up");
  const lastUp = await dependency(page, "nats")
    .getByTestId("last-up")
    .locator("time")
    .getAttribute("datetime");
  expect(lastUp).not.toBeNull();
  // Last seen up before the outage was detected (the server may answer a probe while it shuts down).
  expect(new Date(lastUp!).getTime()).toBeLessThan(stoppedAt + detectedMs);
  expect(new Date(lastUp!).getTime()).toBeGreaterThan(stoppedAt - 10_000);
  await expect(dependency(page, "nats").getByTestId("error")).not.toBeEmpty();

  // Start nats-server again on the same port and data: web and worker reconnect without a restart.
  const nats = await startNatsServer({
    dataDir: stack.nats.dataDir,
    port: stack.nats.port,
    monitorPort: stack.nats.monitorPort,
  });
  const restartedAt = Date.now();
  writeStack({ ...stack, nats: { ...stack.nats, pid: nats.process.child.pid ?? 0 } });
  await expect.poll(() => healthStatus(baseUrl), { timeout: 15_000, intervals: [200] }).toBe(200);
  await expect(dependency(page, "nats")).toHaveAttribute("data-status", "up", { timeout: 15_000 });
  await expect
    .poll(
      async () => {
        const row = page.getByTestId("worker-row").filter({ hasText: workerId ?? "" });
        const seen = await row.getByRole("cell").nth(2).locator("time").getAttribute("datetime");
        return seen ? new Date(seen).getTime() > restartedAt : false;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  await expect(page.getByTestId("worker-row").filter({ hasText: workerId ?? "" })).toHaveAttribute(
    "data-state",
    "running",
  );
  expect(isProcessAlive(stack.webPid), "the web process was not restarted").toBe(true);
  expect(isProcessAlive(stack.workerPid), "the worker process was not restarted").toBe(true);
});
