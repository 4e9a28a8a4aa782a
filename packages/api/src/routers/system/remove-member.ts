import { z } from "zod";
import { Ref, SystemDetail } from "@omniglass/contracts";
import { removeMember as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/systems/{ref}/members/{component}",
    tags: ["estate"],
    summary: "Remove a component from a system",
  },
};

export const removeMember = capability("system:update")
  .meta(meta)
  .input(z.object({ ref: Ref, component: Ref }))
  .output(SystemDetail)
  .mutation(({ ctx, input }) =>
    inGateway({
      ...ctx.gw,
      ref: input.ref,
      component: input.component,
    }),
  );
