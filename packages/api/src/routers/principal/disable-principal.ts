import { z } from "zod";
import { PrincipalDetail } from "@omniglass/contracts";
import { setPrincipalDisabled } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/principals/{id}/disable",
    tags: ["access"],
    summary: "Disable a principal",
    description:
      "Ends its sessions and revokes its tokens at once. Refused (409) for the last active owner.",
  },
};

export const disablePrincipal = capability("principal:disable")
  .meta(meta)
  .input(z.object({ id: z.uuid() }))
  .output(PrincipalDetail)
  .mutation(({ ctx, input }) =>
    setPrincipalDisabled({
      ...ctx.gw,
      id: input.id,
      disabled: true,
    }),
  );
