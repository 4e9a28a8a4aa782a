import { CreatedToken, CreateTokenInput } from "@omniglass/contracts";
import { createToken as createInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/principals/{id}/tokens",
    tags: ["access"],
    summary: "Issue an API token",
    description: "The secret (`og_…`) is in this response only; it is stored as a hash.",
  },
};

export const createToken = capability("token:create")
  .meta(meta)
  .input(CreateTokenInput)
  .output(CreatedToken)
  .mutation(({ ctx, input }) => createInGateway({ ...ctx.gw, input }));
