import { z } from "zod";
import { Ref, SystemRole } from "@omniglass/contracts";
import { getSystem } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/systems/{ref}/roles",
    tags: ["estate"],
    summary: "List the roles a system needs",
  },
};

export const listRoles = capability("system:read")
  .meta(meta)
  .input(z.object({ ref: Ref }))
  .output(z.object({ items: z.array(SystemRole) }))
  .query(({ ctx, input }) =>
    getSystem({ ...ctx.gw, ref: input.ref }).then((s) => ({
      items: s.roles,
    })),
  );
