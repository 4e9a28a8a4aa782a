import { clamp, drift, round } from "../model";
import { counter32, counter64 } from "../snmp-agent";
import { SnmpDevice } from "./snmp-device";

/** The switch's ports; PoE on the first POE_PORTS; the last one is the uplink. */
export const SWITCH_PORTS = 24;
export const POE_PORTS = 16;
/** The port whose 64-bit in-octet counter starts two minutes short of 2^64, to wrap on camera. */
export const WRAP_PORT = SWITCH_PORTS - 1;

const OPER = { up: 1, down: 2 } as const;
const POE = { searching: 2, delivering: 3, fault: 4 } as const;

interface Port {
  index: number;
  alias: string;
  connected: boolean;
  /** Mean traffic the port settles around, bits per second. */
  meanInBps: number;
  meanOutBps: number;
  inBps: number;
  outBps: number;
  inOctets: bigint;
  outOctets: bigint;
  /** Fractional errors carried between refreshes (the counter counts whole frames). */
  inErrors: number;
  outErrors: number;
}

/** Errors a second on a port with the `port-errors` fault (the template's rule fires above 1/s). */
const FAULT_ERRORS_PER_S = 5;

/**
 * A managed switch (template snmp-network-switch): MIB-II system group, IF-MIB ifTable/ifXTable
 * (link state, alias, 64-bit octet counters, 32-bit error counters), POWER-ETHERNET-MIB port
 * detection status and HOST-RESOURCES hrProcessorLoad, over SNMP v2c. Traffic drifts around each
 * port's own mean, so the counters grow at a plausible, changing rate; one port's counter starts
 * just short of 2^64 and wraps about two minutes after the simulator starts.
 *
 * Faults: `error` names what goes wrong — `port-down` (an aliased port loses its link),
 * `poe-fault` (PoE port 1 reports a fault), `port-errors` (port 1 counts 5 errors a second) or
 * `cpu-high` (the processor at 95%); any other text is `port-down`. `malformed`: port 1's
 * ifOperStatus answers 99, which no template maps. `power: off`: the switch stops answering;
 * on again, it boots (uptime and counters from zero).
 */
export class SnmpSwitch extends SnmpDevice {
  private ports: Port[] = [];
  private cpu = 15;
  private cpuTarget = 15;

  protected override banner(): string {
    return "SSH-2.0-Omniglass_SimSwitch_1.0\r\n";
  }

  protected override resetState(now: number): void {
    // Counters are the device's own: a reset clears faults, it does not rewind them.
    if (this.ports.length > 0) return;
    const r = this.identity;
    this.cpuTarget = 8 + r() * 20;
    this.cpu = this.cpuTarget;
    for (let index = 1; index <= SWITCH_PORTS; index++) {
      const uplink = index === SWITCH_PORTS;
      const connected = uplink || index === WRAP_PORT || r() < 0.7;
      const meanIn = uplink ? 200e6 + r() * 400e6 : connected ? 1e6 + r() * 80e6 : 0;
      const meanOut = uplink ? 100e6 + r() * 300e6 : connected ? 0.5e6 + r() * 40e6 : 0;
      this.ports.push({
        index,
        alias: uplink ? "uplink to core" : connected ? `room-${index}` : "",
        connected,
        meanInBps: meanIn,
        meanOutBps: meanOut,
        inBps: meanIn,
        outBps: meanOut,
        inOctets: BigInt(Math.floor(r() * 2 ** 44)),
        outOctets: BigInt(Math.floor(r() * 2 ** 44)),
        inErrors: 0,
        outErrors: Math.floor(r() * 50),
      });
    }
    const wrap = this.ports[WRAP_PORT - 1]!;
    wrap.inOctets = 2n ** 64n - BigInt(Math.floor((wrap.meanInBps / 8) * 120));
    void now;
  }

  protected override booted(): void {
    for (const port of this.ports) {
      port.inOctets = 0n;
      port.outOctets = 0n;
      port.inErrors = 0;
      port.outErrors = 0;
    }
  }

  private get fault(): "port-down" | "poe-fault" | "port-errors" | "cpu-high" | null {
    const error = this.faults.error;
    if (error === null) return null;
    return error === "poe-fault" || error === "port-errors" || error === "cpu-high"
      ? error
      : "port-down";
  }

  /** The aliased access port the `port-down` fault unplugs (the first connected one). */
  private get faultPort(): Port | undefined {
    return this.ports.find((port) => port.connected && port.index < SWITCH_PORTS);
  }

  private isUp(port: Port): boolean {
    return port.connected && !(this.fault === "port-down" && port === this.faultPort);
  }

  protected override evolve(now: number, dtS: number): void {
    if (this.power.at(now) !== "on") return;
    const random = this.random;
    for (const port of this.ports) {
      if (!this.isUp(port)) continue;
      const tauS = 120;
      port.inBps = clamp(
        drift(port.inBps, port.meanInBps, { tauS, sigma: port.meanInBps * 0.02, dtS, random }),
        0,
        10e9,
      );
      port.outBps = clamp(
        drift(port.outBps, port.meanOutBps, { tauS, sigma: port.meanOutBps * 0.02, dtS, random }),
        0,
        10e9,
      );
      port.inOctets = BigInt.asUintN(
        64,
        port.inOctets + BigInt(Math.floor((port.inBps / 8) * dtS)),
      );
      port.outOctets = BigInt.asUintN(
        64,
        port.outOctets + BigInt(Math.floor((port.outBps / 8) * dtS)),
      );
      const errors = this.fault === "port-errors" && port.index === 1 ? FAULT_ERRORS_PER_S : 0.001;
      port.inErrors += errors * dtS;
    }
    const target = this.fault === "cpu-high" ? 95 : this.cpuTarget;
    this.cpu =
      this.fault === "cpu-high"
        ? 95
        : clamp(drift(this.cpu, target, { tauS: 60, sigma: 1.5, dtS, random }), 1, 100);
  }

  private poeStatus(port: Port): number {
    if (this.fault === "poe-fault" && port.index === 1) return POE.fault;
    return this.isUp(port) ? POE.delivering : POE.searching;
  }

  protected override defineMib(now: number): void {
    const m = this.mib;
    m.scalar("sysDescr", "1.3.6.1.2.1.1.1", "string");
    m.scalar("sysUpTime", "1.3.6.1.2.1.1.3", "timeticks", () =>
      this.uptimeTicks(this.options.now()),
    );
    m.scalar("sysName", "1.3.6.1.2.1.1.5", "string");
    m.table(
      "ifTable",
      "1.3.6.1.2.1.2.2.1",
      [
        { number: 1, name: "ifIndex", type: "integer" },
        { number: 2, name: "ifDescr", type: "string" },
        { number: 8, name: "ifOperStatus", type: "integer" },
        { number: 14, name: "ifInErrors", type: "counter32" },
        { number: 20, name: "ifOutErrors", type: "counter32" },
      ],
      { index: [{ columnName: "ifIndex" }] },
    );
    m.table(
      "ifXTable",
      "1.3.6.1.2.1.31.1.1.1",
      [
        { number: 1, name: "ifName", type: "string" },
        { number: 6, name: "ifHCInOctets", type: "counter64" },
        { number: 10, name: "ifHCOutOctets", type: "counter64" },
        { number: 18, name: "ifAlias", type: "string" },
      ],
      { augments: "ifTable" },
    );
    m.table(
      "pethPsePortTable",
      "1.3.6.1.2.1.105.1.1.1",
      [
        { number: 1, name: "pethPsePortGroupIndex", type: "integer", hidden: true },
        { number: 2, name: "pethPsePortIndex", type: "integer", hidden: true },
        { number: 6, name: "pethPsePortDetectionStatus", type: "integer" },
      ],
      { index: [{ columnName: "pethPsePortGroupIndex" }, { columnName: "pethPsePortIndex" }] },
    );
    m.table(
      "hrDeviceTable",
      "1.3.6.1.2.1.25.3.2.1",
      [
        { number: 1, name: "hrDeviceIndex", type: "integer" },
        { number: 2, name: "hrDeviceType", type: "oid" },
      ],
      { index: [{ columnName: "hrDeviceIndex" }] },
    );
    m.table(
      "hrProcessorTable",
      "1.3.6.1.2.1.25.3.3.1",
      [{ number: 2, name: "hrProcessorLoad", type: "integer" }],
      { index: [{ columnName: "hrDeviceIndex", foreign: "hrDeviceTable" }] },
    );
    m.set("sysDescr", `Omniglass simulated switch, ${SWITCH_PORTS} ports, PoE on 1-${POE_PORTS}`);
    m.set("sysName", this.hostName());
    for (const port of this.ports) {
      const name = `Gi1/0/${port.index}`;
      m.row("ifTable", [port.index, name, OPER.down, 0, 0]);
      m.row("ifXTable", [port.index, name, counter64(0n), counter64(0n), port.alias]);
      if (port.index <= POE_PORTS) m.row("pethPsePortTable", [1, port.index, POE.searching]);
    }
    m.row("hrDeviceTable", [1, "1.3.6.1.2.1.25.3.1.3"]);
    m.row("hrProcessorTable", [1, 0]);
    void now;
  }

  protected override writeMib(): void {
    const m = this.mib;
    for (const port of this.ports) {
      const i = [port.index];
      const oper =
        this.faults.malformed && port.index === 1 ? 99 : this.isUp(port) ? OPER.up : OPER.down;
      m.cell("ifTable", 8, i, oper);
      m.cell("ifTable", 14, i, counter32(port.inErrors));
      m.cell("ifTable", 20, i, counter32(port.outErrors));
      m.cell("ifXTable", 6, i, counter64(port.inOctets));
      m.cell("ifXTable", 10, i, counter64(port.outOctets));
      if (port.index <= POE_PORTS)
        m.cell("pethPsePortTable", 6, [1, port.index], this.poeStatus(port));
    }
    m.cell("hrProcessorTable", 2, [1], Math.round(this.cpu));
  }

  protected override describeState(now: number): Record<string, unknown> {
    return {
      uptimeS: this.power.at(now) === "on" ? Math.floor((now - this.bootedAt) / 1000) : null,
      cpuLoad: round(this.cpu, 1),
      portsUp: this.ports.filter((port) => this.isUp(port)).length,
      ports: this.ports.map((port) => ({
        index: port.index,
        alias: port.alias,
        up: this.isUp(port),
        inBps: Math.round(port.inBps),
        outBps: Math.round(port.outBps),
        inOctets: port.inOctets.toString(),
        outOctets: port.outOctets.toString(),
      })),
    };
  }
}
