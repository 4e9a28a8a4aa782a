import { timingSafeEqual } from "node:crypto";
import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { RequestMeta } from "@omniglass/contracts";
import { hasCapability, OmniglassError, type Actor } from "@omniglass/domain";
import {
  isConstraintConflict,
  isDatabaseUnavailable,
  unsafeAuthenticateSession,
  unsafeAuthenticateToken,
} from "@omniglass/gateway";
import type { Context } from "./context";
import { toPublicError, toTRPCError } from "./errors";

/**
 * Every procedure's meta: its OpenAPI operation, the one capability it requires and, when not
 * 200, the status of its success over REST (`202` for the push API).
 */
export type Meta = OpenApiMeta<{
  capability?: string;
  successStatus?: number;
  /** The input field naming a principal that may call this on itself without the capability. */
  self?: string;
}>;

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    errorFormatter({ shape, error, ctx }) {
      const publicError = toPublicError(error);
      return {
        code: shape.code,
        message: publicError.detail,
        data: {
          code: publicError.code,
          httpStatus: publicError.status,
          title: publicError.title,
          detail: publicError.detail,
          path: shape.data.path,
          requestId: ctx?.meta.requestId ?? null,
          fieldErrors: publicError.fieldErrors,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * The base of the ladder: every call is timed and counted by procedure, transport and outcome,
 * and a domain error thrown below becomes the matching tRPC error (with its cause kept).
 */
const observed = t.procedure.use(async ({ ctx, path, next }) => {
  const started = performance.now();
  const result = await next();
  const error = result.ok ? null : normalize(result.error);
  ctx.deps.metrics.observeCall(
    {
      procedure: path,
      transport: ctx.meta.source,
      outcome: error ? toPublicError(error).code : "ok",
    },
    (performance.now() - started) / 1000,
  );
  if (error && !result.ok && error !== result.error) throw error;
  return result;
});

/** Domain errors keep their code; a lost race is 409 and an unreachable database 503, never 500. */
function normalize(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (cause instanceof OmniglassError) return toTRPCError(cause);
  if (error.code === "INTERNAL_SERVER_ERROR" && isConstraintConflict(cause)) {
    return toTRPCError(
      new OmniglassError(
        "CONFLICT",
        "This conflicts with a change made at the same time; read it again and retry.",
        { cause },
      ),
    );
  }
  if (error.code === "INTERNAL_SERVER_ERROR" && isDatabaseUnavailable(cause)) {
    return toTRPCError(
      new OmniglassError("UNAVAILABLE", "The database is unreachable; retry shortly.", { cause }),
    );
  }
  return error;
}

/**
 * Open to anyone who can reach the server (loopback or a trusted network): liveness and sign-in
 * only. Everything else is `capability(...)`, enforced by the guard test of the security suite.
 */
export const publicProcedure = observed;

/**
 * The caller must present a credential that resolves to an enabled principal: a bearer token
 * (REST, CLI, automation) or the console's session cookie. Otherwise 401, before any handler runs.
 * Procedures get one gateway context, `ctx.gw` (`{ db, actor, meta }`), to hand to the gateway.
 */
export const authedProcedure = observed.use(async ({ ctx, type, next }) => {
  const { db } = ctx.deps;
  const { bearer, session, csrfCookie, csrfHeader } = ctx.credentials;
  // A write authenticated by the browser's cookie must also carry the CSRF token the page read
  // from its own cookie (double submit); bearer tokens are not sent by browsers on their own.
  if (
    !bearer &&
    session &&
    type === "mutation" &&
    (!csrfCookie || !csrfHeader || !safeEqual(csrfCookie, csrfHeader))
  ) {
    throw toTRPCError(
      new OmniglassError(
        "FORBIDDEN",
        "Missing or wrong CSRF token: reload the page and try again.",
      ),
    );
  }
  const actor = bearer
    ? await unsafeAuthenticateToken({ db, secret: bearer })
    : session
      ? await unsafeAuthenticateSession({ db, secret: session })
      : null;
  if (!actor) {
    throw toTRPCError(
      new OmniglassError(
        "UNAUTHENTICATED",
        "Sign in, or send a valid API token as `Authorization: Bearer og_…`.",
      ),
    );
  }
  const who = { id: actor.id, kind: actor.kind };
  const meta: RequestMeta = { ...ctx.meta, actor: who, realActor: who };
  const gw: GatewayContext = { db, actor, meta };
  return next({ ctx: { ...ctx, actor, meta, gw } });
});

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** What every gateway use case takes from a request: the pool, who asks, and the request's metadata. */
export interface GatewayContext {
  db: Context["deps"]["db"];
  actor: Actor;
  meta: RequestMeta;
}

/**
 * The one capability a procedure requires, `<resource>:<action>`. Checked before the handler
 * (403 when no grant of the caller carries it anywhere); the gateway then applies its scope.
 *
 * `orSelf` names the input field holding a principal id: a caller addressing itself passes without
 * the capability (anyone may read themselves); the gateway still decides what it may see there.
 */
export function capability(name: string, { orSelf }: { orSelf?: string } = {}) {
  return authedProcedure
    .meta({ capability: name, ...(orSelf ? { self: orSelf } : {}) })
    .use(async ({ ctx, next, getRawInput }) => {
      if (!hasCapability(ctx.actor, name) && !(orSelf && (await addressesSelf()))) {
        throw toTRPCError(new OmniglassError("FORBIDDEN", `This needs the ${name} permission.`));
      }
      return next({ ctx: { ...ctx, actor: ctx.actor } });

      async function addressesSelf() {
        const raw = (await getRawInput().catch(() => undefined)) as
          Record<string, unknown> | undefined;
        return typeof raw === "object" && raw !== null && raw[orSelf!] === ctx.actor.id;
      }
    });
}

export { TRPCError };
