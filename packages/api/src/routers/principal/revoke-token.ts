import { z } from "zod";
import { Token } from "@omniglass/contracts";
import { revokeToken as revokeInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/principals/{id}/tokens/{tokenId}",
    tags: ["access"],
    summary: "Revoke an API token",
  },
};

export const revokeToken = capability("token:delete")
  .meta(meta)
  .input(z.object({ id: z.uuid(), tokenId: z.uuid() }))
  .output(Token)
  .mutation(({ ctx, input }) =>
    revokeInGateway({
      ...ctx.gw,
      principalId: input.id,
      tokenId: input.tokenId,
    }),
  );
