import { z } from "zod";
import { ListInput, listOf, Ref, System } from "@omniglass/contracts";
import { findSystems } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/systems",
    tags: ["estate"],
    summary: "List systems you may read",
    description: "In path order; `location` keeps the systems placed in one location.",
  },
};

export const listSystems = capability("system:read")
  .meta(meta)
  .input(ListInput.extend({ location: Ref.optional(), q: z.string().max(200).optional() }))
  .output(listOf(System))
  .query(({ ctx, input }) =>
    findSystems({ db: ctx.deps.db, actor: ctx.actor, meta: ctx.meta, input }),
  );
