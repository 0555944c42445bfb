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
 * Starts PGlite (in memory or in a folder) and serves it over the PostgreSQL
 * wire protocol on the Unix socket `socketPath`. pglite-socket serialises
 * transactions across connections, so `maxConnections` must cover the pool.
 * `snapshot` (a dumped data directory) is loaded instead of the usual start.
 */
export async function startEmbeddedServer(
  connection: string,
  maxConnections: number,
  socketPath: string,
  snapshot?: Uint8Array,
): Promise<EmbeddedServer> {
  const db = await openPglite(pgliteDataDir(connection), snapshot);
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
