import { CreateSilenceInput, Silence } from "@omniglass/contracts";
import { createSilence as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/silences",
    tags: ["silences"],
    summary: "Set a silence",
    description:
      "Matchers (rules, owner subtree, severities, templates; all given must match, at least one), a reason and a mandatory `expiresAt` at most the configured maximum (default 7 days) after its start: a silence without one is a 400 naming `expiresAt`. Needs `silence:write` at the owner (without an owner matcher: on scope all).",
  },
};

export const createSilence = capability("silence:write")
  .meta(meta)
  .input(CreateSilenceInput)
  .output(Silence)
  .mutation(({ ctx, input }) =>
    inGateway({ ...ctx.gw, input, limits: { maxMs: ctx.deps.silenceMaxMs } }),
  );
