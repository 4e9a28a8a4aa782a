import { z } from "zod";
import type { Meta } from "../../trpc";

export const signInMeta: Meta = {
  openapi: {
    method: "POST",
    path: "/auth/login",
    tags: ["auth"],
    summary: "Sign in with a username and password",
    description:
      "Sets the httpOnly, SameSite=Strict session cookie and the CSRF cookie whose value cookie-authenticated writes must echo in `x-csrf-token`. Repeated failures per account or per client address answer 429 with `Retry-After`.",
    protect: false,
  },
};
export const SignInInput = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(1000),
});
export const SignInOutput = z.object({
  principal: z.object({ id: z.uuid(), kind: z.literal("human"), name: z.string() }),
  expiresAt: z.iso.datetime({ offset: true }),
});
