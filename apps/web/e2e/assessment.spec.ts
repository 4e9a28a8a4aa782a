import { readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { seedEstate } from "./seed";
import { signIn } from "./stack";

/**
 * The console's Assessment button (issue #16 §6): in a location's and a system's header, it
 * downloads the server's assessment of that subtree as Markdown or JSON with the session cookie.
 */
test("downloads the assessment of a location as Markdown and of a system as JSON", async ({
  page,
}) => {
  const estate = await seedEstate();
  await signIn(page, `/locations/${encodeURIComponent(estate.room)}`);
  await page.getByRole("button", { name: "Assessment" }).click();
  // Open, the downloads pass axe as the closed header does (pages.spec.ts).
  const axe = await new AxeBuilder({ page })
    .include("main")
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual(
    [],
  );
  const [markdown] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Markdown" }).click(),
  ]);
  expect(markdown.suggestedFilename()).toBe(`assessment-${estate.room}.md`);
  const md = await readFile((await markdown.path())!, "utf8");
  expect(md).toMatch(new RegExp(`^# Assessment of ${estate.room.replace(/\./g, "\\.")}$`, "m"));
  expect(md).toContain(`### ${estate.system}`);
  expect(md).toContain(`### ${estate.component}`);
  expect(md).toContain("| Requested by |");

  await page.goto(
    page.url().replace(/\/locations\/.*$/, `/systems/${encodeURIComponent(estate.system)}`),
  );
  await page.getByRole("button", { name: "Assessment" }).click();
  const [json] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "JSON" }).click(),
  ]);
  expect(json.suggestedFilename()).toBe(`assessment-${estate.system}.json`);
  const document = JSON.parse(await readFile((await json.path())!, "utf8")) as {
    scope: { kind: string; path: string };
    systems: { path: string }[];
    components: { path: string; monitored: boolean }[];
  };
  expect(document.scope).toEqual({ kind: "system", ref: estate.system, path: estate.system });
  expect(document.systems.map((s) => s.path)).toEqual([estate.system]);
  expect(document.components.map((c) => c.path)).toEqual([
    `${estate.room}.display-1`,
    `${estate.room}.display-2`,
  ]);
});
