import { CreatePrincipalInput, PrincipalDetail } from "@omniglass/contracts";
import { createPrincipal as createInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/principals",
    tags: ["access"],
    summary: "Create a person or a service account",
    description: "A human may be given a console password; a service acts through tokens.",
  },
};

export const createPrincipal = capability("principal:create")
  .meta(meta)
  .input(CreatePrincipalInput)
  .output(PrincipalDetail)
  .mutation(({ ctx, input }) => createInGateway({ ...ctx.gw, input }));
