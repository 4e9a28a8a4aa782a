import { expect, test } from "@playwright/test";
import { readStack, signIn } from "./stack";

test.describe("the console shell", () => {
  test("opens on the brief status with only built sections in the navigation", async ({ page }) => {
    const { baseUrl } = readStack();
    await signIn(page);
    await page.goto(`${baseUrl}/`);
    await expect(page).toHaveURL(`${baseUrl}/`);
    await expect(page.getByRole("heading", { level: 1, name: "Brief status" })).toBeVisible();
    const links = page.getByRole("navigation", { name: "Main" }).getByRole("link");
    // An owner is offered every built section, and nothing else.
    await expect(links).toHaveText([
      "Brief status",
      "Platform",
      "Collectors & workers",
      "Schedules",
      "Alarms",
      "Estate",
      "Estate plans",
      "Locations",
      "Systems",
      "Components",
      "Templates",
      "Signals",
      "Rules",
      "Maintenance",
      "Silences",
      "Action rules",
      "Webhook endpoints",
      "Deliveries",
      "Nodes",
      "People & services",
      "Roles",
      "Audit log",
      "Profile",
      "API reference",
    ]);
    await expect(links.first()).toHaveAttribute("aria-current", "page");
  });

  test("switches between light and dark themes and remembers the choice", async ({ page }) => {
    const { baseUrl } = readStack();
    await page.emulateMedia({ colorScheme: "light" });
    await signIn(page);
    await page.goto(`${baseUrl}/platform`);
    const html = page.locator("html");
    await expect(html).not.toHaveClass(/dark/);
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await expect(html).toHaveClass(/dark/);
    await page.reload();
    await expect(html).toHaveClass(/dark/);
    await page.getByRole("button", { name: "Switch to light theme" }).click();
    await expect(html).not.toHaveClass(/dark/);
  });

  test("serves the API reference without a CDN", async ({ page }) => {
    const { baseUrl } = readStack();
    const external: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(baseUrl) && !request.url().startsWith("data:"))
        external.push(request.url());
    });
    await page.goto(`${baseUrl}/api/docs`);
    await expect(page.getByText("List worker processes").first()).toBeVisible({ timeout: 20_000 });
    expect(external.filter((url) => /\.js(\?|$)/.test(url))).toEqual([]);
  });

  test("serves the template JSON Schema without a credential", async ({ request }) => {
    const { baseUrl } = readStack();
    const response = await request.get(`${baseUrl}/api/template.schema.json`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("application/schema+json");
    const schema = (await response.json()) as { title: string; required: string[] };
    expect(schema.title).toBe("Omniglass template document");
    expect(schema.required).toContain("interfaces");
  });
});
