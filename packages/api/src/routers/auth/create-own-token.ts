import { z } from "zod";
import { CreatedToken, Name, Timestamp } from "@omniglass/contracts";
import { createToken } from "@omniglass/gateway";
import { authedProcedure, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/auth/tokens",
    tags: ["auth"],
    summary: "Issue an API token for yourself",
    description: "It acts with your grants. The secret is in this response only.",
  },
};

export const createOwnToken = authedProcedure
  .meta({ ...meta, capability: "auth:me" })
  .input(z.object({ name: Name, expiresAt: Timestamp.optional() }))
  .output(CreatedToken)
  .mutation(({ ctx, input }) =>
    createToken({
      ...ctx.gw,
      input: { id: ctx.actor.id, ...input },
    }),
  );
