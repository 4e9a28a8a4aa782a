import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { alarmsOf, pushReachable, unreachableFrom } from "./detect-seed";
import { consolePages, rest, seedEstate, type Estate } from "./seed";
import { readStack, signIn } from "./stack";

// Twenty pages a test on a shared two-core machine; traces off (other suites share the folder).
test.describe.configure({ timeout: 300_000 });
test.use({ trace: "off" });

let estate: Estate;
let pages: string[];
test.beforeAll(async () => {
  estate = await seedEstate();
  // An alarm from real ingest (the official unreachable rule), and a template rule, for their pages.
  await pushReachable(estate.component, unreachableFrom(Date.now() - 10 * 60_000));
  const [alarm] = await alarmsOf(estate.component, "state=open");
  const rules = await rest<{ items: { id: string }[] }>("GET", "/rules?filter=origin%3Dtemplate");
  // A maintenance window over the estate's campus, for its page (issue #14).
  const windowName = `pages-${Date.now().toString(36)}`;
  await rest("POST", "/maintenance-windows", {
    name: windowName,
    scope: { kind: "location", ref: estate.site },
    dtstart: "2026-12-05T22:00",
    timeZone: "Europe/London",
    duration: "2h",
    rrule: "FREQ=WEEKLY;BYDAY=SA",
  });
  pages = [
    ...consolePages(estate),
    "/maintenance",
    "/maintenance/new",
    `/maintenance/${windowName}`,
    "/silences",
    "/alarms",
    `/alarms/${alarm!.id}`,
    "/rules",
    "/rules/new",
    `/rules/${rules.items[0]!.id}`,
  ];
});

/** A page is ready when its heading is up and nothing says Loading any more. */
async function settle(page: Page) {
  await expect(page.locator("main h1").first()).toBeVisible();
  await expect(page.getByText("Loading…")).toHaveCount(0);
  await page.waitForTimeout(300);
}

/** Watches a page for console errors, uncaught exceptions and failed requests. */
function watch(page: Page) {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`exception: ${e.message}`));
  page.on("requestfailed", (r) => {
    const aborted = r.failure()?.errorText.includes("ERR_ABORTED");
    // Link prefetches (route payloads and their code) are cut short when the page moves on.
    const prefetch =
      r.headers()["next-router-prefetch"] !== undefined ||
      r.url().includes("_rsc=") ||
      new URL(r.url()).pathname.startsWith("/_next/static/");
    if (aborted && prefetch) return;
    problems.push(`failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return problems;
}

test("every console page loads without a console error or a failed request", async ({
  browser,
}) => {
  const { baseUrl } = readStack();
  const context = await browser.newContext();
  const signInPage = await context.newPage();
  await signIn(signInPage);
  await signInPage.close();
  for (const path of pages) {
    const page = await context.newPage();
    const problems = watch(page);
    // Each page loads in a fresh tab: a hard load, where hydration goes wrong if it does.
    await page.goto(`${baseUrl}${path}`);
    await settle(page);
    expect(problems, path).toEqual([]);
    page.removeAllListeners();
    await page.close();
  }
  await context.close();
});

for (const theme of ["light", "dark"] as const) {
  test(`every console page passes axe (WCAG 2.2 AA) in the ${theme} theme`, async ({ browser }) => {
    const { baseUrl } = readStack();
    const context = await browser.newContext({ colorScheme: theme });
    const page = await context.newPage();
    await signIn(page);
    const found: string[] = [];
    for (const path of pages) {
      await page.goto(`${baseUrl}${path}`);
      await settle(page);
      await expect(page.locator("html")).toHaveClass(theme === "dark" ? /dark/ : /^(?!.*dark)/);
      const result = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
        .analyze();
      for (const v of result.violations.filter(
        (v) => v.impact === "serious" || v.impact === "critical",
      ))
        found.push(
          `${path} ${v.id} (${v.impact}): ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(" "))
            .join(" | ")} ×${v.nodes.length}`,
        );
    }
    expect(found).toEqual([]);
    await context.close();
  });
}
