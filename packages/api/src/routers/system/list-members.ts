import { z } from "zod";
import { Ref, SystemMember } from "@omniglass/contracts";
import { getSystem } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/systems/{ref}/members",
    tags: ["estate"],
    summary: "List the components serving a system",
  },
};

export const listMembers = capability("system:read")
  .meta(meta)
  .input(z.object({ ref: Ref }))
  .output(z.object({ items: z.array(SystemMember) }))
  .query(({ ctx, input }) =>
    getSystem({ ...ctx.gw, ref: input.ref }).then((s) => ({
      items: s.members,
    })),
  );
