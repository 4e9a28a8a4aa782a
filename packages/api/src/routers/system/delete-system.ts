import { z } from "zod";
import { Ref } from "@omniglass/contracts";
import { deleteSystem as deleteInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/systems/{ref}",
    tags: ["estate"],
    summary: "Delete a system",
  },
};

export const deleteSystem = capability("system:delete")
  .meta(meta)
  .input(z.object({ ref: Ref }))
  .output(z.object({ id: z.uuid(), deleted: z.literal(true) }))
  .mutation(({ ctx, input }) =>
    deleteInGateway({ db: ctx.deps.db, actor: ctx.actor, meta: ctx.meta, ref: input.ref }),
  );
