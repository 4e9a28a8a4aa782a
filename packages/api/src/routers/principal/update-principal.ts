import { PrincipalDetail, UpdatePrincipalInput } from "@omniglass/contracts";
import { updatePrincipal as updateInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "PATCH",
    path: "/principals/{id}",
    tags: ["access"],
    summary: "Change a principal's label, email or password",
  },
};

export const updatePrincipal = capability("principal:update", { orSelf: "id" })
  .meta(meta)
  .input(UpdatePrincipalInput)
  .output(PrincipalDetail)
  .mutation(({ ctx, input }) => updateInGateway({ ...ctx.gw, input }));
