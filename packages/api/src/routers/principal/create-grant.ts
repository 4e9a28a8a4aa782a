import { CreateGrantInput, Grant } from "@omniglass/contracts";
import { createGrant as createInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/principals/{id}/grants",
    tags: ["access"],
    summary: "Grant a role on a scope",
    description:
      "Scope `all`, or a location (id, name or path) with operator subtree, descendants or self. You can only grant what you hold on that scope (403 otherwise).",
  },
};

export const createGrant = capability("grant:create")
  .meta(meta)
  .input(CreateGrantInput)
  .output(Grant)
  .mutation(({ ctx, input }) => createInGateway({ ...ctx.gw, input }));
