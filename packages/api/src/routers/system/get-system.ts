import { z } from "zod";
import { Ref, System } from "@omniglass/contracts";
import { getSystem as getInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/systems/{ref}",
    tags: ["estate"],
    summary: "Get a system by id, name or path",
  },
};

export const getSystem = capability("system:read")
  .meta(meta)
  .input(z.object({ ref: Ref }))
  .output(System)
  .query(({ ctx, input }) =>
    getInGateway({ db: ctx.deps.db, actor: ctx.actor, meta: ctx.meta, ref: input.ref }),
  );
