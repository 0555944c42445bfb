import { createConnection, createServer, type Server, type Socket } from "node:net";

/** A loopback TCP proxy that delays every chunk in each direction, keeping order. */
export interface LatencyProxy {
  /** The port it listens on (127.0.0.1). */
  port: number;
  close(): Promise<void>;
}

/** Forwards `from` to `to`, holding each chunk `delayMs` before writing it. */
function delayedPipe(from: Socket, to: Socket, delayMs: number): void {
  const queue: { due: number; chunk: Buffer }[] = [];
  let scheduled = false;
  const schedule = (ms: number) => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(flush, ms);
  };
  const flush = () => {
    scheduled = false;
    const now = performance.now();
    while (queue.length > 0 && (queue[0] as { due: number }).due <= now) {
      to.write((queue.shift() as { chunk: Buffer }).chunk);
    }
    const next = queue[0];
    if (next) schedule(Math.max(0, next.due - now));
  };
  from.on("data", (chunk: Buffer) => {
    queue.push({ due: performance.now() + delayMs, chunk });
    schedule(delayMs);
  });
  from.on("end", () => {
    const finish = () => (queue.length === 0 ? to.end() : setTimeout(finish, delayMs));
    finish();
  });
}

/**
 * Starts a proxy on 127.0.0.1 (ephemeral port) to `target`, adding about
 * `delayMs` each way: what a network round trip to DSQL costs a client,
 * which loopback hides.
 */
export function startLatencyProxy(
  target: { host: string; port: number },
  delayMs = 1,
): Promise<LatencyProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    client.setNoDelay(true);
    const upstream = createConnection({ host: target.host, port: target.port });
    upstream.setNoDelay(true);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    delayedPipe(client, upstream, delayMs);
    delayedPipe(upstream, client, delayMs);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
