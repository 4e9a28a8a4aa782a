import type { TemplateProtocol } from "@omniglass/contracts";
import { httpDriver } from "./http";
import { icmpDriver } from "./icmp";
import { pjlinkDriver } from "./pjlink";
import { qrcDriver } from "./qrc";
import { snmpDriver } from "./snmp";
import { textDriver } from "./text";
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
