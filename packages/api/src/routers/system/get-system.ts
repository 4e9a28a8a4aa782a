import { z } from "zod";
import { Ref, SystemDetail } from "@omniglass/contracts";
import { getSystem as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/systems/{ref}",
    tags: ["estate"],
    summary: "Get a system with its roles and members",
    description: `\`ref\` is an id, a unique name or a dotted path (\`campus.hq.floor-1.boardroom.av\`).`,
  },
};

export const getSystem = capability("system:read")
  .meta(meta)
  .input(z.object({ ref: Ref }))
  .output(SystemDetail)
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, ref: input.ref }));
