import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { EmbeddedServer, PgliteSource } from "./pglite-server.js";
import { pgliteDataDir, prefetchPglite } from "./pglite-start.js";

/** Socket folders of pools not ended yet: removed at exit, however the process exits but by a signal. */
const socketDirs = new Set<string>();
let exitHooked = false;

function removeAtExit(dir: string): void {
  socketDirs.add(dir);
  if (exitHooked) return;
  exitHooked = true;
  // "exit" handlers run on process.exit() too (test runners end workers so); only sync work counts.
  process.once("exit", () => {
    for (const left of socketDirs) rmSync(left, { recursive: true, force: true });
  });
}

type ConnectCallback = (
  err: Error | undefined,
  client: pg.PoolClient | undefined,
  done: (release?: unknown) => void,
) => void;

/**
 * A `pg.Pool` over an embedded PGlite. `drizzle()` is synchronous, so the
 * server starts in the background on a Unix socket whose path is known up
 * front; the first `connect()` waits for it. `end()` stops the server too.
 * `source`, a dumped data directory or an instance already open, replaces
 * the usual start.
 */
export class EmbeddedPool extends pg.Pool {
  readonly #ready: Promise<EmbeddedServer>;
  readonly #socketDir: string;

  constructor(
    connection: string,
    options: Omit<pg.PoolConfig, "connectionString" | "host" | "port"> = {},
    source?: PgliteSource,
  ) {
    const socketDir = mkdtempSync(join(tmpdir(), "dsql-pglite-"));
    const max = options.max ?? 8;
    super({ ...options, max, host: socketDir, port: 5432, user: "postgres", database: "postgres" });
    this.#socketDir = socketDir;
    removeAtExit(socketDir);
    // PGlite is imported only when an embedded database is opened; its files
    // are read (and its module imported) meanwhile, not one after the other.
    prefetchPglite(source === undefined && pgliteDataDir(connection) === undefined);
    this.#ready = import("./pglite-server.js").then(({ startEmbeddedServer }) =>
      startEmbeddedServer(connection, max + 2, join(socketDir, ".s.PGSQL.5432"), source),
    );
    // A failed start is reported by connect(); don't crash the process here.
    this.#ready.catch(() => {});
  }

  /** Resolves once the embedded server accepts connections. */
  ready(): Promise<void> {
    return this.#ready.then(() => undefined);
  }

  /** The data directory as it is now, as a tarball the constructor's `source` takes. */
  async dump(): Promise<Uint8Array> {
    return (await this.#ready).dump();
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | undefined {
    const start = this.#ready.then(() => undefined);
    if (callback) {
      start.then(
        () => super.connect(callback as never),
        (error: Error) => callback(error, undefined, () => {}),
      );
      return;
    }
    return start.then(() => super.connect());
  }

  override async end(): Promise<void> {
    await super.end();
    const server = await this.#ready.catch(() => undefined);
    await server?.stop();
    rmSync(this.#socketDir, { recursive: true, force: true });
    socketDirs.delete(this.#socketDir);
  }
}
