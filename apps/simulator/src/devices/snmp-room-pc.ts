import { clamp, drift, round } from "../model";
import { SnmpDevice } from "./snmp-device";

/** hrStorageType values (HOST-RESOURCES-TYPES). */
const STORAGE = {
  ram: "1.3.6.1.2.1.25.2.1.2",
  virtual: "1.3.6.1.2.1.25.2.1.3",
  fixedDisk: "1.3.6.1.2.1.25.2.1.4",
} as const;
const PROCESSOR_TYPE = "1.3.6.1.2.1.25.3.1.3";
/** Windows numbers its processors in hrDeviceTable from here. */
const FIRST_PROCESSOR = 3;
const ALLOCATION_UNIT = 65_536;
const RAM_BYTES = 16 * 2 ** 30;

/**
 * A meeting room PC running Teams Rooms or Zoom Rooms (template uc-room-pc) with the Windows SNMP
 * service: MIB-II sysUpTime, sysName, sysDescr; HOST-RESOURCES hrProcessorLoad per logical
 * processor and hrStorageTable (disk, virtual memory and physical memory, in 64 KiB units).
 * Processor load and memory in use drift around the PC's own level.
 *
 * Faults: `error` names what goes wrong — `memory-high` (96% of RAM in use) or `cpu-high` (every
 * processor at 97%); any other text is `cpu-high`. `malformed`: the RAM row's size answers 0,
 * which the template cannot divide by. `power: off`: the PC stops answering; on again, it boots.
 */
export class SnmpRoomPc extends SnmpDevice {
  private processors: { load: number; target: number }[] = [];
  private memoryPct = 50;
  private memoryTarget = 50;

  protected override resetState(): void {
    if (this.processors.length > 0) return;
    const r = this.identity;
    const count = r() < 0.5 ? 4 : 8;
    for (let i = 0; i < count; i++) {
      const target = 4 + r() * 25;
      this.processors.push({ load: target, target });
    }
    this.memoryTarget = 40 + r() * 30;
    this.memoryPct = this.memoryTarget;
  }

  protected override booted(): void {
    // A fresh Windows start: little in use yet; it settles back over the next minutes.
    this.memoryPct = 30;
  }

  private get fault(): "memory-high" | "cpu-high" | null {
    const error = this.faults.error;
    if (error === null) return null;
    return error === "memory-high" ? "memory-high" : "cpu-high";
  }

  protected override evolve(now: number, dtS: number): void {
    if (this.power.at(now) !== "on") return;
    const random = this.random;
    for (const cpu of this.processors) {
      cpu.load =
        this.fault === "cpu-high"
          ? 97
          : clamp(drift(cpu.load, cpu.target, { tauS: 30, sigma: 3, dtS, random }), 0, 100);
    }
    this.memoryPct =
      this.fault === "memory-high"
        ? 96
        : clamp(
            drift(this.memoryPct, this.memoryTarget, { tauS: 300, sigma: 0.3, dtS, random }),
            5,
            99,
          );
  }

  private get ramUnits(): number {
    return RAM_BYTES / ALLOCATION_UNIT;
  }

  protected override defineMib(): void {
    const m = this.mib;
    m.scalar("sysDescr", "1.3.6.1.2.1.1.1", "string");
    m.scalar("sysUpTime", "1.3.6.1.2.1.1.3", "timeticks", () =>
      this.uptimeTicks(this.options.now()),
    );
    m.scalar("sysName", "1.3.6.1.2.1.1.5", "string");
    m.table(
      "hrStorageTable",
      "1.3.6.1.2.1.25.2.3.1",
      [
        { number: 1, name: "hrStorageIndex", type: "integer" },
        { number: 2, name: "hrStorageType", type: "oid" },
        { number: 3, name: "hrStorageDescr", type: "string" },
        { number: 4, name: "hrStorageAllocationUnits", type: "integer" },
        { number: 5, name: "hrStorageSize", type: "integer" },
        { number: 6, name: "hrStorageUsed", type: "integer" },
      ],
      { index: [{ columnName: "hrStorageIndex" }] },
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
    m.set(
      "sysDescr",
      "Hardware: Intel64 Family 6 Model 154 - Software: Windows Version 6.3 (Build 22631 Multiprocessor Free)",
    );
    m.set("sysName", this.hostName().toUpperCase().slice(0, 15));
    const disk = (256 * 2 ** 30) / 4096;
    m.row("hrStorageTable", [
      1,
      STORAGE.fixedDisk,
      "C:\\ Label:  Serial Number 5a1b2c3d",
      4096,
      disk,
      Math.floor(disk * 0.41),
    ]);
    m.row("hrStorageTable", [
      2,
      STORAGE.virtual,
      "Virtual Memory",
      ALLOCATION_UNIT,
      this.ramUnits * 1.25,
      0,
    ]);
    m.row("hrStorageTable", [3, STORAGE.ram, "Physical Memory", ALLOCATION_UNIT, this.ramUnits, 0]);
    this.processors.forEach((_, i) => {
      m.row("hrDeviceTable", [FIRST_PROCESSOR + i, PROCESSOR_TYPE]);
      m.row("hrProcessorTable", [FIRST_PROCESSOR + i, 0]);
    });
  }

  protected override writeMib(): void {
    const m = this.mib;
    const used = Math.floor((this.ramUnits * this.memoryPct) / 100);
    m.cell("hrStorageTable", 5, [3], this.faults.malformed ? 0 : this.ramUnits);
    m.cell("hrStorageTable", 6, [3], used);
    m.cell("hrStorageTable", 6, [2], Math.floor(used * 1.1));
    this.processors.forEach((cpu, i) =>
      m.cell("hrProcessorTable", 2, [FIRST_PROCESSOR + i], Math.round(cpu.load)),
    );
  }

  protected override describeState(now: number): Record<string, unknown> {
    return {
      uptimeS: this.power.at(now) === "on" ? Math.floor((now - this.bootedAt) / 1000) : null,
      memoryUsed: round(this.memoryPct, 1),
      cpuLoad: this.processors.map((cpu) => round(cpu.load, 1)),
    };
  }
}
