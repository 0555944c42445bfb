import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { openPglite, pgliteDataDir } from "./pglite-start.js";

export { pgliteDataDir };

/** An embedded PGlite served over the PostgreSQL wire protocol on loopback. */
export interface EmbeddedServer {
  /** The Unix socket the server listens on. */
  url: string;
  /** The data directory as it is now, as a tarball `openPglite` can load. */
  dump(): Promise<Uint8Array>;
  stop(): Promise<void>;
}

/**
 * What an embedded server serves instead of the usual start: a dumped data
 * directory to load, or a function that hands over a PGlite instance already
 * open (the server owns it from then on and closes it on `stop()`).
 */
export type PgliteSource = Uint8Array | (() => Promise<PGlite>);

/**
 * Starts PGlite (in memory or in a folder) and serves it over the PostgreSQL
 * wire protocol on the Unix socket `socketPath`. pglite-socket serialises
 * transactions across connections, so `maxConnections` must cover the pool.
 * `source` (see {@link PgliteSource}) replaces the usual start.
 */
export async function startEmbeddedServer(
  connection: string,
  maxConnections: number,
  socketPath: string,
  source?: PgliteSource,
): Promise<EmbeddedServer> {
  const db =
    typeof source === "function"
      ? await source()
      : await openPglite(pgliteDataDir(connection), source);
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
  await server.start().catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  return {
    url: socketPath,
    dump: async () => new Uint8Array(await (await db.dumpDataDir("none")).arrayBuffer()),
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
