import { resolve } from "node:path";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { openPglite } from "./pglite-start.js";

/** An embedded PGlite served over the PostgreSQL wire protocol on loopback. */
export interface EmbeddedServer {
  /** The Unix socket the server listens on. */
  url: string;
  /** The data directory as it is now, as a tarball `openPglite` can load. */
  dump(): Promise<Blob>;
  stop(): Promise<void>;
}

/**
 * Parses `pglite://memory` or `pglite://<dir>` into PGlite's data location:
 * `undefined` for memory, else the folder resolved from the current directory.
 */
export function pgliteDataDir(connection: string): string | undefined {
  const rest = connection.slice("pglite://".length);
  if (rest === "" || rest === "memory" || rest === "memory/") return undefined;
  return resolve(rest);
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
  snapshot?: Blob,
): Promise<EmbeddedServer> {
  const db = await openPglite(pgliteDataDir(connection), snapshot);
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
  await server.start().catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  return {
    url: socketPath,
    dump: () => db.dumpDataDir("none"),
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
