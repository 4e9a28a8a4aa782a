import net from "node:net";
import { FunctionError, errorText } from "./types";

/**
 * A TCP connection read as a growing text buffer: `read(extract)` waits until `extract` finds a
 * complete message in what has arrived (returning it and how many characters it used).
 */
export interface TcpSession {
  write(text: string): void;
  read<T>(extract: (buffer: string) => { value: T; used: number } | null): Promise<T>;
  close(): void;
}

export async function openTcp({
  host,
  port,
  signal,
  encoding = "latin1",
}: {
  host: string;
  port: number;
  signal: AbortSignal;
  encoding?: BufferEncoding;
}): Promise<TcpSession> {
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  let buffer = "";
  let failure: Error | null = null;
  let ended = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const onAbort = () => {
    failure ??= new FunctionError(`no answer from ${host}:${port} within the timeout`);
    socket.destroy();
    notify();
  };
  signal.addEventListener("abort", onAbort, { once: true });
  socket.on("data", (chunk: Buffer) => {
    buffer += chunk.toString(encoding);
    notify();
  });
  socket.on("error", (error) => {
    failure ??= new FunctionError(`${host}:${port}: ${errorText(error)}`);
    notify();
  });
  socket.on("close", () => {
    ended = true;
    notify();
  });
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (failure) return reject(failure);
      resolve();
    };
    if (signal.aborted)
      return reject(new FunctionError(`no answer from ${host}:${port} within the timeout`));
    socket.once("connect", check);
    socket.once("error", () => reject(failure));
    socket.once("close", () => reject(failure ?? new FunctionError(`${host}:${port}: closed`)));
  });
  socket.removeAllListeners("connect");

  return {
    write: (text) => void socket.write(Buffer.from(text, encoding)),
    read: async (extract) => {
      for (;;) {
        const found = extract(buffer);
        if (found) {
          buffer = buffer.slice(found.used);
          return found.value;
        }
        if (failure) throw failure;
        if (ended)
          throw new FunctionError(`${host}:${port} closed the connection before answering`);
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    close: () => {
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
    },
  };
}
