import { z } from "zod";
import { PrincipalDetail } from "@omniglass/contracts";
import { setPrincipalDisabled } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/principals/{id}/enable",
    tags: ["access"],
    summary: "Enable a principal",
    description: "Sessions and tokens ended by disabling stay ended.",
  },
};

export const enablePrincipal = capability("principal:enable")
  .meta(meta)
  .input(z.object({ id: z.uuid() }))
  .output(PrincipalDetail)
  .mutation(({ ctx, input }) =>
    setPrincipalDisabled({
      ...ctx.gw,
      id: input.id,
      disabled: false,
    }),
  );
