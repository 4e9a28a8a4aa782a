import { z } from "zod";
import { PrincipalDetail } from "@omniglass/contracts";
import { getPrincipal as getInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/principals/{id}",
    tags: ["access"],
    summary: "Get a principal with its grants and tokens",
  },
};

export const getPrincipal = capability("principal:read", { orSelf: "id" })
  .meta(meta)
  .input(z.object({ id: z.uuid() }))
  .output(PrincipalDetail)
  .query(({ ctx, input }) => getInGateway({ ...ctx.gw, id: input.id }));
