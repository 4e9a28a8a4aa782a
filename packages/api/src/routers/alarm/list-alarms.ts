import { Alarm, ListAlarmsInput, listOf } from "@omniglass/contracts";
import { findAlarms as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/alarms",
    tags: ["alarms"],
    summary: "List alarms you may read",
    description:
      "Newest first. `state` (open|resolved), `owner` (a location: what is placed in or below it; a system: its members; a component), `severity`, `acknowledged`, `flapping`, `suppressed` (true: open alarms held from notifying, the queue's suppressed lane, each with its reasons in `suppression`), `rule`. An alarm is visible when its owner is in your read scope.",
  },
};

export const listAlarms = capability("alarm:read")
  .meta(meta)
  .input(ListAlarmsInput)
  .output(listOf(Alarm))
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
