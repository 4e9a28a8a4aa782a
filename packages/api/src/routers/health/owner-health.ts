import {
  HealthHistory,
  HealthHistoryInput,
  HealthOwnerInput,
  OwnerHealth,
  type HealthOwnerKind,
} from "@omniglass/contracts";
import { getHealth, getHealthHistory } from "@omniglass/gateway";
import { capability } from "../../trpc";

const PLURAL: Record<HealthOwnerKind, string> = {
  component: "components",
  system: "systems",
  location: "locations",
};

/** `<kind>.health`: GET /<kinds>/{ref}/health, needs `<kind>:read` on the owner. */
export function ownerHealth(kind: HealthOwnerKind) {
  return capability(`${kind}:read`)
    .meta({
      openapi: {
        method: "GET",
        path: `/${PLURAL[kind]}/{ref}/health`,
        tags: ["health"],
        summary: `Health of a ${kind}: verdict, since when, and why`,
        description: `Verdict, since its last transition, the sentence and the causes down to the red leaves (docs/guides/operator.md#health). Outside the reader's scope: the same 404 as a missing ${kind}.`,
      },
    })
    .input(HealthOwnerInput)
    .output(OwnerHealth)
    .query(({ ctx, input }) => getHealth({ ...ctx.gw, kind, ref: input.ref }));
}

/** `<kind>.healthHistory`: GET /<kinds>/{ref}/health/history, needs `<kind>:read` on the owner. */
export function ownerHealthHistory(kind: HealthOwnerKind) {
  return capability(`${kind}:read`)
    .meta({
      openapi: {
        method: "GET",
        path: `/${PLURAL[kind]}/{ref}/health/history`,
        tags: ["health"],
        summary: `Health transitions and availability of a ${kind}`,
        description:
          "Transitions in [`from`, `to`] (default 7 days), newest first; availability over the window from all of them.",
      },
    })
    .input(HealthHistoryInput)
    .output(HealthHistory)
    .query(({ ctx, input }) => getHealthHistory({ ...ctx.gw, kind, input }));
}
