import { z } from "zod";
import {
  OwnerValues,
  OwnerValuesInput,
  RejectionCount,
  Samples,
  SamplesInput,
  type OwnerKind,
} from "@omniglass/contracts";
import { getOwnerSamples, getOwnerValues } from "@omniglass/gateway";
import { capability } from "../../trpc";

const PLURAL: Record<OwnerKind, string> = {
  component: "components",
  system: "systems",
  location: "locations",
};

/** `<kind>.values`: GET /<kinds>/{ref}/values, needs `<kind>:read` on the owner. */
export function ownerValues(kind: OwnerKind) {
  return capability(`${kind}:read`)
    .meta({
      openapi: {
        method: "GET",
        path: `/${PLURAL[kind]}/{ref}/values`,
        tags: ["telemetry"],
        summary: `Current values of a ${kind}`,
        description: `Every series the ${kind} owns: its current value, when it was measured, its age, the interval it is expected at and its freshness (fresh, or stale past twice the interval: computed when read as well as recorded by the worker)${kind === "component" ? "; plus the signals its template declares but never seen, `unknown` with a null value" : ""}. \`signal\` keeps one signal.`,
      },
    })
    .input(OwnerValuesInput)
    .output(OwnerValues)
    .query(({ ctx, input }) => getOwnerValues({ ...ctx.gw, kind, input }));
}

/** `<kind>.samples`: GET /<kinds>/{ref}/samples, needs `<kind>:read` on the owner. */
export function ownerSamples(kind: OwnerKind) {
  return capability(`${kind}:read`)
    .meta({
      openapi: {
        method: "GET",
        path: `/${PLURAL[kind]}/{ref}/samples`,
        tags: ["telemetry"],
        summary: `History of one signal of a ${kind}`,
        description:
          "Samples of `signal` (and `instance`) in [`from`, `to`) (default: the last hour; `from` before `to`, at most 400 days). Raw when no `step` is given and at most 1,000 samples fall in the range; otherwise one point per `step` seconds (default: about 500 points) — a metric's mean, min, max and count, a property's last value and count.",
      },
    })
    .input(SamplesInput)
    .output(Samples)
    .query(({ ctx, input }) => getOwnerSamples({ ...ctx.gw, kind, input }));
}

export const RejectionCounts = z.object({ items: z.array(RejectionCount) });
