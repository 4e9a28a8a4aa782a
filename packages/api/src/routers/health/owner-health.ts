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
        description: `The verdict written by the transaction that last changed what it is judged from, \`since\` its last transition, the sentence an operator reads and the causes down to the red leaves. ${
          kind === "component"
            ? "A component: not monitored, its collector down or no fresh data → unknown; a critical alarm → outage, a warning → degraded."
            : kind === "system"
              ? "A system: the worst of its roles (quorum and impact; a role short only of installed members is incomplete), its other members (at worst degraded) and its own alarms."
              : "A location: the worst of its child locations, the systems placed in it, the components placed in it that serve no system, and its own alarms."
        } A ${kind} outside the reader's scope is the same 404 as a missing one.`,
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
          "Transitions in [`from`, `to`] (default the last 7 days), newest first, at most `limit`; availability over the window from all of them: the fraction of the window in each verdict, and `available` = (healthy + incomplete + degraded) over the time the verdict was known (not unknown, and after the first verdict).",
      },
    })
    .input(HealthHistoryInput)
    .output(HealthHistory)
    .query(({ ctx, input }) => getHealthHistory({ ...ctx.gw, kind, input }));
}
