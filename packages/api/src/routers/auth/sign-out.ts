import { z } from "zod";
import { signOut as signOutInGateway } from "@omniglass/gateway";
import { CSRF_COOKIE, SESSION_COOKIE } from "../../context";
import { authedProcedure, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/auth/logout",
    tags: ["auth"],
    summary: "Sign out (end this session)",
  },
};

/** Ends the session the cookie names and clears the cookies; with a bearer token it only clears cookies. */
export const signOut = authedProcedure
  .meta({ ...meta, capability: "auth:me" })
  .input(z.void())
  .output(z.object({ signedOut: z.literal(true) }))
  .mutation(async ({ ctx }) => {
    if (ctx.credentials.session)
      await signOutInGateway({ ...ctx.gw, secret: ctx.credentials.session });
    for (const name of [SESSION_COOKIE, CSRF_COOKIE]) {
      ctx.responseHeaders.append("set-cookie", `${name}=; Path=/; SameSite=Strict; Max-Age=0`);
    }
    return { signedOut: true as const };
  });
