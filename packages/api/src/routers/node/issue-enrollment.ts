import { IssueEnrollmentInput, NodeWithEnrollmentToken } from "@omniglass/contracts";
import { issueEnrollment as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/nodes/{ref}/enrollment",
    tags: ["nodes"],
    summary: "Issue a fresh enrollment token for a node",
    description:
      "The previous token can no longer be claimed. Also how an enrolled node re-enrolls. The token is in this answer only.",
  },
};

export const issueEnrollment = capability("node:update")
  .meta(meta)
  .input(IssueEnrollmentInput)
  .output(NodeWithEnrollmentToken)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
