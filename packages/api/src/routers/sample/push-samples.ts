import { PushSamplesInput, PushSamplesResult } from "@omniglass/contracts";
import { pushSamples as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  successStatus: 202,
  openapi: {
    method: "POST",
    path: "/samples",
    tags: ["telemetry"],
    summary: "Push samples (integrations)",
    description:
      "Up to 5,000 samples of registered signals for components, systems or locations (`ownerKind`, `owner`: id, name or path). Needs sample:push on each owner's scope. Answers 202 with how many were accepted and, per rejected sample, its index, signal and reason: `unknown-owner` (no such owner you can read), `out-of-scope`, `unregistered-signal`, `invalid-value`, `bad-timestamp`. Rejections are counted and visible per component. A retry of the same batch is safe (history is idempotent on series and timestamp; give `ts` to make it so).",
    successDescription: "Accepted for storage: the counts and the reason for each rejected sample.",
  },
};

export const pushSamples = capability("sample:push")
  .meta(meta)
  .input(PushSamplesInput)
  .output(PushSamplesResult)
  .mutation(({ ctx, input }) =>
    inGateway({
      ...ctx.gw,
      input,
      onChanged: ctx.deps.onValuesChanged,
      onDetected: ({ alarms, health }) => {
        ctx.deps.onAlarmsChanged(alarms);
        ctx.deps.onHealthChanged(health);
      },
    }),
  );
