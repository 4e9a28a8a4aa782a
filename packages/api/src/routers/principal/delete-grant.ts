import { z } from "zod";
import { deleteGrant as deleteInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/principals/{id}/grants/{grantId}",
    tags: ["access"],
    summary: "Remove a grant",
    description: "Refused (409) when it is the last active owner's.",
  },
};

export const deleteGrant = capability("grant:delete")
  .meta(meta)
  .input(z.object({ id: z.uuid(), grantId: z.uuid() }))
  .output(z.object({ id: z.uuid(), deleted: z.literal(true) }))
  .mutation(({ ctx, input }) =>
    deleteInGateway({
      ...ctx.gw,
      principalId: input.id,
      grantId: input.grantId,
    }),
  );
