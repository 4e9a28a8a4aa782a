import { randomBytes } from "node:crypto";
import { OmniglassError } from "@omniglass/domain";
import { signIn as signInInGateway } from "@omniglass/gateway";
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
    const { account, address } = ctx.deps.signInThrottle;
    const now = Date.now();
    const accountKey = input.username.toLowerCase();
    const addressKey = ctx.meta.ip ?? "unknown";
    const wait = Math.max(
      account.retryAfterMs(accountKey, now),
      address.retryAfterMs(addressKey, now),
    );
    if (wait > 0) throttled(ctx, wait);
    try {
      const session = await signInInGateway({
        db: ctx.deps.db,
        meta: ctx.meta,
        username: input.username,
        password: input.password,
        userAgent: ctx.credentials.userAgent,
      });
      account.reset(accountKey);
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
        account.fail(accountKey, now);
        address.fail(addressKey, now);
      }
      throw error;
    }
  });
