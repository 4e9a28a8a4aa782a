import type { AlarmDetail } from "@omniglass/contracts";
import type { GatewayContext } from "../kit";
import { readAlarmDetail } from "./read-alarm";

/** An alarm in read scope with its timeline (fired, acknowledged, flapping, resolved, …). */
export async function getAlarm({
  db,
  actor,
  id,
}: GatewayContext & { id: string }): Promise<AlarmDetail> {
  return readAlarmDetail(db, actor, id);
}
