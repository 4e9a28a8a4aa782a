import { z } from "zod";
import { Ref, Rule } from "@omniglass/contracts";
import { getRule as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/rules/{ref}",
    tags: ["rules"],
    summary: "Get an event rule by id or name",
    description: "A template rule's name repeats across template versions: address it by id.",
  },
};

export const getRule = capability("rule:read")
  .meta(meta)
  .input(z.object({ ref: Ref }))
  .output(Rule)
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, ref: input.ref }));
