import type { ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createLogger } from "@omniglass/log";
import type { ManagedProcess } from "./processes";
import { describeExit, sumMetrics, Supervisor } from "./supervisor";

/** A stand-in child that "crashes" when told to. */
function fakeChild(pid: number) {
  let exit: (result: number | string) => void = () => {};
  const exited = new Promise<number | string>((resolve) => (exit = resolve));
  const child = { pid, exitCode: null, signalCode: null } as unknown as ChildProcess;
  const managed: ManagedProcess = {
    child,
    exited,
    stop: async () => {
      exit("SIGTERM");
      return exited;
    },
  };
  return { managed, crash: (result: number | string) => exit(result) };
}

const quiet = createLogger({ process: "test", level: "silent" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Supervisor", () => {
  it("restarts a crashed child with doubling delays and gives up after maxCrashes in the window, saying why", async () => {
    const children: ReturnType<typeof fakeChild>[] = [];
    const startedAt: number[] = [];
    const gaveUp: string[] = [];
    const supervisor = new Supervisor({
      log: quiet,
      initialDelayMs: 20,
      maxDelayMs: 1_000,
      maxCrashes: 3,
      windowMs: 10_000,
      onGiveUp: (name, reason) => gaveUp.push(`${name}: ${reason}`),
    });
    await supervisor.add({
      name: "worker",
      essential: true,
      // Process ids are stand-ins: nothing with them is signalled (the group kill finds none).
      start: async () => {
        startedAt.push(Date.now());
        const child = fakeChild(2_000_000_000 + children.length);
        children.push(child);
        return child.managed;
      },
    });
    children[0]!.crash("SIGKILL");
    await sleep(60);
    expect(children).toHaveLength(2);
    let worker = supervisor.status().processes[0]!;
    expect(worker).toMatchObject({
      state: "running",
      restarts: 1,
      lastExit: { reason: "killed by SIGKILL" },
    });
    children[1]!.crash(1);
    await sleep(100);
    expect(children).toHaveLength(3);
    // 20 ms after the first crash, 40 ms after the second.
    expect(startedAt[2]! - startedAt[1]!).toBeGreaterThanOrEqual(40);
    children[2]!.crash(1);
    await sleep(100);
    expect(children).toHaveLength(3);
    worker = supervisor.status().processes[0]!;
    expect(worker.state).toBe("failed");
    expect(worker.gaveUp).toMatch(/worker crashed 3 times in 10 s \(last: exit code 1\)/);
    expect(gaveUp).toEqual([expect.stringMatching(/^worker: worker crashed 3 times/)]);
  });

  it("does not restart what it was told to stop", async () => {
    let starts = 0;
    const supervisor = new Supervisor({ log: quiet, initialDelayMs: 10, onGiveUp: () => {} });
    await supervisor.add({
      name: "web",
      essential: true,
      start: async () => {
        starts++;
        return fakeChild(2_000_000_100 + starts).managed;
      },
    });
    await supervisor.stopAll([["web"]]);
    await sleep(50);
    expect(starts).toBe(1);
    expect(supervisor.status().processes[0]!.state).toBe("stopped");
  });
});

describe("describeExit and sumMetrics", () => {
  it("words an exit and sums a metric over its label sets", () => {
    expect(describeExit(0)).toBe("exit code 0");
    expect(describeExit("SIGKILL")).toBe("killed by SIGKILL");
    const text = [
      "# HELP omniglass_worker_samples_rejected_total x",
      'omniglass_worker_samples_rejected_total{reason="writer"} 3',
      'omniglass_worker_samples_rejected_total{reason="timeout"} 4',
      "omniglass_worker_samples_written_total 10",
      "other_metric 99",
    ].join("\n");
    expect(
      sumMetrics(text, [
        "omniglass_worker_samples_rejected_total",
        "omniglass_worker_samples_written_total",
      ]),
    ).toEqual({
      omniglass_worker_samples_rejected_total: 7,
      omniglass_worker_samples_written_total: 10,
    });
  });
});
