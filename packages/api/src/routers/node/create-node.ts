import { CreateNodeInput, NodeWithEnrollmentToken } from "@omniglass/contracts";
import { createNode as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/nodes",
    tags: ["nodes"],
    summary: "Create a node in a location",
    description:
      "Needs node:create on the location. Answers with a one-time enrollment token (`enrollmentToken`), shown here only and stored only as a hash; it expires after `expiresInHours` (default 24). 409 when a principal already has the name.",
  },
};

export const createNode = capability("node:create")
  .meta(meta)
  .input(CreateNodeInput)
  .output(NodeWithEnrollmentToken)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
