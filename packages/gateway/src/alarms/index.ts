export { findAlarms } from "./find-alarms";
export { getAlarm } from "./get-alarm";
export { explainAlarm } from "./explain-alarm";
export { acknowledgeAlarm, acknowledgeAlarms, unacknowledgeAlarm } from "./acknowledge-alarm";
export { resolveAlarm } from "./resolve-alarm";
export {
  openAlarm,
  resolveAlarmByClear,
  type AlarmChange,
  type AlarmOwnerKind,
  type AlarmTarget,
} from "./transitions";
