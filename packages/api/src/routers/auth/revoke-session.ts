import { z } from "zod";
import { revokeOwnSession } from "@omniglass/gateway";
import { authedProcedure, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/auth/sessions/{id}",
    tags: ["auth"],
    summary: "End one of your sessions",
  },
};

export const revokeSession = authedProcedure
  .meta({ ...meta, capability: "auth:me" })
  .input(z.object({ id: z.uuid() }))
  .output(z.object({ id: z.uuid(), revoked: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    await revokeOwnSession({
      ...ctx.gw,
      principalId: ctx.actor.id,
      sessionId: input.id,
    });
    return { id: input.id, revoked: true as const };
  });
