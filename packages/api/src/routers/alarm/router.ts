import { router } from "../../trpc";
import { acknowledgeAlarm } from "./acknowledge-alarm";
import { acknowledgeAlarms } from "./acknowledge-alarms";
import { explainAlarm } from "./explain-alarm";
import { getAlarm } from "./get-alarm";
import { listAlarms } from "./list-alarms";
import { resolveAlarm } from "./resolve-alarm";
import { unacknowledgeAlarm } from "./unacknowledge-alarm";

export const alarmRouter = router({
  list: listAlarms,
  get: getAlarm,
  why: explainAlarm,
  acknowledge: acknowledgeAlarm,
  acknowledgeMany: acknowledgeAlarms,
  unacknowledge: unacknowledgeAlarm,
  resolve: resolveAlarm,
});
