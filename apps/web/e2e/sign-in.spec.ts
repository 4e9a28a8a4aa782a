import { expect, test } from "@playwright/test";
import { readStack, signIn } from "./stack";

test("a visitor without a session is sent to sign-in, and comes back where it was going", async ({
  page,
}) => {
  const { baseUrl, owner } = readStack();
  await page.goto(`${baseUrl}/platform`);
  await expect(page).toHaveURL(`${baseUrl}/sign-in?next=%2Fplatform`);
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);

  await page.getByLabel("Username").fill(owner.username);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Wrong username or password.");

  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${baseUrl}/platform`);
  await expect(page.getByTestId("signed-in-as")).toHaveText(owner.username);
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === "og_session")).toMatchObject({
    httpOnly: true,
    sameSite: "Strict",
  });
});

test("signing out ends the session: the API answers 401 to the old cookie", async ({ page }) => {
  const { baseUrl } = readStack();
  await signIn(page);
  const session = (await page.context().cookies()).find((c) => c.name === "og_session")!;
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  const replay = await fetch(`${baseUrl}/api/v1/auth/me`, {
    headers: { cookie: `og_session=${session.value}` },
  });
  expect(replay.status).toBe(401);
});
