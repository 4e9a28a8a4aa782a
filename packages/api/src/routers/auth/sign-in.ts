import { randomBytes } from "node:crypto";
import { OmniglassError } from "@omniglass/domain";
import {
  signIn as signInInGateway,
  unsafeClearSignInFailures,
  unsafeRecordSignInFailure,
  unsafeSignInWait,
} from "@omniglass/gateway";
import { CSRF_COOKIE, SESSION_COOKIE, type Context } from "../../context";
import { toTRPCError } from "../../errors";
import { publicProcedure } from "../../trpc";
import { SignInInput, SignInOutput, signInMeta } from "./sign-in.types";

function throttled(ctx: Context, retryAfterMs: number): never {
  ctx.responseHeaders.set("retry-after", String(Math.ceil(retryAfterMs / 1000)));
  throw toTRPCError(
    new OmniglassError("RATE_LIMITED", "Too many failed sign-ins; wait before trying again."),
  );
}

/** Public by nature: the one way to get a session. Throttled per account and per client address. */
export const signIn = publicProcedure
  .meta(signInMeta)
  .input(SignInInput)
  .output(SignInOutput)
  .mutation(async ({ ctx, input }) => {
    const { db, signInThrottle: limits } = ctx.deps;
    const now = Date.now();
    const accountKey = `account:${input.username.toLowerCase()}`;
    const addressKey = `address:${ctx.meta.ip ?? "unknown"}`;
    const wait = await unsafeSignInWait(db, [
      { key: accountKey, ...limits.account },
      { key: addressKey, ...limits.address },
    ]);
    if (wait > 0) throttled(ctx, wait);
    try {
      const session = await signInInGateway({
        db,
        meta: ctx.meta,
        username: input.username,
        password: input.password,
        userAgent: ctx.credentials.userAgent,
      });
      await unsafeClearSignInFailures(db, [accountKey]);
      const maxAge = Math.floor((session.expiresAt.getTime() - now) / 1000);
      ctx.responseHeaders.append(
        "set-cookie",
        `${SESSION_COOKIE}=${session.secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}`,
      );
      ctx.responseHeaders.append(
        "set-cookie",
        `${CSRF_COOKIE}=${randomBytes(24).toString("base64url")}; Path=/; SameSite=Strict; Max-Age=${maxAge}`,
      );
      return { principal: session.principal, expiresAt: session.expiresAt.toISOString() };
    } catch (error) {
      if (error instanceof OmniglassError && error.code === "UNAUTHENTICATED") {
        await unsafeRecordSignInFailure(
          db,
          [accountKey, addressKey],
          Math.max(limits.account.windowMs, limits.address.windowMs),
        );
      }
      throw error;
    }
  });
