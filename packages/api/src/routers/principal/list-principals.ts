import { z } from "zod";
import { ListInput, listOf, Principal, PrincipalKind } from "@omniglass/contracts";
import { listPrincipals as listInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/principals",
    tags: ["access"],
    summary: "List people, service accounts and nodes",
  },
};

export const listPrincipals = capability("principal:read")
  .meta(meta)
  .input(ListInput.extend({ kind: PrincipalKind.optional(), q: z.string().max(200).optional() }))
  .output(listOf(Principal))
  .query(({ ctx, input }) => listInGateway({ ...ctx.gw, input }));
