import { connect, type Socket } from "node:net";

/*
 * Plain protocol clients for the simulator's tests: a TCP conversation that waits for text
 * matching a pattern, the way a collector reads a device. Not used by the simulator itself.
 */

export interface Conversation {
  socket: Socket;
  /** Resolves with everything received up to and including the first match of `pattern`. */
  until(pattern: RegExp, timeoutMs?: number): Promise<string>;
  send(text: string): void;
  /** Resolves when the peer closes the connection. */
  closed(timeoutMs?: number): Promise<void>;
  close(): void;
}

export function converse(port: number, host = "127.0.0.1"): Promise<Conversation> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host });
    let buffer = "";
    let ended = false;
    const waiters = new Set<() => void>();
    const wake = () => {
      for (const waiter of [...waiters]) waiter();
    };
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      wake();
    });
    socket.on("close", () => {
      ended = true;
      wake();
    });
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      socket.on("error", () => {});
      resolve({
        socket,
        send: (text) => socket.write(text),
        close: () => socket.destroy(),
        until(pattern, timeoutMs = 3000) {
          return new Promise((done, fail) => {
            const check = () => {
              const match = pattern.exec(buffer);
              if (match) {
                const end = match.index + match[0].length;
                const text = buffer.slice(0, end);
                buffer = buffer.slice(end);
                finish();
                done(text);
              } else if (ended) {
                finish();
                fail(new Error(`closed before ${pattern}; got ${JSON.stringify(buffer)}`));
              }
            };
            const timer = setTimeout(() => {
              finish();
              fail(new Error(`timeout waiting for ${pattern}; got ${JSON.stringify(buffer)}`));
            }, timeoutMs);
            const finish = () => {
              clearTimeout(timer);
              waiters.delete(check);
            };
            waiters.add(check);
            check();
          });
        },
        closed(timeoutMs = 3000) {
          return new Promise((done, fail) => {
            if (ended) return done();
            const timer = setTimeout(() => fail(new Error("still open")), timeoutMs);
            socket.once("close", () => {
              clearTimeout(timer);
              done();
            });
          });
        },
      });
    });
  });
}

/** Resolves with the connect error code (e.g. ECONNREFUSED), or "connected". */
export function probe(port: number, host = "127.0.0.1"): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve("timeout");
    });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not met in time");
}
