import { spawn } from "node:child_process";
import net from "node:net";
import type { Answer } from "../mapping";
import { FunctionError, errorText, type Driver } from "./types";

/*
 * ICMP echo through the system's `ping` (raw sockets need privileges the node should not have).
 *
 * An ICMP interface bound with a port (the component's interface binding gives one) is checked
 * by a TCP connect to that port instead: connected = reachable, refused or no answer within the
 * timeout = unreachable. That is the check where an echo cannot tell — devices sharing one
 * address (the demo's simulated gear on 127.0.0.1, which always answers ping), or networks that
 * drop ICMP — and it judges the service the port names, not just the host.
 *
 * Where `ping` is not installed and no port is bound, the function fails and says so.
 */

export interface PingResult {
  transmitted: number;
  received: number;
  /** Mean round trip, ms; null when nothing came back. */
  rttMs: number | null;
}

/** Parses iputils / busybox `ping` output. */
export function parsePing(output: string): PingResult | null {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(output);
  if (!counts) return null;
  const rtt = /= [\d.]+\/([\d.]+)\/[\d.]+/.exec(output);
  const received = Number(counts[2]);
  return {
    transmitted: Number(counts[1]),
    received,
    rttMs: received > 0 && rtt ? Number(rtt[1]) : null,
  };
}

function runPing(
  host: string,
  count: number,
  waitS: number,
  signal: AbortSignal,
): Promise<{ code: number | null; output: string } | "missing"> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "ping",
      ["-n", "-c", String(count), "-i", "0.2", "-W", String(waitS), host],
      {
        stdio: ["ignore", "pipe", "pipe"],
        signal,
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") resolve("missing");
      else reject(error);
    });
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** A TCP connect as a reachability probe: connected = reachable; refused or silent = not. */
export function tcpProbe(
  host: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ reachable: boolean; rttMs: number | null }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (reachable: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({
        reachable,
        rttMs: reachable ? Math.round((performance.now() - started) * 1000) / 1000 : null,
      });
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    signal?.addEventListener("abort", () => done(false), { once: true });
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * An ICMP interface's `timeout` is per echo reply: the probe as a whole may take the echoes'
 * spacing (0.2 s) plus one timeout, and a little for the process.
 */
export function icmpDeadlineMs(count: number, replyTimeoutMs: number): number {
  return (count - 1) * 200 + Math.max(1, Math.ceil(replyTimeoutMs / 1000)) * 1000 + 500;
}

export const icmpDriver: Driver = async ({ task, fn, timeoutMs, signal }) => {
  if (fn.request.protocol !== "icmp") throw new FunctionError("not an ICMP function");
  const { count } = fn.request;
  // `timeoutMs` is the whole probe's deadline (icmpDeadlineMs); each reply gets the interface's.
  const replyMs = Math.max(1_000, timeoutMs - (count - 1) * 200 - 500);
  const waitS = Math.max(1, Math.floor(replyMs / 1000));
  const answer = (reachable: boolean, rtt: number | null): Answer => ({
    type: "record",
    rows: [{ index: "", values: { reachable, rtt: rtt ?? undefined } }],
  });
  if (task.port !== null) {
    const probe = await tcpProbe(task.host, task.port, replyMs, signal);
    return answer(probe.reachable, probe.rttMs);
  }
  let result;
  try {
    result = await runPing(task.host, count, waitS, signal);
  } catch (error) {
    throw new FunctionError(`ping ${task.host}: ${errorText(error)}`);
  }
  if (result === "missing")
    throw new FunctionError(
      `ping is not installed on this node (install iputils-ping) and the interface is bound with no port to check by TCP connect instead`,
    );
  const parsed = parsePing(result.output);
  if (!parsed) {
    throw new FunctionError(
      `ping ${task.host}: ${result.output.trim().split("\n")[0]?.slice(0, 200) || `exit ${result.code}`}`,
    );
  }
  return answer(parsed.received > 0, parsed.rttMs);
};
