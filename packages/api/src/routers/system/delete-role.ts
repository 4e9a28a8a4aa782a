import { z } from "zod";
import { Name, Ref, SystemDetail } from "@omniglass/contracts";
import { deleteRole as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/systems/{ref}/roles/{role}",
    tags: ["estate"],
    summary: "Delete a role",
    description: `Its members stay members, filling no role.`,
  },
};

export const deleteRole = capability("system:update")
  .meta(meta)
  .input(z.object({ ref: Ref, role: Name }))
  .output(SystemDetail)
  .mutation(({ ctx, input }) =>
    inGateway({
      ...ctx.gw,
      ref: input.ref,
      role: input.role,
    }),
  );
