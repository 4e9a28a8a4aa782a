import { z } from "zod";
import { listOwnSessions } from "@omniglass/gateway";
import { authedProcedure, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: { method: "GET", path: "/auth/sessions", tags: ["auth"], summary: "Your live sessions" },
};

const Session = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime({ offset: true }),
  lastSeenAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean().describe("The session making this request."),
});

export const listSessions = authedProcedure
  .meta({ ...meta, capability: "auth:me" })
  .input(z.void())
  .output(z.object({ items: z.array(Session) }))
  .query(async ({ ctx }) => ({
    items: await listOwnSessions({
      db: ctx.deps.db,
      principalId: ctx.actor.id,
      currentSecret: ctx.credentials.session,
    }),
  }));
