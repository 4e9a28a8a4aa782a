import { BriefStatus, BriefStatusInput } from "@omniglass/contracts";
import type { Meta } from "../../trpc";

/**
 * `alarm:read`: the least permission every official role holds (viewer, operator, admin and
 * owner read everything; a custom role without it has no alarm queue either). Each tile then
 * needs its own view's capability and is left out without it.
 */
export const BRIEF_CAPABILITY = "alarm:read";

export const getBriefStatusMeta: Meta = {
  openapi: {
    method: "GET",
    path: "/brief",
    tags: ["command"],
    summary: "The brief status: what needs attention first",
    description:
      "The estate's first screen, in your scope: critical alarms nobody owns, systems in outage or degraded, components unknown or not monitored, collectors and workers down or stale, dead-lettered deliveries and plans awaiting approval. Each tile is the read of its list view (named in `source`, with `viewAll` and `api`), with its total, its first `items` (default 5) linking to the objects, and `asOf`. `sources` gives the database, the live bus (NATS), the workers and the collectors with a state, since and checkedAt; a tile whose source is down carries `stale`. A tile you lack the capability for is left out, never zero.",
  },
};

export const GetBriefStatusInput = BriefStatusInput;
export const GetBriefStatusOutput = BriefStatus;
