import { afterEach, describe, expect, it } from "vitest";
import { appendFile, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { SampleBatch } from "@omniglass/contracts";
import { DiskBuffer } from "./buffer";

/*
 * The disk buffer on a real file system: what one instance wrote (fsync'd) is found by the next
 * one as if the process had died in between, a line torn by a crash is skipped without losing its
 * neighbours, and a segment past its size bound (8 MiB) is closed for a new one, drained in order.
 */

const NODE = "0190f5a0-0000-7000-8000-00000000b0ff";
const COMPONENT = "0190f5a0-0000-7000-8000-00000000c0ff";

const batch = (n: number, samples = 2): SampleBatch => ({
  node: NODE,
  batchId: `batch-${n}`,
  samples: Array.from({ length: samples }, (_, i) => ({
    component: COMPONENT,
    signal: "temperature",
    instance: `i-${i}`,
    ts: 1_800_000_000_000 + n,
    value: n,
  })),
  rejections: [],
});

/** Drains the buffer as the publisher does: oldest segment first, in line order. */
async function drain(buffer: DiskBuffer): Promise<{ ids: string[]; skipped: number }> {
  const ids: string[] = [];
  let skipped = 0;
  for (let segment = await buffer.oldest(); segment; segment = await buffer.oldest()) {
    ids.push(...segment.batches.map((b) => b.batchId));
    skipped += segment.skipped;
    await buffer.remove(segment);
  }
  return { ids, skipped };
}

const segmentsIn = async (dir: string) =>
  (await readdir(dir)).filter((name) => name.endsWith(".jsonl")).sort();

describe("disk buffer", () => {
  const dirs: string[] = [];
  const freshDir = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "og-buffer-"));
    dirs.push(dir);
    return path.join(dir, "buffer");
  };
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it("is found whole by the next instance after the writer is gone, and drains in order", async () => {
    const dir = await freshDir();
    const before = await DiskBuffer.open(dir);
    await before.append([batch(1), batch(2)]);
    await before.append([batch(3)]);
    await before.append([batch(4), batch(5)]);
    // No close: the process died with the segment open.

    const after = await DiskBuffer.open(dir);
    expect(after.bufferedBatches()).toBe(5);
    expect(after.bufferedSamples()).toBe(10);
    expect(after.isEmpty()).toBe(false);
    // What the new instance takes goes behind what it found, in a segment of its own.
    await after.append([batch(6)]);
    expect(await segmentsIn(dir)).toEqual(["000000000001.jsonl", "000000000002.jsonl"]);
    expect(after.bufferedBatches()).toBe(6);

    expect(await drain(after)).toEqual({
      ids: ["batch-1", "batch-2", "batch-3", "batch-4", "batch-5", "batch-6"],
      skipped: 0,
    });
    expect(after.isEmpty()).toBe(true);
    expect(after.bufferedSamples()).toBe(0);
    expect(await segmentsIn(dir)).toEqual([]);
    // And a third instance finds nothing left to send twice.
    expect((await DiskBuffer.open(dir)).isEmpty()).toBe(true);
  });

  it("skips a line torn by a crash and loses nothing else", async () => {
    const dir = await freshDir();
    const before = await DiskBuffer.open(dir);
    await before.append([batch(1), batch(2), batch(3)]);
    // The crash: half of the next line reached the disk, without its newline.
    const whole = `${JSON.stringify(batch(4))}\n`;
    await appendFile(path.join(dir, "000000000001.jsonl"), whole.slice(0, whole.length / 2));

    const after = await DiskBuffer.open(dir);
    expect(after.bufferedBatches()).toBe(3);
    expect(after.bufferedSamples()).toBe(6);
    // New batches never land behind the torn bytes (they would glue onto the broken line).
    await after.append([batch(5)]);
    const found = await DiskBuffer.open(dir);
    expect(found.bufferedBatches()).toBe(4);
    expect(await drain(after)).toEqual({
      ids: ["batch-1", "batch-2", "batch-3", "batch-5"],
      skipped: 1,
    });
    expect(after.isEmpty()).toBe(true);
  });

  it("closes a segment past 8 MiB for the next one and drains across segments in order", async () => {
    const dir = await freshDir();
    const buffer = await DiskBuffer.open(dir);
    // ~0.5 MiB per batch of 5,000 samples (the publisher's largest): 20 of them fill two segments.
    const appended: string[] = [];
    for (let n = 1; n <= 20; n++) {
      await buffer.append([batch(n, 5_000)]);
      appended.push(`batch-${n}`);
    }
    const segments = await segmentsIn(dir);
    expect(segments.length).toBeGreaterThanOrEqual(2);
    const sizes = await Promise.all(
      segments.map(async (s) => (await stat(path.join(dir, s))).size),
    );
    // The bound is checked before each append: a segment ends within one append past 8 MiB.
    for (const size of sizes.slice(0, -1)) {
      expect(size).toBeGreaterThan(8 * 1024 * 1024);
      expect(size).toBeLessThan(9 * 1024 * 1024);
    }
    expect(buffer.bufferedBatches()).toBe(20);
    expect(buffer.bufferedSamples()).toBe(100_000);

    // A restart finds every segment; it drains oldest first, one segment per step.
    const after = await DiskBuffer.open(dir);
    expect(after.bufferedBatches()).toBe(20);
    const first = await after.oldest();
    expect(first?.file).toBe(path.join(dir, segments[0]!));
    expect(first!.batches.length).toBeLessThan(20);
    expect((await drain(after)).ids).toEqual(appended);
    expect(await segmentsIn(dir)).toEqual([]);
  });
});
