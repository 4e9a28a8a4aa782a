import { z } from "zod";
import { Token } from "@omniglass/contracts";
import { revokeToken } from "@omniglass/gateway";
import { authedProcedure, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/auth/tokens/{tokenId}",
    tags: ["auth"],
    summary: "Revoke one of your tokens",
  },
};

export const revokeOwnToken = authedProcedure
  .meta({ ...meta, capability: "auth:me" })
  .input(z.object({ tokenId: z.uuid() }))
  .output(Token)
  .mutation(({ ctx, input }) =>
    revokeToken({
      ...ctx.gw,
      principalId: ctx.actor.id,
      tokenId: input.tokenId,
    }),
  );
