import { EnrollNodeInput, NodeCredential } from "@omniglass/contracts";
import { enrollNode as inGateway } from "@omniglass/gateway";
import { publicProcedure, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/nodes/enroll",
    tags: ["nodes"],
    summary: "Enroll a node with its one-time token",
    description:
      "Public: the enrollment token is the credential. Spends the token, marks the node enrolled, revokes the node's earlier API tokens and answers with a new one (shown once; the node keeps it in its state directory), and gives the node the `node` role on its location. An unknown, expired or already used token, or a disabled node, is 401 and says nothing more.",
    protect: false,
  },
};

export const enrollNode = publicProcedure
  .meta(meta)
  .input(EnrollNodeInput)
  .output(NodeCredential)
  .mutation(({ ctx, input }) => inGateway({ db: ctx.deps.db, meta: ctx.meta, input }));
