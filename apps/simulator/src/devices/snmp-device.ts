import { createServer, type Server, type Socket } from "node:net";
import { SimDevice } from "../device";
import { listenSnmp, SimMib } from "../snmp-agent";

/** How often a listening SNMP device writes its evolving state into its MIB. */
export const SNMP_REFRESH_MS = 1_000;

/**
 * A device read over SNMP v2c (a switch, a room PC): an agent on UDP at the device's port number,
 * answering the read community of its fleet entry (default `public`), and a TCP listener on the
 * same port number standing in for its management service (SSH on a switch, remote desktop on a
 * PC), which is what the demo's reachability check connects to. Both open and close together:
 * unreachable, flapping or powered off, neither answers. Powered on again, the device boots: its
 * uptime starts from zero and its counters from zero, as after a real restart.
 */
export abstract class SnmpDevice extends SimDevice {
  protected readonly mib = new SimMib();
  private defined = false;
  private agent: { close(): Promise<void> } | null = null;
  private refresher: NodeJS.Timeout | null = null;

  /** Registers the MIB's scalars and tables and adds their rows (once, on first listen). */
  protected abstract defineMib(now: number): void;

  /** Writes the current state into the MIB. */
  protected abstract writeMib(now: number): void;

  /** The counters and other boot-scoped state restart from zero. */
  protected abstract booted(now: number): void;

  /** What the management port says on connect (an SSH banner), or nothing. */
  protected banner(): string | null {
    return null;
  }

  /** sysUpTime: hundredths of a second since boot, a 32-bit TimeTicks. */
  protected uptimeTicks(now: number): number {
    return Math.floor(Math.max(0, now - this.bootedAt) / 10) % 2 ** 32;
  }

  /** The sysName: the last two parts of the device's id, as a host name. */
  protected hostName(): string {
    return this.id
      .split(/[./]/)
      .slice(-3)
      .join("-")
      .replace(/[^A-Za-z0-9-]/g, "-")
      .slice(0, 63);
  }

  protected override shouldListen(now: number): boolean {
    return super.shouldListen(now) && this.power.at(now) === "on";
  }

  protected override powerChanged(now: number): void {
    super.powerChanged(now);
    if (this.power.at(now) === "on") this.boot(now);
  }

  protected override settled(now: number): void {
    if (this.power.at(now) === "on") this.boot(now);
  }

  private boot(now: number): void {
    this.bootedAt = now;
    this.booted(now);
  }

  protected override createServer(): Server {
    return createServer((socket: Socket) => {
      socket.on("error", () => socket.destroy());
      socket.setTimeout(30_000, () => socket.destroy());
      const banner = this.banner();
      if (banner) socket.write(banner);
      socket.resume();
    });
  }

  protected override async opened(): Promise<void> {
    const now = this.advance();
    if (!this.defined) {
      this.defineMib(now);
      this.defined = true;
    }
    this.writeMib(now);
    this.agent = await listenSnmp(this.mib, {
      host: this.host,
      port: this.boundPort,
      community: this.entry.community ?? "public",
    });
    this.refresher = setInterval(() => this.writeMib(this.advance()), SNMP_REFRESH_MS);
    this.refresher.unref();
  }

  protected override async closing(): Promise<void> {
    if (this.refresher) clearInterval(this.refresher);
    this.refresher = null;
    const agent = this.agent;
    this.agent = null;
    await agent?.close();
  }

  /** Whether the SNMP agent is answering (for the control API's view). */
  protected get agentListening(): boolean {
    return this.agent !== null;
  }
}
