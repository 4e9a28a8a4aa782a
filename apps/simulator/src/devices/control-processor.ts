import { createServer, type Server, type Socket } from "node:net";
import { SimDevice } from "../device";
import { crestronUptime } from "../model";

export const CTP_PROMPT = "CP4>";
/** The console hangs up on a connection silent this long. */
export const CTP_IDLE_MS = 5 * 60_000;

/**
 * A Crestron control processor's console (template control-processor, CTP): prints the prompt
 * `CP4>` on connect and after every answer; commands end with CR LF (CR or LF alone also work);
 * `ver`, `uptime`, `progcomments:1`, `hostname`; anything else is a "Bad or Incomplete Command".
 * Powered off it does not listen at all; powered on it boots for the transition time, then
 * listens with its uptime counting from zero.
 */
export class ControlProcessor extends SimDevice {
  private program = "";

  protected override resetState(): void {
    this.program = `${(this.id.split("/").pop() ?? "Room").replace(/[^A-Za-z0-9_-]/g, "")}.lpz`;
  }

  protected override evolve(): void {}

  protected override shouldListen(now: number): boolean {
    return super.shouldListen(now) && this.power.at(now) === "on";
  }

  protected override settled(now: number): void {
    if (this.power.at(now) === "on") this.bootedAt = now;
  }

  protected override powerChanged(now: number): void {
    super.powerChanged(now);
    if (this.power.at(now) === "on") this.bootedAt = now;
  }

  protected override describeState(now: number): Record<string, unknown> {
    const on = this.power.at(now) === "on";
    return {
      uptimeS: on ? Math.floor((now - this.bootedAt) / 1000) : null,
      program: this.faults.error === null ? this.program : null,
    };
  }

  protected override createServer(): Server {
    return createServer((socket) => this.session(socket));
  }

  private session(socket: Socket): void {
    socket.setEncoding("latin1");
    socket.setTimeout(CTP_IDLE_MS, () => socket.destroy());
    socket.on("error", () => socket.destroy());
    let buffer = "";
    let afterCr = false;
    socket.write(`\r\n${CTP_PROMPT}`);
    socket.on("data", (chunk: string) => {
      // CR LF is one terminator, even when the LF arrives in the next packet.
      buffer += afterCr && chunk.startsWith("\n") ? chunk.slice(1) : chunk;
      afterCr = false;
      if (buffer.length > 4096) {
        socket.destroy();
        return;
      }
      let end: number;
      while ((end = buffer.search(/[\r\n]/)) >= 0) {
        const line = buffer.slice(0, end).trim();
        const crlf = buffer[end] === "\r" && buffer[end + 1] === "\n";
        afterCr = buffer[end] === "\r" && end + 1 === buffer.length;
        buffer = buffer.slice(crlf ? end + 2 : end + 1);
        const answer = line === "" ? "" : this.answer(line);
        socket.write(`${answer}\r\n${CTP_PROMPT}`);
      }
    });
  }

  /** The text printed for one command (before the prompt). */
  answer(command: string): string {
    const now = this.advance();
    const malformed = this.faults.malformed;
    switch (command.toLowerCase()) {
      case "ver":
      case "version":
        return malformed
          ? "CP4 Cntrl Eng [vX.unknown (??)]"
          : "CP4 Cntrl Eng [v2.8000.00021 (Jan 18 2024), #00A1B2C3] @E-00107f0a1b2c\r\n";
      case "uptime":
        return malformed
          ? "The system has been running for a while."
          : `The system has been running for ${crestronUptime((now - this.bootedAt) / 1000)}.\r\n`;
      case "progcomments:1":
      case "progcomments":
        if (this.faults.error !== null) return "No program loaded\r\n";
        return [
          `Program File: ${this.program}`,
          "System Name: Omniglass simulated room",
          "Programmer: Simulator",
          "Compiled On: 2024-01-18 10:12:00",
          "",
        ].join("\r\n");
      case "hostname":
        return `Host Name: ${this.id.split("/").pop()}\r\n`;
      default:
        return "Bad or Incomplete Command\r\n";
    }
  }
}
