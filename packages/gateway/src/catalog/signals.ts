import type { SignalDefinition } from "@omniglass/contracts";

/*
 * The official signal catalog (DESIGN.md §7): every signal the official template library
 * (packages/gateway/templates) produces, with its lane, unit and value set. Official rows are
 * read-only; catalog.test.ts keeps this list and the library in step.
 */

function metric(
  name: string,
  label: string,
  unit: string | null,
  precision: number,
  description: string,
): SignalDefinition {
  return {
    name,
    lane: "metric",
    label,
    description,
    unit,
    precision,
    valueType: "number",
    schema: null,
  };
}

function property(
  name: string,
  label: string,
  valueType: "string" | "boolean" | "integer" | "json",
  description: string,
  schema: Record<string, unknown> | null = null,
): SignalDefinition {
  return {
    name,
    lane: "property",
    label,
    description,
    unit: null,
    precision: null,
    valueType,
    schema,
  };
}

const oneOf = (...values: string[]) => ({ type: "string", enum: values });
/** What the console draws each value as: good, bad, or (anything unnamed) neutral. */
const meaning = (schema: Record<string, unknown>, meanings: Record<string, "good" | "bad">) => ({
  ...schema,
  "x-meaning": meanings,
});
const HEALTH = oneOf("ok", "warning", "error");

export const OFFICIAL_SIGNALS: SignalDefinition[] = [
  // Reachability and identity, for anything with an address.
  property(
    "reachable",
    "Reachable",
    "boolean",
    "Whether the component answers: ICMP echo (true if any of a probe's echo requests is answered), or a TCP connect to the port its ping interface is bound with.",
    meaning({ type: "boolean" }, { true: "good", false: "bad" }),
  ),
  metric(
    "round-trip-time",
    "Round-trip time",
    "ms",
    1,
    "Mean ICMP echo round trip of one probe (or the TCP connect time, when checked by TCP).",
  ),
  metric(
    "uptime",
    "Uptime",
    "s",
    0,
    "Time since the device (or its agent) last started; going back means it restarted.",
  ),
  property(
    "system-name",
    "System name",
    "string",
    "The name the device gives itself (SNMP sysName).",
  ),
  property(
    "system-description",
    "System description",
    "string",
    "The device's own description of its hardware and software (SNMP sysDescr).",
  ),
  property("manufacturer", "Manufacturer", "string", "The manufacturer the device reports."),
  property("model", "Model", "string", "The model the device reports."),
  property("serial-number", "Serial number", "string", "The serial number the device reports."),
  property(
    "firmware-version",
    "Firmware version",
    "string",
    "The firmware or software version the device reports.",
  ),

  // Compute.
  metric(
    "cpu-load",
    "CPU load",
    "%",
    0,
    "Processor load over the last minute, one series per processor (HOST-RESOURCES hrProcessorLoad).",
  ),
  metric(
    "memory-used",
    "Memory used",
    "%",
    1,
    "Physical memory in use, as a share of the total (HOST-RESOURCES hrStorage, RAM row).",
  ),

  // Network switch ports (one series per ifIndex, or per PoE group.port).
  property(
    "link-state",
    "Link state",
    "string",
    "A port's operational state (IF-MIB ifOperStatus).",
    meaning(
      oneOf("up", "down", "testing", "unknown", "dormant", "not-present", "lower-layer-down"),
      { up: "good", down: "bad", "lower-layer-down": "bad" },
    ),
  ),
  property(
    "port-alias",
    "Port alias",
    "string",
    "The description an administrator gave a port (IF-MIB ifAlias); empty when none.",
  ),
  metric(
    "if-in-octets",
    "Octets in",
    "B",
    0,
    "Bytes received on a port: a 64-bit counter (ifHCInOctets) that only grows, wraps at 2^64 and restarts at 0 when the device does; rates come from deltas.",
  ),
  metric(
    "if-out-octets",
    "Octets out",
    "B",
    0,
    "Bytes sent on a port: a 64-bit counter (ifHCOutOctets) that only grows, wraps at 2^64 and restarts at 0 when the device does; rates come from deltas.",
  ),
  metric(
    "if-in-bps",
    "Traffic in",
    "bit/s",
    0,
    "Bits per second received on a port: the change of its 64-bit octet counter (ifHCInOctets) × 8 between two readings, across wraps; no value across a device restart.",
  ),
  metric(
    "if-out-bps",
    "Traffic out",
    "bit/s",
    0,
    "Bits per second sent on a port: the change of its 64-bit octet counter (ifHCOutOctets) × 8 between two readings, across wraps; no value across a device restart.",
  ),
  metric(
    "if-in-errors",
    "Errors in",
    "1/s",
    2,
    "Received frames per second a port discarded as errored (IF-MIB ifInErrors, a 32-bit counter, as a rate).",
  ),
  metric(
    "if-out-errors",
    "Errors out",
    "1/s",
    2,
    "Frames per second a port could not send because of errors (IF-MIB ifOutErrors, a 32-bit counter, as a rate).",
  ),
  property(
    "poe-status",
    "PoE status",
    "string",
    "Power over Ethernet detection state of a port (POWER-ETHERNET-MIB pethPsePortDetectionStatus).",
    oneOf("disabled", "searching", "delivering", "fault", "test", "other-fault"),
  ),

  // Displays and projectors.
  property(
    "power-state",
    "Power state",
    "string",
    "Whether the display or projector is on, in standby, warming up, cooling down, or off.",
    meaning(oneOf("on", "standby", "warming", "cooling", "off"), { on: "good" }),
  ),
  property(
    "input-source",
    "Input source",
    "string",
    "The selected input, as the device names it (PJLink INPT: two digits, type then number, e.g. 31 = digital 1; HTTP displays: e.g. hdmi-1).",
  ),
  property(
    "av-mute",
    "AV mute",
    "string",
    "What the picture/sound mute hides: nothing, video, audio or all (PJLink AVMT).",
    oneOf("off", "video", "audio", "all"),
  ),
  property(
    "fan-status",
    "Fan status",
    "string",
    "Fan health the device reports (PJLink ERST digit 1).",
    HEALTH,
  ),
  property(
    "lamp-status",
    "Lamp status",
    "string",
    "Lamp health the device reports (PJLink ERST digit 2).",
    HEALTH,
  ),
  property(
    "temperature-status",
    "Temperature status",
    "string",
    "Temperature health the device reports (PJLink ERST digit 3).",
    HEALTH,
  ),
  property(
    "cover-status",
    "Cover status",
    "string",
    "Cover-open state the device reports; error means open (PJLink ERST digit 4).",
    HEALTH,
  ),
  property(
    "filter-status",
    "Filter status",
    "string",
    "Air filter state the device reports; warning means clean or replace it (PJLink ERST digit 5).",
    HEALTH,
  ),
  property(
    "other-status",
    "Other status",
    "string",
    "Any other failure the device reports (PJLink ERST digit 6).",
    HEALTH,
  ),
  metric(
    "lamp-hours",
    "Lamp hours",
    "h",
    0,
    "Cumulative lighting time of the (first) lamp (PJLink LAMP).",
  ),
  metric("temperature", "Temperature", "°C", 1, "Internal temperature the device reports."),
  metric("volume", "Volume", "%", 0, "Speaker volume, 0–100."),

  // Audio.
  property(
    "audio-mute",
    "Audio mute",
    "boolean",
    "Whether the audio (or one channel, by instance) is muted.",
    { type: "boolean" },
  ),
  metric(
    "audio-level",
    "Audio level",
    "dBFS",
    1,
    "Signal level of an audio channel (by instance, e.g. a microphone), relative to full scale.",
  ),
  property(
    "engine-state",
    "Engine state",
    "string",
    "The Q-SYS Core's audio engine state (QRC StatusGet State: Idle, Active, Standby).",
    oneOf("idle", "active", "standby"),
  ),
  property("design-name", "Design name", "string", "The name of the design the DSP is running."),
  property(
    "status-code",
    "Status code",
    "integer",
    "The device's overall status code (Q-SYS: 0 OK, 1 compromised, 2 fault, 3 unknown, 4 not present, 5 initializing).",
    { type: "integer", minimum: 0 },
  ),
  property(
    "status-message",
    "Status message",
    "string",
    "The device's overall status, in its own words.",
  ),

  // Video codecs.
  property(
    "call-state",
    "Call state",
    "string",
    "Whether the codec is in a call.",
    oneOf("idle", "connecting", "connected", "disconnecting"),
  ),
  property(
    "standby-state",
    "Standby state",
    "string",
    "Whether the codec is awake, half awake (screens dimmed) or in standby.",
    oneOf("awake", "halfwake", "standby"),
  ),
  metric(
    "peripherals-connected",
    "Peripherals connected",
    null,
    0,
    "How many peripherals (touch panels, cameras, microphones) are connected.",
  ),
  metric(
    "peripherals-missing",
    "Peripherals missing",
    null,
    0,
    "How many peripherals the device was paired with are not connected.",
  ),

  // Control processors.
  property(
    "program-running",
    "Program running",
    "boolean",
    "Whether the control processor has a control program loaded.",
    { type: "boolean" },
  ),
  property(
    "program-name",
    "Program name",
    "string",
    "The file name of the control program loaded.",
  ),
];

/**
 * Official signals no official template produces yet, each with the reason it is in the catalog
 * (operators' own templates and REST pushes use them). Empty: every official signal is produced.
 */
export const RESERVED_SIGNALS: ReadonlyMap<string, string> = new Map([
  [
    "if-in-octets",
    "the raw counter snmp-network-switch@1 published; components pinned to version 1 still report it (version 2 publishes if-in-bps)",
  ],
  [
    "if-out-octets",
    "the raw counter snmp-network-switch@1 published; components pinned to version 1 still report it (version 2 publishes if-out-bps)",
  ],
]);
