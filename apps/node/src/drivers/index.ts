import type { TemplateProtocol } from "@omniglass/contracts";
import { httpDriver } from "./http";
import { icmpDeadlineMs, icmpDriver } from "./icmp";
import { pjlinkDriver } from "./pjlink";
import { qrcDriver } from "./qrc";
import { snmpDriver } from "./snmp";
import { textDriver } from "./text";
import type { NodeTask, TemplateFunction } from "@omniglass/contracts";
import { parseDuration } from "@omniglass/domain";
import type { Driver } from "./types";

export const DRIVERS: Record<TemplateProtocol, Driver> = {
  icmp: icmpDriver,
  snmp: snmpDriver,
  http: httpDriver,
  pjlink: pjlinkDriver,
  qrc: qrcDriver,
  text: textDriver,
};

export { FunctionError, type Driver, type DriverCall } from "./types";

/** How long one run of `fn` may take: the interface's timeout (per reply for icmp). */
export function requestDeadlineMs(task: NodeTask, fn: TemplateFunction): number {
  const timeoutMs = parseDuration(task.interface.timeout);
  return fn.request.protocol === "icmp" ? icmpDeadlineMs(fn.request.count, timeoutMs) : timeoutMs;
}
