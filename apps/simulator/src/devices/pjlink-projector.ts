import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { SimDevice } from "../device";
import type { PowerPhase } from "../model";

/** Lamp hours count this many times faster than the wall clock, so a demo sees them move. */
export const LAMP_HOURS_SPEEDUP = 60;
/** From this many hours the lamp digit of ERST reports a warning. */
export const LAMP_WARNING_HOURS = 4500;
/** A projector closes a connection silent for this long (PJLink: 30 s). */
export const PJLINK_IDLE_MS = 30_000;

const ERST_PARTS = ["fan", "lamp", "temperature", "cover", "filter", "other"] as const;
const INPUTS = ["11", "12", "31", "32", "33"];

/**
 * The ERST digits for an `error` fault: six digits given as such, a part's name (fan, lamp,
 * temperature, cover, filter, other; "-warning" suffix for 1) → that digit, anything else → other = 2.
 */
export function erstForError(error: string): string {
  if (/^[0-2]{6}$/.test(error)) return error;
  const match = /^(fan|lamp|temperature|cover|filter|other)(-warning)?$/.exec(error.trim());
  const digits = ["0", "0", "0", "0", "0", "0"];
  const part = match ? ERST_PARTS.indexOf(match[1] as (typeof ERST_PARTS)[number]) : 5;
  digits[part] = match?.[2] ? "1" : "2";
  return digits.join("");
}

const POWR_CODE: Record<PowerPhase, string> = { standby: "0", on: "1", cooling: "2", warming: "3" };

/** The digest a client sends before its first command: md5(<random><password>), lowercase hex. */
export function pjlinkDigest(random: string, password: string): string {
  return createHash("md5").update(`${random}${password}`).digest("hex");
}

/**
 * A PJLink class 1 projector (template pjlink-projector): greets `PJLINK 0` or `PJLINK 1 <random>`,
 * answers `%1CMD=value`, ERR1 for unknown commands, ERR2 for bad parameters, ERR3 while the
 * command is unavailable (input/mute outside `on`, power changes mid-transition), `PJLINK ERRA`
 * on a wrong digest (then hangs up).
 */
export class PjlinkProjector extends SimDevice {
  private lampHours = 0;
  private input = "31";
  private avmt = "30";

  protected override resetState(): void {
    const r = this.identity;
    this.lampHours = Math.floor(200 + r() * 3800);
    this.input = INPUTS[2 + Math.floor(r() * 2)]!;
    this.avmt = "30";
  }

  protected override evolve(now: number, dtS: number): void {
    if (this.power.isLit(now)) this.lampHours += (dtS / 3600) * LAMP_HOURS_SPEEDUP;
  }

  protected override describeState(): Record<string, unknown> {
    return {
      lampHours: Math.floor(this.lampHours),
      input: this.input,
      avMute: this.avmt,
      erst: this.erst(),
    };
  }

  private erst(): string {
    if (this.faults.error !== null) return erstForError(this.faults.error);
    return `0${this.lampHours >= LAMP_WARNING_HOURS ? "1" : "0"}0000`;
  }

  protected override createServer(): Server {
    return createServer((socket) => this.session(socket));
  }

  private session(socket: Socket): void {
    socket.setEncoding("latin1");
    socket.setTimeout(PJLINK_IDLE_MS, () => socket.destroy());
    socket.on("error", () => socket.destroy());
    const password = this.entry.password;
    const random = password ? randomBytes(4).toString("hex") : null;
    let authenticated = random === null;
    let buffer = "";
    socket.write(random ? `PJLINK 1 ${random}\r` : "PJLINK 0\r");
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      if (buffer.length > 4096) {
        socket.destroy();
        return;
      }
      let end: number;
      while ((end = buffer.search(/[\r\n]/)) >= 0) {
        let line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        if (line === "") continue;
        if (!authenticated) {
          const digest = line.slice(0, 32).toLowerCase();
          if (random === null || digest !== pjlinkDigest(random, password!)) {
            socket.end("PJLINK ERRA\r");
            return;
          }
          authenticated = true;
          line = line.slice(32);
        }
        socket.write(`${this.answer(line)}\r`);
      }
    });
  }

  /** Answers one request line `%1CMD param` (without the CR). */
  answer(line: string): string {
    const now = this.advance();
    const match = /^%1([A-Za-z0-9]{4}) (.{1,128})$/.exec(line);
    if (!match) {
      const command = /^%1(.{0,4})/.exec(line)?.[1] ?? "";
      return `%1${command.padEnd(4, " ").slice(0, 4)}=ERR1`;
    }
    const command = match[1]!.toUpperCase();
    const param = match[2]!;
    const reply = (value: string) => `%1${command}=${value}`;
    const phase = this.power.at(now);
    const query = param === "?";
    const malformed = this.faults.malformed;
    switch (command) {
      case "POWR":
        if (query) return reply(malformed ? "7" : POWR_CODE[phase]);
        if (param !== "0" && param !== "1") return reply("ERR2");
        if (phase === "warming" || phase === "cooling") return reply("ERR3");
        this.faults.power = param === "1" ? "on" : "off";
        this.powerChanged(now);
        void this.sync();
        return reply("OK");
      case "INPT":
        if (phase !== "on") return reply("ERR3");
        if (query) return reply(this.input);
        if (!INPUTS.includes(param)) return reply("ERR2");
        this.input = param;
        return reply("OK");
      case "AVMT":
        if (phase !== "on") return reply("ERR3");
        if (query) return reply(this.avmt);
        if (!/^[123][01]$/.test(param)) return reply("ERR2");
        this.avmt = param;
        return reply("OK");
      case "ERST":
        return query ? reply(this.erst()) : reply("ERR2");
      case "LAMP":
        if (!query) return reply("ERR2");
        if (malformed) return reply("lots 1");
        return reply(`${Math.floor(this.lampHours)} ${this.power.isLit(now) ? 1 : 0}`);
      case "INST":
        return query ? reply(INPUTS.join(" ")) : reply("ERR2");
      case "NAME":
        return query ? reply(this.id.split("/").pop()!.slice(0, 64)) : reply("ERR2");
      case "INF1":
        return query ? reply("OMNIGLASS") : reply("ERR2");
      case "INF2":
        return query ? reply("OG-P5000 Sim") : reply("ERR2");
      case "INFO":
        return query ? reply("Simulated projector") : reply("ERR2");
      case "CLSS":
        return query ? reply("1") : reply("ERR2");
      default:
        return reply("ERR1");
    }
  }
}
