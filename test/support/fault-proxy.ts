import { connect, createServer, type Socket } from "node:net";

/** Where the proxy forwards: a TCP address or a Unix socket (the embedded PGlite). */
export type ProxyTarget = { host: string; port: number } | { path: string };

/**
 * How the proxy treats new connections: `forward` them; be `silent` (accept
 * TCP, never answer); `refuseStartup`: answer every startup with the FATAL
 * in `startupError` (by default 57P03 "the database system is starting up",
 * as a restarting server does; DSQL's 53300 / 53400 connection limits); or
 * `fatalAfterHandshake`: end the handshake and send FATAL 57P01 in the same
 * read, as a backend terminated while it starts does.
 */
export type ProxyMode = "forward" | "silent" | "refuseStartup" | "fatalAfterHandshake";

/** A small TCP proxy on 127.0.0.1 in front of a real server, to inject faults. */
export interface FaultProxy {
  port: number;
  mode: ProxyMode;
  /** What `refuseStartup` answers. */
  startupError: { code: string; message: string };
  /**
   * Lose the reply to the next message holding `text` (default `COMMIT`):
   * `"after"` lets the server run it and drops its answer; `"before"` drops
   * the message itself. Either way the connection then dies, and the client
   * cannot know what happened.
   */
  loseNext(when: "after" | "before", text?: string): void;
  /** Cuts every open connection (a network fault, or a server restart). */
  resetAll(): void;
  close(): Promise<void>;
}

/** ReadyForQuery, idle: the end of a handshake. */
const READY_IDLE = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);

/** A PostgreSQL ErrorResponse message. */
function fatal(code: string, message: string): Buffer {
  const body = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`);
  const head = Buffer.alloc(5);
  head.write("E", 0);
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/** Starts a proxy in front of `target` on a free loopback port. */
export async function startFaultProxy(target: ProxyTarget): Promise<FaultProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let lose: { when: "after" | "before"; text: Buffer } | undefined;
  const silent = new Set<Socket>();
  const cut = (pair: [Socket, Socket]) => {
    pair[0].destroy();
    pair[1].destroy();
    pairs.delete(pair);
  };
  const proxy: FaultProxy = {
    port: 0,
    mode: "forward",
    startupError: { code: "57P03", message: "the database system is starting up" },
    loseNext(when, text = "COMMIT\0") {
      lose = { when, text: Buffer.from(text) };
    },
    resetAll() {
      for (const pair of [...pairs]) cut(pair);
      for (const socket of silent) socket.destroy();
      silent.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = createServer((client) => {
    client.on("error", () => {});
    if (proxy.mode === "silent") {
      silent.add(client);
      return;
    }
    if (proxy.mode === "refuseStartup") {
      const { code, message } = proxy.startupError;
      client.once("data", () => {
        client.end(fatal(code, message));
      });
      return;
    }
    const upstream = "path" in target ? connect(target.path) : connect(target.port, target.host);
    upstream.on("error", () => client.destroy());
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    let replyLost = false;
    const fatalOnReady = proxy.mode === "fatalAfterHandshake";
    client.on("data", (chunk: Buffer) => {
      if (lose && chunk.includes(lose.text)) {
        const { when } = lose;
        lose = undefined;
        if (when === "before") return cut(pair);
        replyLost = true;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      // The server has run the message: its answer never reaches the client.
      if (replyLost) return cut(pair);
      if (fatalOnReady && chunk.includes(READY_IDLE)) {
        const fatalNow = fatal("57P01", "terminating connection due to administrator command");
        client.write(Buffer.concat([chunk, fatalNow]), () => cut(pair));
        return;
      }
      client.write(chunk);
    });
    client.on("close", () => cut(pair));
    upstream.on("close", () => cut(pair));
  });
  server.on("connection", (socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  proxy.port = typeof address === "object" && address ? address.port : 0;
  const close = proxy.close;
  proxy.close = async () => {
    proxy.resetAll();
    await close();
  };
  return proxy;
}
