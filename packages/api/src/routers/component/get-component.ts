import { z } from "zod";
import { ComponentDetail, Ref } from "@omniglass/contracts";
import { getComponent as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/components/{ref}",
    tags: ["estate"],
    summary: "Get a component with its interfaces, systems and signals",
    description: `\`signals\` are those its pinned template version produces.`,
  },
};

export const getComponent = capability("component:read")
  .meta(meta)
  .input(z.object({ ref: Ref }))
  .output(ComponentDetail)
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, ref: input.ref }));
