import { mkdir, open, readdir, readFile, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { SampleBatch } from "@omniglass/contracts";

/*
 * The disk buffer: batches NATS did not take, in append-only JSON-lines segment files
 * `<state>/buffer/<sequence>.jsonl`, each line one SampleBatch, fsync'd after every append.
 * Drained oldest segment first, in line order; a segment is deleted only once every batch in it
 * was acked. A torn last line (a crash mid-write) is skipped.
 */

const SEGMENT_BYTES = 8 * 1024 * 1024;
const NAME = /^(\d{12})\.jsonl$/;

export interface Segment {
  file: string;
  batches: SampleBatch[];
  /** Lines that did not parse (a torn write): reported, then dropped with the segment. */
  skipped: number;
}

export class DiskBuffer {
  private writing: { seq: number; handle: FileHandle; bytes: number } | null = null;
  private nextSeq = 1;
  private samples = 0;
  private batches = 0;
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(readonly dir: string) {}

  static async open(dir: string): Promise<DiskBuffer> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const buffer = new DiskBuffer(dir);
    for (const seq of await buffer.sequences()) {
      buffer.nextSeq = Math.max(buffer.nextSeq, seq + 1);
      const segment = await buffer.read(seq);
      buffer.batches += segment.batches.length;
      buffer.samples += segment.batches.reduce((n, b) => n + b.samples.length, 0);
    }
    return buffer;
  }

  /** Samples on disk waiting for NATS. */
  bufferedSamples(): number {
    return this.samples;
  }

  bufferedBatches(): number {
    return this.batches;
  }

  isEmpty(): boolean {
    return this.batches === 0;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => {});
    return next;
  }

  private fileOf(seq: number): string {
    return path.join(this.dir, `${String(seq).padStart(12, "0")}.jsonl`);
  }

  private async sequences(): Promise<number[]> {
    return (await readdir(this.dir))
      .map((name) => NAME.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  }

  /** Appends batches, in order, and fsyncs before resolving. */
  append(batches: SampleBatch[]): Promise<void> {
    if (batches.length === 0) return Promise.resolve();
    return this.serial(async () => {
      if (!this.writing || this.writing.bytes > SEGMENT_BYTES) {
        await this.closeWriting();
        const seq = this.nextSeq++;
        this.writing = { seq, handle: await open(this.fileOf(seq), "a", 0o600), bytes: 0 };
      }
      const text = batches.map((b) => `${JSON.stringify(b)}\n`).join("");
      await this.writing.handle.write(text);
      await this.writing.handle.sync();
      this.writing.bytes += Buffer.byteLength(text);
      this.batches += batches.length;
      this.samples += batches.reduce((n, b) => n + b.samples.length, 0);
    });
  }

  private async closeWriting(): Promise<void> {
    if (!this.writing) return;
    const { handle } = this.writing;
    this.writing = null;
    await handle.close();
  }

  private async read(seq: number): Promise<Segment> {
    const file = this.fileOf(seq);
    const text = await readFile(file, "utf8");
    const batches: SampleBatch[] = [];
    let skipped = 0;
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      try {
        batches.push(SampleBatch.parse(JSON.parse(line)));
      } catch {
        skipped += 1;
      }
    }
    return { file, batches, skipped };
  }

  /** The oldest segment (closing it for appends first when it is the one being written). */
  oldest(): Promise<Segment | null> {
    return this.serial(async () => {
      const [seq] = await this.sequences();
      if (seq === undefined) return null;
      if (this.writing?.seq === seq) await this.closeWriting();
      return this.read(seq);
    });
  }

  /** Deletes a drained segment: every batch in it was acked. */
  remove(segment: Segment): Promise<void> {
    return this.serial(async () => {
      await unlink(segment.file);
      this.batches -= segment.batches.length;
      this.samples -= segment.batches.reduce((n, b) => n + b.samples.length, 0);
    });
  }

  close(): Promise<void> {
    return this.serial(() => this.closeWriting());
  }
}
