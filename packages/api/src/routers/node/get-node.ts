import { z } from "zod";
import { Node, Ref } from "@omniglass/contracts";
import { getNode as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/nodes/{ref}",
    tags: ["nodes"],
    summary: "Get a node by id or name",
    description:
      "Its location, whether it is enrolled or pending (with the outstanding token's prefix and expiry, never the token), when it was last seen and how many component interfaces it polls.",
  },
};

export const getNode = capability("node:read")
  .meta(meta)
  .input(z.object({ ref: Ref }))
  .output(Node)
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, ref: input.ref }));
